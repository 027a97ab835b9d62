"""``dockwright run``: the workflows of dockwright.yaml, jobs in parallel where the DAG allows."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from collections.abc import Mapping

    from dockwright.cli.runview import Renderer
    from dockwright.pipeline.runner import Plan

HELP = "run the workflows: lint, build, test, then publish what was tested"
DEFAULT_REPORT_DIR = ".dockwright/reports"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "names",
        nargs="*",
        metavar="WORKFLOW",
        help="workflows to run (default: all); without workflows: in the file, images",
    )
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
        help="skip every publish step",
    )
    parser.add_argument(
        "-j", "--jobs", type=int, default=0, metavar="N", help="jobs at a time (default: CPUs)"
    )
    parser.add_argument(
        "--fail-fast", action="store_true", help="cancel the running jobs at the first failure"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="JOB",
        help="run this job and the jobs it requires (repeatable)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the plan: jobs, steps, and what is skipped"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="redo every step, even with unchanged inputs"
    )
    parser.add_argument("--plain", action="store_true", help="plain lines, even on a terminal")
    parser.add_argument("-v", "--verbose", action="store_true", help="show every output line")
    parser.add_argument(
        "--report-dir",
        metavar="DIR",
        help=f"where run.json, junit.xml, summary.md and logs go (default: {DEFAULT_REPORT_DIR} "
        "beside dockwright.yaml)",
    )


def run(args: argparse.Namespace) -> int:
    import os
    import signal
    from pathlib import Path

    from dockwright.errors import UsageError
    from dockwright.pipeline.cache import Cache
    from dockwright.pipeline.config import CONFIG_NAME, find_config, load_config
    from dockwright.pipeline.runner import RunOptions, plan_run
    from dockwright.tags.context import discover

    if args.jobs < 0:
        raise UsageError(f"--jobs: expected a number >= 1; found {args.jobs}")
    path = Path(args.config) if args.config else find_config(Path("."))
    if path is None:
        raise UsageError(
            f"no {CONFIG_NAME} here; `dockwright init` writes one for the Dockerfiles "
            "of this repository, or pass --config FILE"
        )
    config = load_config(path)
    context = discover(os.environ, config.root)
    options = RunOptions(
        names=args.names,
        only=args.only,
        jobs=args.jobs,
        fail_fast=args.fail_fast,
        publish_mode=args.publish,
    )
    plan = plan_run(config, context, options)
    if args.dry_run:
        print_plan(plan)
        return 0
    from dockwright.engine.select import open_engine
    from dockwright.pipeline.report import write_reports
    from dockwright.pipeline.runner import execute

    renderer = _renderer(args, os.environ)
    # A CI's cancel (SIGTERM) stops the jobs as Ctrl-C does: nothing is left running.
    signal.signal(signal.SIGTERM, _interrupt)
    cache = Cache.beside(config.root, read=not args.no_cache)
    try:
        renderer.plan(plan)
        with open_engine(config.engine) as engine:
            record = execute(
                plan,
                config,
                engine=engine,
                context=context,
                cache=cache,
                options=options,
                on_event=renderer.event,
            )
        renderer.finish(record)
    finally:
        renderer.close()
    reports = Path(args.report_dir) if args.report_dir else config.root / DEFAULT_REPORT_DIR
    written = write_reports(record, reports, os.environ)
    print(f"reports: {written.record.parent} (run.json, junit.xml); summary: {written.summary}")
    bad = [j.name for j in record.jobs if j.state.value in ("failed", "cancelled")]
    if record.interrupted:
        print("dockwright: interrupted; the running jobs were stopped", file=sys.stderr)
        return 130
    if bad:
        print(f"failed: {', '.join(bad)}; nothing of them was published", file=sys.stderr)
        return 1
    return 0


def live_view(plain: bool, env: Mapping[str, str], out: TextIO) -> bool:
    """Draw live on a terminal; plain lines with --plain, in CI (``CI`` set, as every CI
    service sets it), on a dumb terminal, or when the output is not a terminal."""
    if plain or env.get("CI") or env.get("TERM") == "dumb":
        return False
    return out.isatty()


def _renderer(args: argparse.Namespace, env: Mapping[str, str]) -> Renderer:
    if live_view(args.plain, env, sys.stdout):
        from rich.console import Console

        from dockwright.cli.liveview import LiveRenderer

        return LiveRenderer(Console(), verbose=args.verbose)
    from dockwright.cli.runview import PlainRenderer

    return PlainRenderer(sys.stdout, verbose=args.verbose)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def print_plan(plan: Plan) -> None:
    """The jobs in the order they can run, their steps and requires, and what does not run."""
    what = plan.ref.describe()
    publish = "yes" if plan.publishing else "no"
    print(f"plan for {what}: {len(plan.runnable)} of {len(plan.jobs)} jobs run")
    print(f"publish: {publish} ({plan.publish_reason})")
    width = max([12, *(len(p.name) for p in plan.jobs)])
    workflow = None
    for planned in plan.jobs:
        if planned.workflow != workflow and not plan.default:
            workflow = planned.workflow
            print(f"workflow {workflow}")
        steps = []
        for step in planned.job.steps:
            name = step.name if step.kind != "run" else f"run: {step.name}"
            if (
                step.kind == "publish"
                and getattr(step, "release_only", False)
                and not (plan.publishing)
            ):
                name += " (skipped: not publishing)"
            steps.append(name)
        state = "run" if planned.filtered is None else "not run"
        line = f"  {planned.name:<{width}} {state:<8} {' → '.join(steps)}"
        if planned.record.requires:
            line += f"  [requires {', '.join(planned.record.requires)}]"
        if planned.filtered:
            line += f"  ({planned.filtered})"
        print(line)
