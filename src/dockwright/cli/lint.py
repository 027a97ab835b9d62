"""``dockwright lint [FILE...]``: hadolint's flags, config, pragmas, output and exit codes.

Imports stay minimal for start-up time: no YAML unless a config file is read, and no
argparse for a command line ``parse_simple`` understands (``dockwright.cli.lintargs``).
"""

from __future__ import annotations

import sys

from dockwright.cli.lintargs import LEVELS, configure, parse_simple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from dockwright.lint.model import Problem

__all__ = ["HELP", "configure", "parse_simple", "run"]

HELP = "lint Dockerfiles (hadolint-compatible)"


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
    given = [*args.ignore, *(c for level in LEVELS for c in getattr(args, level))]
    layer = cli_layer(
        ignored=[c for c in args.ignore if codes.well_formed(c)],
        overrides={
            level: [c for c in getattr(args, level) if codes.well_formed(c)] for level in LEVELS
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
        report_problems(problems, len(results))
    if fix_failed or any(p.bug for p in problems):
        return 3  # a bug: internal error
    if config.no_fail or any(f in ("codeclimate", "codacy") for f in formats):
        return 0
    # a file ShellCheck could not check fails the run, as a parse error does
    return 1 if problems or failed(findings, config) else 0


def report_problems(problems: Sequence[Problem], total: int) -> None:
    """One line per problem on standard error, naming the file; a bug's trace after it."""
    for p in problems:
        sys.stderr.write(f"dockwright: error: {p.file}: {p.message}\n")
        if p.bug:
            sys.stderr.write(
                "dockwright: this is a bug (in dockwright, or in the plugin the rule comes "
                "from); please report it with this trace:\n" + p.detail
            )
    files = len({p.file for p in problems})
    sys.stderr.write(
        f"dockwright: {files} of {total} file{'s' if total != 1 else ''} could not be linted "
        "completely; every other result is reported\n"
    )
