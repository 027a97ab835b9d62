"""``dockwright lint [FILE...]``: hadolint's flags, config, pragmas, output and exit codes.

Imports stay minimal for start-up time: no YAML unless a config file is read.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HELP = "lint Dockerfiles (hadolint-compatible)"

_THRESHOLDS = ("error", "warning", "info", "style", "ignore", "none")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="*", metavar="FILE", help="Dockerfiles to lint; '-' reads stdin "
        "(default: ./Dockerfile)"
    )  # fmt: skip
    parser.add_argument(
        "-f", "--format", action="append", choices=("tty", "json"), metavar="FORMAT",
        help="output format: tty (default) or json; repeat for several",
    )  # fmt: skip
    parser.add_argument(
        "-c", "--config", metavar="FILE",
        help="config file (default: ./.hadolint.yaml or ./.hadolint.yml)",
    )  # fmt: skip
    parser.add_argument(
        "--ignore", action="append", default=[], metavar="CODE", help="ignore a rule (repeatable)"
    )
    for level in ("error", "warning", "info", "style"):
        parser.add_argument(
            f"--{level}", action="append", default=[], metavar="CODE",
            help=f"make a rule's findings {level} (repeatable)",
        )  # fmt: skip
    parser.add_argument(
        "-t", "--failure-threshold", choices=_THRESHOLDS, metavar="LEVEL",
        help="exit 1 only for findings at or above LEVEL (default: info)",
    )  # fmt: skip
    parser.add_argument("--no-fail", action="store_true", help="always exit 0 after linting")
    parser.add_argument("--no-color", action="store_true", help="no colours in tty output")


def run(args: argparse.Namespace) -> int:
    from dockwright.errors import UsageError
    from dockwright.lint.codes import KNOWN_ELSEWHERE, RULES
    from dockwright.lint.config import LintConfig, find_config, load_config
    from dockwright.lint.engine import failed, lint_path
    from dockwright.lint.model import Severity
    from dockwright.lint.report import to_json, to_tty

    for code in [*args.ignore, *args.error, *args.warning, *args.info, *args.style]:
        if code not in RULES and code not in KNOWN_ELSEWHERE and not code.startswith("SC"):
            raise UsageError(f"unknown rule code {code!r} (see `dockwright rule CODE`)")
    if args.config:
        config_path: Path | None = Path(args.config)
        if not Path(args.config).is_file():
            raise UsageError(f"{args.config}: no such config file")
    else:
        config_path = find_config(Path.cwd())
    config = load_config(config_path) if config_path else LintConfig()
    config = config.merged(
        ignored=tuple(args.ignore),
        overrides=tuple(
            (Severity(level), frozenset(getattr(args, level)))
            for level in ("error", "warning", "info", "style")
            if getattr(args, level)
        ),
        failure_threshold=args.failure_threshold,
        no_fail=True if args.no_fail else None,
    )
    files = args.files or ["Dockerfile"]
    findings = []
    for file in files:
        findings.extend(lint_path(file, config))
    color = not args.no_color and "NO_COLOR" not in os.environ
    for fmt in args.format or ["tty"]:
        if fmt == "json":
            sys.stdout.write(to_json(findings))
        else:
            sys.stdout.write(to_tty(findings, color=color))
    sys.stdout.flush()
    return 1 if failed(findings, config) else 0
