"""``dockwright run``: the whole pipeline for the images of dockwright.yaml."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockwright.pipeline.executor import RunReport
    from dockwright.pipeline.steps import StepResult

HELP = "run the whole pipeline: lint, build, test, then publish what was tested"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("images", nargs="*", metavar="IMAGE", help="images of dockwright.yaml")
    parser.add_argument("-c", "--config", metavar="FILE", help="default: ./dockwright.yaml")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--publish",
        dest="publish",
        action="store_const",
        const=True,
        default=None,
        help="publish even when this checkout is not a release or the default branch",
    )
    group.add_argument(
        "--no-publish",
        dest="publish",
        action="store_const",
        const=False,
        help="stop after the tests",
    )


def run(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from dockwright.engine.docker import DockerEngine
    from dockwright.errors import UsageError
    from dockwright.pipeline.config import CONFIG_NAME, find_config, load_config
    from dockwright.pipeline.executor import run_pipeline
    from dockwright.tags.context import discover

    path = Path(args.config) if args.config else find_config(Path("."))
    if path is None:
        raise UsageError(f"no {CONFIG_NAME} here; pass --config FILE")
    config = load_config(path)
    context = discover(os.environ, config.root)
    with DockerEngine() as engine:
        report = run_pipeline(
            config,
            engine=engine,
            context=context,
            images=args.images,
            publish_mode=args.publish,
            on_step=_print_step,
        )
    _print_summary(report)
    return 0 if report.ok else 1


def _print_step(result: StepResult) -> None:
    line = f"{result.image:<12} {result.step:<8} {result.status.value:<8} {result.seconds:6.1f}s"
    if result.summary:
        line += f"  {result.summary}"
    print(line, flush=True)
    for detail in result.details:
        print(f"{'':<12} {'':<8} - {detail}", flush=True)


def _print_summary(report: RunReport) -> None:
    print(f"publish: {'yes' if report.publishing else 'no'} ({report.reason})")
    for image in report.images:
        if image.published:
            print(f"published {image.name}:")
            for item in image.published:
                print(f"  {item.ref}  {item.digest}")
    failed = [i.name for i in report.images if not i.ok]
    if failed:
        print(f"failed: {', '.join(failed)}; nothing of them was published", file=sys.stderr)
