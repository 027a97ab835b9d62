"""``dockwright`` entry point: parse the command name, import only that command, dispatch.

Each command lives in ``dockwright.cli.<module>`` and defines::

    HELP: str                                           # one line for `dockwright --help`
    def configure(parser: argparse.ArgumentParser) -> None
    def run(args: argparse.Namespace) -> int

Only the chosen command's module is imported, so `dockwright lint` pays for nothing else.
A command may also define ``parse_simple(argv) -> Namespace | None``: its plain command
lines parsed without argparse (whose imports and parser building cost milliseconds of
start-up), from the same option table that configures argparse; None hands the command
line to argparse, which then parses it, prints help or reports the error.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Protocol

    class Command(Protocol):
        HELP: str

        def configure(self, parser: argparse.ArgumentParser) -> None: ...

        def run(self, args: argparse.Namespace) -> int: ...


# command name -> (module, one-line help). The one table to add a command to.
COMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("dockwright.cli.lint", "lint Dockerfiles (hadolint-compatible)"),
    "rule": ("dockwright.cli.rule", "explain a lint rule"),
    "build": ("dockwright.cli.build", "build images through the engine"),
    "test": ("dockwright.cli.test", "run container-structure-test configs against an image"),
    "tags": ("dockwright.cli.tags", "print the tags and labels this checkout would get"),
    "publish": ("dockwright.cli.publish", "push every tag to every repository"),
    "login": ("dockwright.cli.login", "log in to a registry (stored like `docker login`)"),
    "run": ("dockwright.cli.run", "run the workflows: lint, build, test, publish, in parallel"),
    "init": ("dockwright.cli.init", "write a starter dockwright.yaml and structure tests"),
    "config": ("dockwright.cli.config", "validate dockwright.yaml, or print its JSON Schema"),
    "ci": ("dockwright.cli.ci", "write the CI config: CircleCI, GitHub, GitLab or CodeBuild"),
    "update": ("dockwright.cli.update", "bump FROM tags and digests and annotated version ARGs"),
}

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _top_parser() -> argparse.ArgumentParser:
    import argparse

    from dockwright import __version__

    parser = argparse.ArgumentParser(
        prog="dockwright",
        description="Lint, build, test, tag and publish Docker images.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="commands:\n"
        + "\n".join(f"  {name:<10} {help_}" for name, (_, help_) in COMMANDS.items())
        + "\n\nexit codes: 0 ok, 1 findings or failed tests, 2 usage or config error, 3 internal",
    )
    parser.add_argument("--version", action="version", version=f"dockwright {__version__}")
    parser.add_argument("command", nargs="?", choices=sorted(COMMANDS), metavar="COMMAND")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in COMMANDS:
        parser = _top_parser()
        if not args:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        try:
            parser.parse_args(args[:1])
        except SystemExit as exc:  # argparse exits on --help/--version/bad choice
            return int(exc.code or 0) and EXIT_USAGE
        return EXIT_USAGE
    name = args[0]
    # __import__, not importlib.import_module: importlib would be one more start-up import
    module: Command = __import__(COMMANDS[name][0], fromlist=["run"])
    parse_simple = getattr(module, "parse_simple", None)
    ns: argparse.Namespace | None = parse_simple(args[1:]) if parse_simple else None
    if ns is None:
        import argparse

        parser = argparse.ArgumentParser(prog=f"dockwright {name}", description=module.HELP)
        module.configure(parser)
        try:
            ns = parser.parse_args(args[1:])
        except SystemExit as exc:
            return EXIT_USAGE if exc.code else EXIT_OK
    parsed = ns  # narrowed to a Namespace for the closure below
    from dockwright.cli.errors import handle

    return handle(lambda: module.run(parsed))


def entry() -> None:
    sys.exit(main())
