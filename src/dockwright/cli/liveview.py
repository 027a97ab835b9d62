"""The live view of ``dockwright run`` on a terminal, drawn with rich.

One line per job, redrawn as the run goes: its state, its elapsed time, and while it runs the
step it is at and the last line that step printed; when it ends, what happened (cached, the
step that failed, why it did not run). Above the lines, printed once and kept: the builder
dockwright chose and why, and for a job that fails, the last lines of the failing step's
output (or its findings, or its failed tests) in full, wrapped rather than cut. ``-v`` prints
every line the steps print there too. The colours follow rich's Console, which honours
``NO_COLOR`` (and a terminal that has none).

Imported only by ``dockwright run`` when it draws on a terminal: rich loads for nothing else.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.table import Table
from rich.text import Text

from dockwright.cli.runview import finish_lines, state_word
from dockwright.pipeline.runrecord import (
    BuilderChosen,
    Event,
    JobFinished,
    JobRecord,
    RunRecord,
    State,
    StepOutput,
    StepRecord,
)

if TYPE_CHECKING:
    from dockwright.pipeline.runner import Plan

STYLES = {
    "pending": "dim",
    "running": "cyan",
    "passed": "green",
    "cached": "green",
    "failed": "bold red",
    "skipped": "yellow",
    "filtered": "dim",
    "cancelled": "magenta",
}
REFRESH_PER_SECOND = 8


class LiveRenderer:
    """The three methods of a renderer (plan, event, finish), drawing on ``console``."""

    def __init__(self, console: Console, *, verbose: bool = False) -> None:
        self.console = console
        self.verbose = verbose
        self.jobs: list[JobRecord] = []
        self.default = True
        self.live: Live | None = None
        self._lock = threading.Lock()  # the job threads send events; the Live thread draws

    def plan(self, plan: Plan) -> None:
        self.jobs = [p.record for p in plan.jobs]
        self.default = plan.default
        self.live = Live(
            console=self.console,
            get_renderable=self.render,
            refresh_per_second=REFRESH_PER_SECOND,
            transient=True,  # close() prints the last state for good, whatever the console
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self.live.start()

    def event(self, event: Event) -> None:
        if isinstance(event, StepOutput):  # the lines redraw at their own pace
            if self.verbose:
                self._print(Text(f"{event.job.name} | {event.line}"))
            return
        if isinstance(event, BuilderChosen):
            self._print(Text(f"builder: {event.builder}", style="dim"))
        elif isinstance(event, JobFinished) and event.job.state is State.FAILED:
            self._print(*failure_text(event.job))
        if self.live is not None:  # a job or step changed state: show it now
            self.live.refresh()

    def finish(self, record: RunRecord) -> None:
        self.close()
        for line in finish_lines(record, default=self.default):
            self.console.print(Text(line))

    def close(self) -> None:
        """Stop redrawing, and leave the jobs' last state on the screen (when the run got as
        far as starting one: bad input stops it before, and its message is all there is)."""
        if self.live is not None:
            self.live.stop()
            self.live = None
            if any(job.state is not State.PENDING for job in self.jobs):
                self.console.print(self.render())

    def _print(self, *lines: Text) -> None:
        """Above the jobs' lines, kept; in one piece (each print redraws the jobs below)."""
        with self._lock:
            self.console.print(Group(*lines), overflow="fold", crop=False)

    def render(self) -> RenderableType:
        """The jobs' lines as they are now."""
        with self._lock:
            return jobs_table(self.jobs, datetime.now(UTC))


def jobs_table(jobs: list[JobRecord], now: datetime) -> RenderableType:
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)  # state
    table.add_column(no_wrap=True)  # job
    table.add_column(justify="right", no_wrap=True)  # elapsed
    table.add_column(no_wrap=True, overflow="ellipsis")  # step, or what happened
    for job in jobs:
        state = job_state(job)
        table.add_row(
            Text(state, style=STYLES.get(state, "")),
            Text(job.name, style="bold" if job.state is State.RUNNING else ""),
            Text(_elapsed(job, now), style="dim"),
            _doing(job),
        )
    return Group(table)


def job_state(job: JobRecord) -> str:
    if job.state is State.PASSED and job.cached:
        return "cached"
    return job.state.value


def _elapsed(job: JobRecord, now: datetime) -> str:
    if job.state is State.RUNNING and job.started is not None:
        return f"{(now - job.started).total_seconds():.1f}s"
    if job.started is None:
        return ""
    return f"{job.seconds:.1f}s"


def _doing(job: JobRecord) -> Text:
    if job.state is State.PENDING:
        waiting = f"waiting for {', '.join(job.requires)}" if job.requires else "waiting"
        return Text(waiting, style="dim")
    if job.state is State.RUNNING:
        step = job.current
        if step is None:
            return Text("")
        text = Text(step.name, style="cyan")
        if step.tail:
            text.append(f"  {step.tail[-1]}", style="dim")
        return text
    failed = _failed_step(job)
    if failed is not None:
        return Text(f"{failed.name} failed: {failed.summary}", style="red")
    if job.started is None or job.state is not State.PASSED:
        return Text(job.reason, style="dim")
    return Text(" → ".join(_step_word(s) for s in job.steps), style="dim")


def _step_word(step: StepRecord) -> str:
    word = state_word(step)
    return step.name if word == "passed" else f"{step.name} ({word})"


def _failed_step(job: JobRecord) -> StepRecord | None:
    return next((s for s in job.steps if s.state is State.FAILED), None)


def failure_text(job: JobRecord) -> list[Text]:
    """What a failed job prints above the lines: the failing step and its last lines, whole."""
    step = _failed_step(job)
    if step is None:
        return [Text(f"{job.name} failed", style="bold red")]
    head = Text(f"{job.name}: {step.name} failed", style="bold red")
    head.append(f"  {step.summary}", style="red")
    lines = step.details or tuple(step.tail)
    return [head, *(Text(f"  {line}") for line in lines)]
