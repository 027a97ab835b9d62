"""``dockwright test``: container-structure-test configs against an image (CST's flags)."""

from __future__ import annotations

import argparse
import os
import sys

HELP = "run container-structure-test configs (schema 2.0.0) against an image"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-i", "--image", required=True, help="image to test (name or id)")
    parser.add_argument(
        "-c", "--config", action="append", required=True, metavar="FILE",
        help="structure test config (.yaml, .yml or .json); repeatable",
    )  # fmt: skip
    parser.add_argument(
        "-o", "--output", choices=("text", "json", "junit"), default="text",
        help="report format (default text)",
    )  # fmt: skip
    parser.add_argument("--test-report", metavar="FILE", help="write the report to FILE")
    parser.add_argument("-q", "--quiet", action="store_true", help="do not print the report")
    parser.add_argument("--no-color", action="store_true", help="plain text output")
    parser.add_argument(
        "--timeout", type=float, default=600.0, metavar="SECONDS",
        help="per command test; a test still running is killed and fails (default 600)",
    )  # fmt: skip
    parser.add_argument(
        "-j", "--jobs", type=int, default=4, metavar="N",
        help="command tests run at once (default 4)",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from dockwright.engine.docker import DockerEngine
    from dockwright.errors import UsageError
    from dockwright.structure.config import load_config
    from dockwright.structure.report import render
    from dockwright.structure.runner import Report, run_config

    if args.timeout <= 0:
        raise UsageError(f"--timeout: expected a positive number of seconds, found {args.timeout}")
    output = args.output
    if args.test_report and output == "text":
        print("dockwright: warning: --test-report cannot be text; writing json", file=sys.stderr)
        output = "json"
    configs = [load_config(path) for path in args.config]
    with DockerEngine() as engine:
        files = tuple(
            run_config(engine, args.image, c, timeout=args.timeout, workers=args.jobs)
            for c in configs
        )
    report = Report(files)
    color = output == "text" and not args.no_color and sys.stdout.isatty()
    color = color and "NO_COLOR" not in os.environ
    text = render(report, output, color=color)
    if args.test_report:
        with open(args.test_report, "w", encoding="utf-8") as handle:
            handle.write(text)
    elif not args.quiet:
        sys.stdout.write(text)
    return 0 if report.ok else 1
