"""Run one job: its steps in order, as CircleCI runs them.

A step runs when every step before it passed, unless it is a ``run:`` step that says
otherwise (``when: on_fail`` runs only after a failure, ``when: always`` in any case); the job
fails when one of its steps failed. What the steps share while the run goes (the engine, the
cache, the images built and their tags) is the :class:`RunContext`; an image a job builds is
found by the test and publish steps of that job and of the jobs that require it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dockwright.errors import DockwrightError
from dockwright.pipeline.runrecord import (
    OUTPUT_TAIL,
    BuilderChosen,
    Event,
    JobFinished,
    JobRecord,
    JobStarted,
    State,
    StepFinished,
    StepOutput,
    StepRecord,
    StepStarted,
)
from dockwright.pipeline.workflow import BuiltinStep, Job, RunStep, Step, Target

if TYPE_CHECKING:
    from dockwright.engine.base import Builder, Engine
    from dockwright.lint.config import LintConfig
    from dockwright.pipeline.cache import Cache
    from dockwright.pipeline.config import Config, ImageSpec
    from dockwright.proc import CancelScope
    from dockwright.publish import Destination
    from dockwright.tags.compute import TagSet
    from dockwright.tags.context import Context


@dataclass(frozen=True)
class Built:
    image_id: str
    tags: TagSet


@dataclass
class RunContext:
    """What the jobs of one run share. Methods are safe to call from the job threads."""

    config: Config
    engine: Engine
    context: Context
    now: datetime
    cache: Cache
    env: Mapping[str, str]
    emit_event: Callable[[Event], None]
    publish_mode: bool | None = None  # --publish / --no-publish
    publishing: bool = False  # the default workflow's decision for this checkout
    publish_reason: str = ""
    destinations: dict[str, list[Destination]] = field(default_factory=dict)
    lint_settings: LintConfig | None = None  # read when a Dockerfile must be linted
    lint_key: object = None  # the settings as the lint step's fingerprint knows them
    upstream: dict[str, list[str]] = field(default_factory=dict)  # job -> required, nearest first
    builder: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _builds: dict[tuple[str, Target], Built] = field(default_factory=dict)
    _specs: dict[Target, tuple[ImageSpec, TagSet]] = field(default_factory=dict)

    def emit(self, event: Event) -> None:
        with self._lock:
            self.emit_event(event)

    def lint_config(self) -> LintConfig:
        """The lint settings, read on first use (a cached lint needs only ``lint_key``)."""
        with self._lock:
            if self.lint_settings is None:
                from dockwright.pipeline.lintstep import lint_config

                self.lint_settings = lint_config(self.config)
            return self.lint_settings

    def announce(self, builder: Builder) -> None:
        """Say once per run which builder builds, and why."""
        with self._lock:
            if self.builder is not None:
                return
            self.builder = builder.describe()
            self.emit_event(BuilderChosen(self.builder))

    def image(self, target: Target) -> tuple[ImageSpec, TagSet]:
        """The image as ``target`` builds it (build args added, tag suffix), and its tags."""
        with self._lock:
            found = self._specs.get(target)
        if found is not None:
            return found
        from dockwright.pipeline.imagetags import image_tags

        spec = self.config.images[target.image]
        if target.build_args:
            spec = replace(spec, build_args={**spec.build_args, **dict(target.build_args)})
        if target.tag_suffix is not None:
            spec = replace(spec, flavor=replace(spec.flavor, suffix=target.tag_suffix))
        found = (spec, image_tags(spec, self.context, self.now, self.env))
        with self._lock:
            self._specs[target] = found
        return found

    def record_build(self, job: str, target: Target, image_id: str, tags: TagSet) -> None:
        with self._lock:
            self._builds[(job, target)] = Built(image_id, tags)

    def built(self, job: str, target: Target) -> Built | None:
        """What ``job``, or the nearest job it requires, built for ``target``."""
        with self._lock:
            for name in [job, *self.upstream.get(job, [])]:
                found = self._builds.get((name, target))
                if found is not None:
                    return found
        return None


StepHandler = Callable[["JobRun", Step, StepRecord], None]


@dataclass
class JobRun:
    """One job while it runs: its model, its record, its cancel scope."""

    rc: RunContext
    job: Job
    record: JobRecord
    scope: CancelScope

    def output(self, step: StepRecord, line: str) -> None:
        self.record.log.append(line)
        step.tail.append(line)
        del step.tail[:-OUTPUT_TAIL]
        self.rc.emit(StepOutput(self.record, step, line))

    def workdir(self, extra: str | None = None) -> Path:
        base = self.rc.config.root / (self.job.working_directory or ".")
        return (base / extra) if extra else base


def new_record(job: Job, workflow: str, name: str) -> JobRecord:
    """The job's record before it runs: one step record per step."""
    steps = [
        StepRecord(
            name=step.name,
            kind=step.kind,
            image=step.target.key if isinstance(step, BuiltinStep) and step.target else None,
        )
        for step in job.steps
    ]
    image = job.target.key if job.target else None
    return JobRecord(name=name, workflow=workflow, image=image, requires=job.requires, steps=steps)


def run_job(run: JobRun, handlers: Mapping[str, StepHandler]) -> State:
    """Run the job's steps; fill in its record; return its final state."""
    rc, record, scope = run.rc, run.record, run.scope
    record.state = State.RUNNING
    record.started = datetime.now(UTC)
    rc.emit(JobStarted(record))
    start = time.monotonic()
    failed: str | None = None  # the first step that failed
    for step, srec in zip(run.job.steps, record.steps, strict=True):
        if scope.cancelled:
            _finish(run, srec, State.CANCELLED, "cancelled")
            continue
        when = step.when if isinstance(step, RunStep) else "on_success"
        if when == "on_success" and failed is not None:
            _finish(run, srec, State.SKIPPED, f"{failed} failed")
            continue
        if when == "on_fail" and failed is None:
            _finish(run, srec, State.SKIPPED, "no step failed (when: on_fail)")
            continue
        srec.state = State.RUNNING
        rc.emit(StepStarted(record, srec))
        began = time.monotonic()
        try:
            handlers[step.kind](run, step, srec)
            if srec.state is State.RUNNING:
                srec.state = State.PASSED
        except DockwrightError as exc:
            first, *rest = str(exc).splitlines() or [type(exc).__name__]
            srec.state, srec.summary, srec.details = State.FAILED, first, tuple(rest)
        if scope.cancelled and srec.state is State.FAILED:
            srec.state, srec.summary = State.CANCELLED, "cancelled"
        srec.seconds = time.monotonic() - began
        rc.emit(StepFinished(record, srec))
        if srec.state is State.FAILED and failed is None:
            failed = srec.name
    record.seconds = time.monotonic() - start
    if failed is not None:
        record.state = State.FAILED
    elif any(s.state is State.CANCELLED for s in record.steps):
        record.state, record.reason = State.CANCELLED, "cancelled while it ran"
    else:
        record.state = State.PASSED
    rc.emit(JobFinished(record))
    return record.state


def _finish(run: JobRun, srec: StepRecord, state: State, summary: str) -> None:
    srec.state, srec.summary = state, summary
    run.rc.emit(StepFinished(run.record, srec))


def job_env(run: JobRun, step: RunStep) -> dict[str, str]:
    """A run step's environment: dockwright's, the job's and the step's, then what the job
    knows (its name, its image and the image ID built for it, its matrix values)."""
    env = {**run.rc.env, **run.job.environment, **step.environment}
    env["DOCKWRIGHT_JOB"] = run.record.name
    env["DOCKWRIGHT_WORKFLOW"] = run.record.workflow
    target = run.job.target
    if target is not None:
        env["DOCKWRIGHT_IMAGE"] = target.image
        built = run.rc.built(run.record.name, target)
        if built is not None:
            env["DOCKWRIGHT_IMAGE_ID"] = built.image_id
            env["DOCKWRIGHT_TAGS"] = " ".join(built.tags.tags)
    for name, value in run.job.matrix:
        env["DOCKWRIGHT_MATRIX_" + "".join(c if c.isalnum() else "_" for c in name.upper())] = value
    return env
