"""What a run did, as data: a record per step, per job and for the run, and the events the
executor sends while it runs (for a renderer to draw: a live view, or plain lines).

Records are filled in as the run goes; an event carries the record it is about, which the
receiver may read but not change. Events come from the job threads, one at a time per job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

OUTPUT_TAIL = 30  # lines of a step's output kept for display (all of it goes to the log)


class State(Enum):
    PENDING = "pending"
    RUNNING = "running"
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # not run: an earlier step or a required job failed, or turned off
    FILTERED = "filtered"  # a job not for this branch or tag
    CANCELLED = "cancelled"

    @property
    def done(self) -> bool:
        return self not in (State.PENDING, State.RUNNING)


@dataclass(frozen=True)
class TestCase:
    """One structure test, as its report gives it."""

    __test__ = False  # not a pytest class

    file: str
    name: str
    passed: bool
    errors: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class PublishedTag:
    repository: str
    tag: str
    digest: str


@dataclass
class StepRecord:
    name: str  # as shown: the built-in's name, or a run step's name
    kind: str  # lint, build, test, publish, update or run
    image: str | None = None  # the target's key (app, app[PY=3.12]); None: every image
    state: State = State.PENDING
    seconds: float = 0.0
    summary: str = ""  # one line
    details: tuple[str, ...] = ()  # findings, failed tests, the tail of a failing command
    cached: bool = False  # the result was recorded by an earlier run with the same inputs
    image_id: str | None = None
    tests: tuple[TestCase, ...] = ()
    published: tuple[PublishedTag, ...] = ()
    exit_code: int | None = None
    tail: list[str] = field(default_factory=list)  # the last OUTPUT_TAIL lines of its output

    @property
    def redone(self) -> bool:
        """Whether it did its work rather than repeat a recorded result."""
        if self.cached or self.kind == "publish":
            return False
        return not (self.kind == "test" and not self.tests)


@dataclass
class JobRecord:
    name: str
    workflow: str
    image: str | None = None
    requires: tuple[str, ...] = ()
    state: State = State.PENDING
    reason: str = ""  # why it was skipped, filtered out or cancelled
    seconds: float = 0.0
    started: datetime | None = None
    steps: list[StepRecord] = field(default_factory=list)
    tags: tuple[str, ...] = ()
    log: list[str] = field(default_factory=list)  # every line its steps printed, in order

    @property
    def cached(self) -> bool:
        """Its steps repeated recorded results: none redid work (a publish only asks the
        registries; a test step without tests has nothing to do)."""
        ran = [s for s in self.steps if s.state is State.PASSED]
        return any(s.cached for s in ran) and not any(s.redone for s in ran)

    @property
    def current(self) -> StepRecord | None:
        return next((s for s in self.steps if s.state is State.RUNNING), None)


@dataclass
class RunRecord:
    started: datetime
    ref: str = ""
    sha: str = ""
    publishing: bool = False
    publish_reason: str = ""
    builder: str | None = None  # the docker client chosen to build, and why
    jobs: list[JobRecord] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        bad = (State.FAILED, State.CANCELLED)
        return not self.interrupted and not any(j.state in bad for j in self.jobs)


@dataclass(frozen=True)
class JobStarted:
    job: JobRecord


@dataclass(frozen=True)
class StepStarted:
    job: JobRecord
    step: StepRecord


@dataclass(frozen=True)
class StepOutput:
    job: JobRecord
    step: StepRecord
    line: str


@dataclass(frozen=True)
class StepFinished:
    job: JobRecord
    step: StepRecord


@dataclass(frozen=True)
class JobFinished:
    """Also for a job that never started (skipped, filtered out, cancelled before it began)."""

    job: JobRecord


@dataclass(frozen=True)
class BuilderChosen:
    """Once per run, at its first build: which docker client builds, and why."""

    builder: str


Event = JobStarted | StepStarted | StepOutput | StepFinished | JobFinished | BuilderChosen
