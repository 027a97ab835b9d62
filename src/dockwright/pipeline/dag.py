"""Run the jobs of a DAG in parallel: a job starts once every job it requires passed.

Up to ``workers`` jobs run at a time, each in a thread of its own with a
:class:`~dockwright.proc.CancelScope` that stops the commands it started. A job that fails
blocks what requires it (skipped, "requires X, which failed"); the others go on. With
``fail_fast`` the first failure cancels the running jobs and starts no more. An interrupt
(Ctrl-C, or SIGTERM made into one by the CLI) cancels everything the same way, waits for the
jobs to stop, and is reported; a second one is not caught.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from dockwright.pipeline.runrecord import State
from dockwright.proc import CancelScope


@dataclass(frozen=True)
class Node:
    name: str
    requires: tuple[str, ...]


RunJob = Callable[[str, CancelScope], State]
# A job that never started: its name, its state (skipped or cancelled) and why.
NotRun = Callable[[str, State, str], None]


def run_dag(
    nodes: Sequence[Node],
    run_job: RunJob,
    not_run: NotRun,
    *,
    workers: int,
    fail_fast: bool = False,
) -> bool:
    """Run every node; return whether the run was interrupted. ``run_job`` runs in a worker
    thread and returns the job's final state; it must not raise for a failing job."""
    return _Scheduler(nodes, run_job, not_run, max(1, workers), fail_fast).run()


class _Scheduler:
    def __init__(
        self, nodes: Sequence[Node], run_job: RunJob, not_run: NotRun, workers: int, fail_fast: bool
    ) -> None:
        self.nodes = list(nodes)
        self.run_job = run_job
        self.not_run = not_run
        self.workers = workers
        self.fail_fast = fail_fast
        self.states: dict[str, State] = {}
        self.running: dict[Future[State], str] = {}
        self.scopes: dict[str, CancelScope] = {}
        self.stop_reason = ""

    def run(self) -> bool:
        interrupted = False
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="job") as pool:
            try:
                self._loop(pool)
            except KeyboardInterrupt:
                interrupted = True
                self._stop("interrupted")
                while self.running:  # the jobs stop promptly: their commands are killed
                    self._collect(wait(self.running, return_when=FIRST_COMPLETED)[0])
            self._cancel_pending()
        return interrupted

    def _loop(self, pool: ThreadPoolExecutor) -> None:
        while True:
            self._block_dependents()
            if not self.stop_reason:
                for node in self._ready():
                    if len(self.running) >= self.workers:
                        break
                    scope = CancelScope()
                    self.scopes[node.name] = scope
                    self.states[node.name] = State.RUNNING
                    self.running[pool.submit(self._job, node.name, scope)] = node.name
            if not self.running:
                return
            self._collect(wait(self.running, return_when=FIRST_COMPLETED)[0])

    def _job(self, name: str, scope: CancelScope) -> State:
        with scope.current():
            return self.run_job(name, scope)

    def _collect(self, done: set[Future[State]]) -> None:
        for future in done:
            name = self.running.pop(future)
            state = future.result()  # a bug in run_job propagates
            self.states[name] = state
            if state is State.FAILED and self.fail_fast and not self.stop_reason:
                self._stop(f"job {name} failed (--fail-fast)")

    def _stop(self, reason: str) -> None:
        self.stop_reason = self.stop_reason or reason
        for name in self.running.values():
            self.scopes[name].cancel()

    def _ready(self) -> list[Node]:
        return [
            n
            for n in self.nodes
            if n.name not in self.states
            and all(self.states.get(r) is State.PASSED for r in n.requires)
        ]

    def _block_dependents(self) -> None:
        changed = True
        while changed:
            changed = False
            for node in self.nodes:
                if node.name in self.states:
                    continue
                for required in node.requires:
                    state = self.states.get(required)
                    if state is not None and state.done and state is not State.PASSED:
                        self.states[node.name] = State.SKIPPED
                        self.not_run(node.name, State.SKIPPED, _blocked(required, state))
                        changed = True
                        break

    def _cancel_pending(self) -> None:
        self._block_dependents()
        for node in self.nodes:
            if node.name not in self.states:
                self.states[node.name] = State.CANCELLED
                self.not_run(node.name, State.CANCELLED, f"not started: {self.stop_reason}")


def _blocked(required: str, state: State) -> str:
    how = {
        State.FAILED: "failed",
        State.CANCELLED: "was cancelled",
        State.SKIPPED: "did not run",
        State.FILTERED: "does not run for this ref",
    }.get(state, state.value)
    return f"requires {required}, which {how}"
