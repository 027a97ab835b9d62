"""The DAG of jobs: what runs when, in parallel up to --jobs, and what a failure stops."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from dockwright import proc
from dockwright.pipeline.dag import Node, run_dag
from dockwright.pipeline.runrecord import State
from dockwright.proc import CancelScope

# a <- b <- d ; a <- c ; e alone
NODES = [
    Node("a", ()),
    Node("b", ("a",)),
    Node("c", ("a",)),
    Node("d", ("b",)),
    Node("e", ()),
]


class Jobs:
    def __init__(self, fail: set[str] = frozenset(), sleep: float = 0.0) -> None:  # type: ignore[assignment]
        self.fail = fail
        self.sleep = sleep
        self.order: list[str] = []
        self.not_run: dict[str, tuple[State, str]] = {}
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()

    def run(self, name: str, scope: CancelScope) -> State:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(self.sleep)
        with self.lock:
            self.running -= 1
            self.order.append(name)
        return State.FAILED if name in self.fail else State.PASSED

    def skipped(self, name: str, state: State, reason: str) -> None:
        self.not_run[name] = (state, reason)


def test_a_job_runs_after_what_it_requires() -> None:
    jobs = Jobs()
    assert run_dag(NODES, jobs.run, jobs.skipped, workers=1) is False
    order = jobs.order
    assert sorted(order) == ["a", "b", "c", "d", "e"]
    assert order.index("a") < order.index("b") < order.index("d")
    assert order.index("a") < order.index("c")
    assert jobs.most == 1


def test_jobs_run_in_parallel_up_to_the_limit() -> None:
    jobs = Jobs(sleep=0.2)
    run_dag([Node(str(i), ()) for i in range(5)], jobs.run, jobs.skipped, workers=3)
    assert jobs.most == 3


def test_a_failure_stops_its_dependents_only() -> None:
    jobs = Jobs(fail={"b"})
    run_dag(NODES, jobs.run, jobs.skipped, workers=2)
    assert sorted(jobs.order) == ["a", "b", "c", "e"]
    assert jobs.not_run == {"d": (State.SKIPPED, "requires b, which failed")}


def test_fail_fast_cancels_the_running_and_starts_nothing_more() -> None:
    started = threading.Event()
    killed: list[int] = []

    def run(name: str, scope: CancelScope) -> State:
        if name == "a":
            started.wait(5)
            return State.FAILED
        started.set()
        # a command under the job's scope: cancelling the scope stops it
        done = proc.stream(["sleep", "30"], lambda line: None)
        killed.append(done.returncode)
        return State.CANCELLED if scope.cancelled else State.PASSED

    seen: dict[str, tuple[State, str]] = {}
    begin = time.monotonic()
    run_dag(
        [Node("a", ()), Node("slow", ()), Node("after", ("a",)), Node("later", ())],
        run,
        lambda name, state, why: seen.__setitem__(name, (state, why)),
        workers=2,
        fail_fast=True,
    )
    assert time.monotonic() - begin < 10
    assert killed == [-15]  # SIGTERM
    assert seen == {
        "after": (State.SKIPPED, "requires a, which failed"),
        "later": (State.CANCELLED, "not started: job a failed (--fail-fast)"),
    }


def test_an_interrupt_cancels_everything_and_is_reported() -> None:
    def run(name: str, scope: CancelScope) -> State:
        proc.stream(["sleep", "30"], lambda line: None)
        return State.CANCELLED if scope.cancelled else State.PASSED

    seen: dict[str, tuple[State, str]] = {}
    # what Ctrl-C does (the CLI turns SIGTERM into the same)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    begin = time.monotonic()
    interrupted = run_dag(
        [Node("a", ()), Node("b", ("a",))],
        run,
        lambda name, state, why: seen.__setitem__(name, (state, why)),
        workers=1,
    )
    assert interrupted
    assert time.monotonic() - begin < 10
    assert seen == {"b": (State.SKIPPED, "requires a, which was cancelled")}


def test_a_bug_in_a_job_propagates() -> None:
    def run(name: str, scope: CancelScope) -> State:
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError, match="bug"):
        run_dag([Node("a", ())], run, lambda *a: None, workers=1)
