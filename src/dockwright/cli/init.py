"""``dockwright init``: a starter dockwright.yaml and structure tests for this repository."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockwright.init.starter import Outcome

HELP = "write a starter dockwright.yaml and structure tests for the Dockerfiles here"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "directory", nargs="?", default=".", help="the repository (default: the current one)"
    )
    parser.add_argument("--force", action="store_true", help="write over existing files")
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="write dockwright.yaml only: no build, no structure tests",
    )
    parser.add_argument(
        "-j", "--jobs", type=int, default=0, metavar="N", help="builds at a time (default: CPUs)"
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dockwright.errors import UsageError
    from dockwright.init.starter import initialize, plan

    root = Path(args.directory)
    if not root.is_dir():
        raise UsageError(f"{args.directory}: expected a directory, found none")
    if args.jobs < 0:
        raise UsageError(f"--jobs: expected a number >= 1; found {args.jobs}")
    starters = plan(root, force=args.force)
    width = max(len(s.name) for s in starters)
    print(f"{len(starters)} Dockerfile{'s' if len(starters) != 1 else ''}:")
    for s in starters:
        print(f"  {s.name:<{width}}  {s.dockerfile} (context {s.context})")
    said: list[str] = []

    def show(outcome: Outcome) -> None:
        if outcome.builder and not said:
            said.append(outcome.builder)
            print(f"builder: {outcome.builder}")
        name = f"{outcome.starter.name:<{width}}"
        if outcome.suite is None:
            print(f"  {name}  no structure tests: {outcome.error}")
            return
        print(f"  {name}  {outcome.image_id}: {outcome.suite.count()} structure tests pass")
        for test in outcome.dropped:
            print(f"  {'':<{width}}  left out, as it failed on the image: {test}")

    if args.no_build:
        result = initialize(root, starters, None, on_outcome=show)
    else:
        from dockwright.engine.docker import DockerEngine

        with DockerEngine() as engine:
            result = initialize(root, starters, engine, jobs=args.jobs, on_outcome=show)
    for path in result.written:
        print(f"wrote {path}")
    if result.lint_ignored:
        print(
            f"lint: {', '.join(result.lint_ignored)} ignored for now (these Dockerfiles break "
            "them today); see lint.ignored"
        )
    print("next: dockwright run --no-publish (then add a publish: repository to publish)")
    return (
        1 if any(o.suite is None and o.error and not args.no_build for o in result.outcomes) else 0
    )
