"""``dockwright run`` as a library: plan the workflows for this checkout, then run them.

:func:`plan_run` picks the workflows (every one, or those named; without ``workflows:`` the
default one), the jobs (``only``: those named and what they require) and says why a job does
not run for this branch or tag (its filters, or a required job that does not run). Nothing has
run yet, so ``--dry-run`` prints it. :func:`execute` first checks everything a step will need
(lint settings, structure-test files, publish credentials), so bad input fails before any
side effect, then runs the jobs as a DAG and returns the run's record.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from dockwright.errors import UsageError
from dockwright.pipeline.dag import Node, run_dag
from dockwright.pipeline.jobrun import JobRun, RunContext, new_record, run_job
from dockwright.pipeline.runrecord import Event, JobFinished, JobRecord, RunRecord, State
from dockwright.pipeline.workflow import (
    BuiltinStep,
    Job,
    Ref,
    Workflow,
    default_workflow,
    filtered_out,
    topological,
)

if TYPE_CHECKING:
    from pathlib import Path

    from dockwright.engine.base import Engine
    from dockwright.pipeline.cache import Cache
    from dockwright.pipeline.config import Config
    from dockwright.proc import CancelScope
    from dockwright.tags.context import Context


@dataclass(frozen=True)
class RunOptions:
    names: Sequence[str] = ()  # workflows (or, without workflows:, images) to run; all if empty
    only: Sequence[str] = ()  # jobs to run, with what they require
    jobs: int = 0  # jobs at a time; 0: the number of CPUs
    fail_fast: bool = False
    publish_mode: bool | None = None  # --publish / --no-publish


@dataclass
class PlannedJob:
    workflow: str
    job: Job
    record: JobRecord
    filtered: str | None = None  # why it does not run for this ref

    @property
    def name(self) -> str:
        return self.record.name


@dataclass
class Plan:
    ref: Ref
    publishing: bool
    publish_reason: str
    jobs: list[PlannedJob] = field(default_factory=list)
    default: bool = False  # the default workflow (no workflows: in the file)

    @property
    def runnable(self) -> list[PlannedJob]:
        return [p for p in self.jobs if p.filtered is None]


def ref_of(context: Context, env: Mapping[str, str]) -> Ref:
    """The branch or tag the filters see. A pull request is built on its head branch, as
    CircleCI's CIRCLE_BRANCH (GitHub: GITHUB_HEAD_REF, GitLab: the source branch)."""
    if context.tag:
        return Ref(tag=context.tag)
    branch = context.branch or next(
        (
            env[k]
            for k in ("CIRCLE_BRANCH", "GITHUB_HEAD_REF", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME")
            if env.get(k)
        ),
        "",
    )
    return Ref(branch=branch)


def plan_run(
    config: Config, context: Context, options: RunOptions, env: Mapping[str, str] | None = None
) -> Plan:
    from dockwright.pipeline.release import publish_decision

    env = os.environ if env is None else env
    workflows = _workflows(config, options.names)
    publishing, reason = publish_decision(context)
    if options.publish_mode is not None:
        publishing = options.publish_mode
        reason = "asked for (--publish)" if publishing else "turned off (--no-publish)"
    plan = Plan(ref_of(context, env), publishing, reason, default=not config.workflows)
    prefix = len(workflows) > 1
    for workflow in workflows:
        jobs = topological(workflow.jobs)
        keep = _selected(workflow, options.only) if options.only else None
        reasons: dict[str, str | None] = {}
        for job in jobs:
            if keep is not None and job.name not in keep:
                continue
            why = filtered_out(job.filters, plan.ref)
            if why is None:
                stopped = next((r for r in job.requires if reasons.get(r)), None)
                if stopped is not None:
                    why = f"requires {stopped}, which does not run for {plan.ref.describe()}"
            reasons[job.name] = why
            name = f"{workflow.name}/{job.name}" if prefix else job.name
            record = new_record(job, workflow.name, name)
            record.requires = tuple(f"{workflow.name}/{r}" if prefix else r for r in job.requires)
            if why is not None:
                record.state, record.reason = State.FILTERED, why
            plan.jobs.append(PlannedJob(workflow.name, job, record, why))
    if options.only:
        _check_only(plan, workflows, options.only)
    return plan


def _workflows(config: Config, names: Sequence[str]) -> list[Workflow]:
    if not config.workflows:
        workflow = default_workflow(config)
        unknown = [n for n in names if n not in config.images]
        if unknown:
            raise UsageError(
                f"no image {unknown[0]!r} in {config.path}; it defines {', '.join(config.images)}"
            )
        if names:
            workflow = Workflow(workflow.name, tuple(j for j in workflow.jobs if j.name in names))
        return [workflow]
    unknown = [n for n in names if n not in config.workflows]
    if unknown:
        raise UsageError(
            f"no workflow {unknown[0]!r} in {config.path}; it defines {', '.join(config.workflows)}"
        )
    return [config.workflows[n] for n in (names or config.workflows)]


def _selected(workflow: Workflow, only: Sequence[str]) -> set[str]:
    keep: set[str] = set()
    for name in only:
        if any(j.name == name for j in workflow.jobs):
            keep |= {name, *workflow.upstream(name)}
    return keep


def _check_only(plan: Plan, workflows: list[Workflow], only: Sequence[str]) -> None:
    known = [j.name for w in workflows for j in w.jobs]
    unknown = [n for n in only if n not in known]
    if unknown:
        shown = ", ".join(dict.fromkeys(known))
        raise UsageError(f"--only {unknown[0]}: no such job; the jobs are: {shown}")


def execute(
    plan: Plan,
    config: Config,
    *,
    engine: Engine,
    context: Context,
    cache: Cache,
    options: RunOptions,
    on_event: Callable[[Event], None] = lambda event: None,
    env: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> RunRecord:
    """Check what the steps need, then run the plan's jobs; the record says how it went."""
    env = dict(os.environ if env is None else env)
    started = now or datetime.now(UTC)
    rc = RunContext(
        config=config,
        engine=engine,
        context=context,
        now=started,
        cache=cache,
        env=env,
        emit_event=on_event,
        publish_mode=options.publish_mode,
        publishing=plan.publishing,
        publish_reason=plan.publish_reason,
    )
    _preflight(rc, plan)
    record = RunRecord(
        started=started,
        ref=context.ref,
        sha=context.sha,
        publishing=plan.publishing,
        publish_reason=plan.publish_reason,
        jobs=[p.record for p in plan.jobs],
    )
    by_name = {p.name: p for p in plan.runnable}
    for planned in plan.jobs:
        if planned.filtered is not None:
            rc.emit(JobFinished(planned.record))
    for planned in by_name.values():
        rc.upstream[planned.name] = [
            n for n in _upstream(planned.record.requires, by_name) if n in by_name
        ]
    from dockwright.pipeline.steps import handlers

    table = handlers()

    def one(name: str, scope: CancelScope) -> State:
        planned = by_name[name]
        return run_job(JobRun(rc, planned.job, planned.record, scope), table)

    def not_run(name: str, state: State, reason: str) -> None:
        job = by_name[name].record
        job.state, job.reason = state, reason
        for step in job.steps:
            step.state = state
        rc.emit(JobFinished(job))

    nodes = [
        Node(p.name, tuple(r for r in p.record.requires if r in by_name)) for p in by_name.values()
    ]
    start = time.monotonic()
    workers = options.jobs or os.cpu_count() or 1
    record.interrupted = run_dag(nodes, one, not_run, workers=workers, fail_fast=options.fail_fast)
    record.seconds = time.monotonic() - start
    record.builder = rc.builder
    return record


def _upstream(requires: Sequence[str], by_name: Mapping[str, PlannedJob]) -> list[str]:
    out: list[str] = []
    queue = list(requires)
    while queue:
        name = queue.pop(0)
        if name not in out and name in by_name:
            out.append(name)
            queue.extend(by_name[name].record.requires)
    return out


def _preflight(rc: RunContext, plan: Plan) -> None:
    """Everything a step will need, before any step runs: bad input fails here (exit 2).

    Lint settings made in dockwright.yaml and structure-test files are checked once per
    content: that they passed is remembered in the job cache (kind ``valid``), so a run with
    nothing changed reads neither and loads neither the linter nor the structure-test reader.
    """
    from dockwright.pipeline.executor import destinations

    steps = [s for p in plan.runnable for s in p.job.steps if isinstance(s, BuiltinStep)]
    kinds = {s.kind for s in steps}
    if "lint" in kinds:
        _lint_settings(rc)
    if "test" in kinds:
        files = {
            p for s in steps if s.kind == "test" and s.target for p in rc.image(s.target)[0].tests
        }
        for path in sorted(files):
            _check_once(rc, "structure test", path, _load_structure_test)
    if rc.publish_mode is not False:
        images = {
            s.target.image
            for s in steps
            if s.kind == "publish" and s.target and (plan.publishing or not s.release_only)
        }
        for name in rc.config.images:  # in the file's order, so the first problem is stable
            if name in images:
                rc.destinations[name] = destinations(rc.config.images[name])


def _lint_settings(rc: RunContext) -> None:
    from dockwright.pipeline.fingerprint import canonical, digest
    from dockwright.pipeline.lintstep import settings_source

    source = settings_source(rc.config, os.environ)
    if source is None:  # a .hadolint.yaml: only the linter knows which, so read them now
        rc.lint_key = canonical(rc.lint_config())
        return
    rc.lint_key = digest("lint settings", source)
    if rc.cache.get("valid", rc.lint_key) is None:
        rc.lint_config()  # a bad value fails here
        rc.cache.put("valid", rc.lint_key, {})


def _load_structure_test(path: Path) -> None:
    from dockwright.structure.config import load_config

    load_config(str(path))


def _check_once(rc: RunContext, what: str, path: Path, check: Callable[[Path], None]) -> None:
    """``check(path)`` unless a file of the same content at the same path passed it before."""
    from dockwright.pipeline.fingerprint import digest, file_digest

    try:
        key = digest(what, str(path), file_digest(path))
    except OSError:
        check(path)  # says what is wrong with it
        return
    if rc.cache.get("valid", key) is None:
        check(path)
        rc.cache.put("valid", key, {})
