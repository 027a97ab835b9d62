"""``dockwright lint [FILE...]``: hadolint's flags, config, pragmas, output and exit codes.

Imports stay minimal for start-up time: no YAML unless a config file is read, and no
argparse for a command line ``parse_simple`` understands.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    import argparse
    from argparse import Namespace
    from collections.abc import Sequence

    from dockwright.lint.model import Problem
else:  # the same attribute interface as argparse.Namespace, without importing argparse
    from types import SimpleNamespace as Namespace

HELP = "lint Dockerfiles (hadolint-compatible)"

_THRESHOLDS = ("error", "warning", "info", "style", "ignore", "none")
_FORMATS = (
    "tty", "json", "checkstyle", "codeclimate", "gitlab_codeclimate", "gnu", "codacy",
    "sonarqube", "sarif", "junit",
)  # fmt: skip
_LABEL_TYPES = ("text", "url", "semver", "hash", "rfc3339", "spdx", "email")
_LEVELS = ("error", "warning", "info", "style")


def _label(value: str) -> tuple[str, str]:
    from argparse import ArgumentTypeError

    name, sep, kind = value.partition(":")
    if not sep or not name:
        raise ArgumentTypeError(f"expected LABEL:TYPE, found {value!r}")
    if (kind or "text") not in _LABEL_TYPES:
        raise ArgumentTypeError(
            f"invalid label type {kind!r}: expected one of {', '.join(_LABEL_TYPES)}"
        )
    return name, kind or "text"


def configure(parser: argparse.ArgumentParser) -> None:
    from dockwright.cli import lintfix

    parser.add_argument(
        "files", nargs="*", metavar="FILE", help="Dockerfiles to lint; '-' reads stdin "
        "(default: ./Dockerfile)"
    )  # fmt: skip
    parser.add_argument(
        "-f", "--format", action="append", default=[], choices=_FORMATS, metavar="FORMAT",
        help=f"output format, repeatable: {' | '.join(_FORMATS)} (default: tty)",
    )  # fmt: skip
    parser.add_argument(
        "-c", "--config", metavar="FILE",
        help="config file (default: the first of ./.hadolint.yaml, ./.hadolint.yml, "
        "$XDG_CONFIG_HOME/hadolint.yaml, ~/.hadolint/hadolint.yaml, ~/.hadolint.yaml, ...)",
    )  # fmt: skip
    parser.add_argument(
        "-o", "--output", action="append", default=[], metavar="FILE",
        help="write the n-th format to the n-th file (default: stdout)",
    )  # fmt: skip
    parser.add_argument(
        "--file-path-in-report", metavar="PATH",
        help="file name to report in checkstyle, codeclimate, gitlab_codeclimate, sonarqube "
        "and junit output",
    )  # fmt: skip
    parser.add_argument(
        "--ignore", action="append", default=[], metavar="CODE", help="ignore a rule (repeatable)"
    )
    for level in _LEVELS:
        parser.add_argument(
            f"--{level}", action="append", default=[], metavar="CODE",
            help=f"make a rule's findings {level} (repeatable)",
        )  # fmt: skip
    parser.add_argument(
        "--trusted-registry", action="append", default=[], metavar="REGISTRY",
        help="a registry FROM images may come from (DL3026; repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--require-label", action="append", default=[], type=_label, metavar="LABEL:TYPE",
        help=f"require a label of a type ({', '.join(_LABEL_TYPES)}; repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--strict-labels", action="store_true", help="no labels other than the required ones"
    )
    parser.add_argument(
        "--disable-ignore-pragma", action="store_true",
        help="ignore `# hadolint ignore=` pragmas (inline, stage and global)",
    )  # fmt: skip
    parser.add_argument(
        "-t", "--failure-threshold", choices=_THRESHOLDS, metavar="LEVEL",
        help="exit 1 only for findings at or above LEVEL (default: info)",
    )  # fmt: skip
    parser.add_argument("--no-fail", action="store_true", help="always exit 0 after linting")
    parser.add_argument("--no-color", action="store_true", help="no colours in tty output")
    parser.add_argument(
        "-V", "--verbose", action="store_true", help="print the config source to stderr"
    )
    lintfix.configure(parser)


def run(args: argparse.Namespace) -> int:
    import os

    from dockwright.errors import UsageError
    from dockwright.lint import codes
    from dockwright.lint.engine import failed, lint_files
    from dockwright.lint.report import render
    from dockwright.lint.settings import cli_layer, resolve

    if args.config and not os.path.isfile(args.config):
        raise UsageError(f"{args.config}: no such config file")
    # A code that is not even shaped like one (``dl3008``) is warned about below, not an error.
    given = [*args.ignore, *(c for level in _LEVELS for c in getattr(args, level))]
    layer = cli_layer(
        ignored=[c for c in args.ignore if codes.well_formed(c)],
        overrides={
            level: [c for c in getattr(args, level) if codes.well_formed(c)] for level in _LEVELS
        },
        trusted_registries=args.trusted_registry,
        labels=dict(args.require_label),
        formats=args.format,
        failure_threshold=args.failure_threshold,
        flags={
            "no-fail": args.no_fail,
            "no-color": args.no_color,
            "strict-labels": args.strict_labels,
            "disable-ignore-pragma": args.disable_ignore_pragma,
            "verbose": args.verbose,
        },
    )
    config = resolve(layer, config_file=args.config)
    # from the command line, the config file and HADOLINT_* alike: no rule is a warning
    named = [*given, *sorted(config.ignored), *sorted(c for _, cs in config.overrides for c in cs)]
    for warning in codes.unknown_code_warnings(named):
        sys.stderr.write(f"dockwright: warning: {warning}\n")
    if config.verbose:
        sys.stderr.write(f"Configuration file used: {config.source or 'none'}\n")
    files = args.files or ["Dockerfile"]
    fix_failed = False
    if getattr(args, "fix", False) or getattr(args, "diff", False):
        from dockwright.cli import lintfix

        done, fix_failed = lintfix.run(args, files, config)
        if done is not None:
            return done
    results = lint_files(files, config)
    findings = [f for r in results for f in r.findings]
    formats = list(config.formats) or ["tty"]
    color = not config.no_color  # hadolint colours unless told not to, even in a pipe
    outputs: list[str] = list(args.output)
    for i, fmt in enumerate(formats):
        text = render(fmt, results, color=color, file_path_in_report=args.file_path_in_report)
        if i < len(outputs) and outputs[i] != "-":
            with open(outputs[i], "w", encoding="utf-8") as out:
                out.write(text)
        else:
            sys.stdout.write(text)
    sys.stdout.flush()
    problems = [p for r in results for p in r.problems]
    if problems:
        report_problems(problems)
    if problems or fix_failed:
        return 3  # the lint is incomplete: neither clean nor just findings
    if config.no_fail or any(f in ("codeclimate", "codacy") for f in formats):
        return 0
    return 1 if failed(findings, config) else 0


def report_problems(problems: Sequence[Problem]) -> None:
    """One line per problem on standard error, naming the file; a bug's trace after it."""
    for p in problems:
        sys.stderr.write(f"dockwright: error: {p.file}: {p.message}\n")
        if p.detail:
            sys.stderr.write(
                "dockwright: this is a bug (in dockwright, or in the plugin the rule comes "
                "from); please report it with this trace:\n" + p.detail
            )
    sys.stderr.write(
        f"dockwright: {len({p.file for p in problems})} of the files could not be linted "
        "completely; the results above are those of the rest\n"
    )


# parse_simple: option -> (dest, whether it repeats, allowed values); flags -> dest
_VALUED: dict[str, tuple[str, bool, tuple[str, ...] | None]] = {
    "-f": ("format", True, _FORMATS), "--format": ("format", True, _FORMATS),
    "-c": ("config", False, None), "--config": ("config", False, None),
    "-o": ("output", True, None), "--output": ("output", True, None),
    "--file-path-in-report": ("file_path_in_report", False, None),
    "--ignore": ("ignore", True, None),
    **{f"--{level}": (level, True, None) for level in _LEVELS},
    "--trusted-registry": ("trusted_registry", True, None),
    "--require-label": ("require_label", True, None),
    "-t": ("failure_threshold", False, _THRESHOLDS),
    "--failure-threshold": ("failure_threshold", False, _THRESHOLDS),
}  # fmt: skip
_FLAGS = {
    "--strict-labels": "strict_labels", "--disable-ignore-pragma": "disable_ignore_pragma",
    "--no-fail": "no_fail", "--no-color": "no_color", "-V": "verbose", "--verbose": "verbose",
}  # fmt: skip
_DEFAULTS = {"config": None, "file_path_in_report": None, "failure_threshold": None}
_DEFAULT_FALSE = ("fix", "unsafe_fixes", "diff")


def parse_simple(argv: list[str]) -> Namespace | None:
    """The namespace argparse would give for a common command line, without argparse.

    Understood: the exact option names (``--opt VALUE``, ``--opt=VALUE``, ``-o VALUE``),
    the flags, and the files as one run of arguments. Anything else (help, ``--``,
    abbreviations, ``-fjson``, ``--fix``/``--diff``, a bad value, a value starting with
    ``-``, files on both sides of an option) gives None: argparse parses it or says why not.
    """
    values: dict[str, object] = {
        **_DEFAULTS, **dict.fromkeys(_FLAGS.values(), False), **dict.fromkeys(_DEFAULT_FALSE, False)
    }  # fmt: skip
    lists: dict[str, list[object]] = {d: [] for d, repeats, _ in _VALUED.values() if repeats}
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
        if arg in _FLAGS:
            values[_FLAGS[arg]] = True
            continue
        option, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        spec = _VALUED.get(option)
        if spec is None:
            return None
        if not eq:
            if i == n or (argv[i].startswith("-") and argv[i] != "-"):
                return None
            value = argv[i]
            i += 1
        dest, repeats, choices = spec
        if choices is not None and value not in choices:
            return None
        item: object = value
        if dest == "require_label":
            try:
                item = _label(value)
            except Exception:
                return None
        if repeats:
            lists[dest].append(item)
        else:
            values[dest] = item
    return Namespace(files=files, **lists, **values)
