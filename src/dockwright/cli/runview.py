"""How ``dockwright run`` shows a run: a renderer receives the plan, every event, then the
record (and ``close`` in any case, last). :class:`PlainRenderer` writes lines (for CI logs,
``--plain``, or anything that is not a terminal); the live view of a terminal is
:class:`dockwright.cli.liveview.LiveRenderer`, with the same methods.

Plain lines: one per step when it ends, ``JOB STEP STATE SECONDS SUMMARY``, with findings,
failed tests or a failing command's last lines beneath; one per job that does not run, with
why; the builder once, before the first build's line. ``-v`` adds every line a step prints
(``JOB | line``) and when each job starts and ends. No colour: ``NO_COLOR`` holds trivially.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TextIO

from dockwright.pipeline.runrecord import (
    BuilderChosen,
    Event,
    JobFinished,
    JobRecord,
    JobStarted,
    RunRecord,
    State,
    StepFinished,
    StepOutput,
    StepRecord,
)

if TYPE_CHECKING:
    from dockwright.pipeline.runner import Plan

MIN_WIDTH = 12  # the job column, as wide as the longest name


class Renderer(Protocol):
    def plan(self, plan: Plan) -> None: ...

    def event(self, event: Event) -> None: ...

    def finish(self, record: RunRecord) -> None: ...

    def close(self) -> None: ...


def state_word(step: StepRecord) -> str:
    """A step's state as shown: ``cached`` when a recorded result was repeated."""
    return "cached" if step.cached and step.state is State.PASSED else step.state.value


def finish_lines(record: RunRecord, *, default: bool) -> list[str]:
    """The end of a run: whether the default workflow publishes, and what was published."""
    lines = []
    if default:
        publish = "yes" if record.publishing else "no"
        lines.append(f"publish: {publish} ({record.publish_reason})")
    for job in record.jobs:
        published = [p for s in job.steps for p in s.published]
        if published:
            lines.append(f"published {job.name}:")
            lines += [f"  {item.repository}:{item.tag}  {item.digest}" for item in published]
    return lines


class PlainRenderer:
    def __init__(self, out: TextIO, *, verbose: bool = False) -> None:
        self.out = out
        self.verbose = verbose
        self.width = MIN_WIDTH
        self.default = True  # the default workflow: publishing is decided for the run
        self.builder: str | None = None

    def _print(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def plan(self, plan: Plan) -> None:
        self.width = max([MIN_WIDTH, *(len(p.name) for p in plan.jobs)])
        self.default = plan.default

    def event(self, event: Event) -> None:
        if isinstance(event, StepFinished):
            self._step(event.job, event.step)
        elif isinstance(event, StepOutput):
            if self.verbose:
                self._print(f"{event.job.name:<{self.width}} | {event.line}")
        elif isinstance(event, BuilderChosen):
            self.builder = event.builder
            self._print(f"builder: {event.builder}")
        elif isinstance(event, JobStarted):
            if self.verbose:
                self._print(f"{event.job.name:<{self.width}} started")
        elif isinstance(event, JobFinished):
            self._job(event.job)

    def _step(self, job: JobRecord, step: StepRecord) -> None:
        state = state_word(step)
        line = f"{job.name:<{self.width}} {step.name:<8} {state:<8} {step.seconds:6.1f}s"
        if step.summary:
            line += f"  {step.summary}"
        self._print(line)
        if step.state is State.FAILED or step.kind == "lint":
            for detail in step.details:
                self._print(f"{'':<{self.width}} {'':<8} - {detail}")

    def _job(self, job: JobRecord) -> None:
        if job.started is None:  # never ran: say why
            self._print(
                f"{job.name:<{self.width}} {'-':<8} {job.state.value:<8} {'':>7}  {job.reason}"
            )
        elif self.verbose:
            cached = " (cached)" if job.cached else ""
            self._print(
                f"{job.name:<{self.width}} {'done':<8} {job.state.value:<8} "
                f"{job.seconds:6.1f}s{cached}"
            )

    def finish(self, record: RunRecord) -> None:
        for line in finish_lines(record, default=self.default):
            self._print(line)

    def close(self) -> None:
        pass
