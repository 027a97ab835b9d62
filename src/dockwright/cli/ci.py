"""``dockwright ci PROVIDER``: write the CI configuration that runs the pipeline of
dockwright.yaml, or check that the committed one is what dockwright.yaml gives."""

from __future__ import annotations

import argparse

HELP = "write the CircleCI, GitHub Actions, GitLab CI or CodeBuild configuration of the pipeline"


def configure(parser: argparse.ArgumentParser) -> None:
    from dockwright.ci.plan import Options
    from dockwright.ci.registry import GENERATORS

    defaults = Options()
    where = ", ".join(f"{n}: {g.default_path}" for n, g in GENERATORS.items())
    parser.add_argument(
        "provider",
        choices=list(GENERATORS),
        metavar="PROVIDER",
        help=f"the CI: {', '.join(GENERATORS)}",
    )
    parser.add_argument("-c", "--config", metavar="FILE", help="default: ./dockwright.yaml")
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help=f"where to write it (default, from the repository's root: {where})",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--stdout", action="store_true", help="print it instead of writing it")
    mode.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the file differs from what would be written",
    )
    parser.add_argument(
        "--default-branch",
        default=defaults.default_branch,
        metavar="NAME",
        help=f"the branch that publishes without workflows: (default {defaults.default_branch})",
    )
    parser.add_argument(
        "--schedule",
        default=defaults.schedule,
        metavar="CRON",
        help=f"when the update runs, cron in UTC (default {defaults.schedule!r})",
    )


def run(args: argparse.Namespace) -> int:
    import difflib
    import sys
    from pathlib import Path

    from dockwright.ci.generate import generate
    from dockwright.ci.plan import Options
    from dockwright.errors import UsageError
    from dockwright.pipeline.config import CONFIG_NAME, find_config

    path = Path(args.config) if args.config else find_config(Path("."))
    if path is None:
        raise UsageError(f"no {CONFIG_NAME} here; pass --config FILE")
    options = Options(default_branch=args.default_branch, schedule=args.schedule)
    output = Path(args.output) if args.output else None
    generated = generate(args.provider, path, options=options, output=output)
    if args.stdout:
        sys.stdout.write(generated.text)
        return 0
    shown = _shown(generated.path)
    if args.check:
        try:
            current = generated.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            print(
                f"{shown}: missing; write it with `dockwright ci {args.provider}`", file=sys.stderr
            )
            return 1
        if current == generated.text:
            print(f"{shown}: up to date")
            return 0
        diff = difflib.unified_diff(
            current.splitlines(keepends=True),
            generated.text.splitlines(keepends=True),
            f"{shown} (committed)",
            f"{shown} (from {path})",
        )
        sys.stdout.writelines(diff)
        print(
            f"{shown}: differs from what {path} gives; write it again with "
            f"`dockwright ci {args.provider}`",
            file=sys.stderr,
        )
        return 1
    generated.path.parent.mkdir(parents=True, exist_ok=True)
    generated.path.write_text(generated.text, encoding="utf-8")
    print(f"wrote {shown}")
    return 0


def _shown(path: object) -> str:
    import os
    from pathlib import Path

    assert isinstance(path, Path)
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)
