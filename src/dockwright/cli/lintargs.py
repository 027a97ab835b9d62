"""The options of ``dockwright lint``: one table that configures argparse, and from which
plain command lines are parsed without argparse.

argparse costs a one-file lint run milliseconds of start-up (its imports, building the
parser). ``parse_simple`` reads the common command lines (exact option names, switches, one
run of files) from the same ``OPTIONS``; anything else (help, ``--``, abbreviations,
``-fjson``, a bad value, a value starting with ``-``, files on both sides of an option)
goes to argparse, which parses it or says why not. A test checks on thousands of
generated command lines that whatever ``parse_simple`` accepts, argparse parses alike.
"""

from __future__ import annotations

from dockwright.record import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    import argparse
    from argparse import Namespace
    from collections.abc import Callable
else:  # the same attribute interface as argparse.Namespace, without importing argparse
    from types import SimpleNamespace as Namespace

THRESHOLDS = ("error", "warning", "info", "style", "ignore", "none")
FORMATS = (
    "tty", "json", "checkstyle", "codeclimate", "gitlab_codeclimate", "gnu", "codacy",
    "sonarqube", "sarif", "junit",
)  # fmt: skip
LABEL_TYPES = ("text", "url", "semver", "hash", "rfc3339", "spdx", "email")
LEVELS = ("error", "warning", "info", "style")


def label(value: str) -> tuple[str, str]:
    """``--require-label LABEL:TYPE`` (an empty type is text)."""
    name, sep, kind = value.partition(":")
    if not sep or not name:
        from argparse import ArgumentTypeError  # only on this error path

        raise ArgumentTypeError(f"expected LABEL:TYPE, found {value!r}")
    if (kind or "text") not in LABEL_TYPES:
        from argparse import ArgumentTypeError

        raise ArgumentTypeError(
            f"invalid label type {kind!r}: expected one of {', '.join(LABEL_TYPES)}"
        )
    return name, kind or "text"


class Option(Record):
    """One option. ``metavar`` None: a switch (``store_true``); otherwise it takes a value,
    made by ``convert`` (argparse's ``type``), checked against ``choices``, kept in a list
    when it ``repeats``."""

    __slots__ = ("choices", "convert", "dest", "help", "metavar", "names", "repeats")

    names: tuple[str, ...]
    help: str
    metavar: str | None
    repeats: bool
    choices: tuple[str, ...] | None
    convert: Callable[[str], object]
    dest: str

    def __init__(
        self,
        names: tuple[str, ...],
        help: str,
        metavar: str | None = None,
        repeats: bool = False,
        choices: tuple[str, ...] | None = None,
        convert: Callable[[str], object] = str,
        dest: str = "",
    ) -> None:
        long = next(n for n in names if n.startswith("--"))
        Record.__init__(
            self, names=names, help=help, metavar=metavar, repeats=repeats, choices=choices,
            convert=convert, dest=dest or long[2:].replace("-", "_"),
        )  # fmt: skip

    @property
    def default(self) -> object:
        return [] if self.repeats else None if self.metavar is not None else False


OPTIONS: tuple[Option, ...] = (
    Option(("-f", "--format"), f"output format, repeatable: {' | '.join(FORMATS)} (default: tty)",
           "FORMAT", repeats=True, choices=FORMATS),
    Option(("-c", "--config"),
           "config file (default: the first of ./.hadolint.yaml, ./.hadolint.yml, "
           "$XDG_CONFIG_HOME/hadolint.yaml, ~/.hadolint/hadolint.yaml, ~/.hadolint.yaml, ...)",
           "FILE"),
    Option(("-o", "--output"), "write the n-th format to the n-th file (default: stdout)",
           "FILE", repeats=True),
    Option(("--file-path-in-report",),
           "file name to report in checkstyle, codeclimate, gitlab_codeclimate, sonarqube "
           "and junit output", "PATH"),
    Option(("--ignore",), "ignore a rule (repeatable)", "CODE", repeats=True),
    *(Option((f"--{level}",), f"make a rule's findings {level} (repeatable)", "CODE",
             repeats=True) for level in LEVELS),
    Option(("--trusted-registry",), "a registry FROM images may come from (DL3026; repeatable)",
           "REGISTRY", repeats=True),
    Option(("--require-label",),
           f"require a label of a type ({', '.join(LABEL_TYPES)}; repeatable)", "LABEL:TYPE",
           repeats=True, convert=label),
    Option(("--strict-labels",), "no labels other than the required ones"),
    Option(("--disable-ignore-pragma",),
           "ignore `# hadolint ignore=` pragmas (inline, stage and global)"),
    Option(("-t", "--failure-threshold"),
           "exit 1 only for findings at or above LEVEL (default: info)", "LEVEL",
           choices=THRESHOLDS),
    Option(("--no-fail",), "always exit 0 after linting"),
    Option(("--no-color",), "no colours in tty output"),
    Option(("-V", "--verbose"), "print the config source to stderr"),
    Option(("--fix",), "apply safe fixes in place, then report what is left"),
    Option(("--unsafe-fixes",),
           "also apply fixes that may change behaviour (with --fix or --diff)"),
    Option(("--diff",), "print the fixes as a unified diff; write nothing"),
)  # fmt: skip
_BY_NAME = {name: option for option in OPTIONS for name in option.names}
FILES_HELP = "Dockerfiles to lint; '-' reads stdin (default: ./Dockerfile)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE", help=FILES_HELP)
    for o in OPTIONS:
        if o.metavar is None:
            parser.add_argument(*o.names, dest=o.dest, action="store_true", help=o.help)
            continue
        parser.add_argument(
            *o.names, dest=o.dest, action="append" if o.repeats else "store", default=o.default,
            choices=o.choices, type=o.convert, metavar=o.metavar, help=o.help,
        )  # fmt: skip


def parse_simple(argv: list[str]) -> Namespace | None:
    """The namespace argparse would give for a plain command line, or None (see above)."""
    values = {o.dest: o.default for o in OPTIONS}
    files: list[str] = []
    files_done = False
    i, n = 0, len(argv)
    while i < n:
        arg = argv[i]
        i += 1
        if arg == "-" or not arg.startswith("-"):
            if files_done:
                return None  # argparse takes one run of files
            files.append(arg)
            continue
        if files:
            files_done = True
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        option = _BY_NAME.get(name)
        if option is None:
            return None
        if option.metavar is None:
            if eq:
                return None
            values[option.dest] = True
            continue
        if not eq:
            if i == n or (argv[i].startswith("-") and argv[i] != "-"):
                return None
            value = argv[i]
            i += 1
        try:
            item = option.convert(value)
        except Exception:
            return None
        if option.choices is not None and item not in option.choices:
            return None
        if option.repeats:
            values[option.dest] = [*values[option.dest], item]  # type: ignore[misc]
        else:
            values[option.dest] = item
    return Namespace(files=files, **values)
