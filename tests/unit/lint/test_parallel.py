"""Rules over many files: forked workers give the same findings, in order."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from dockwright.dockerfile import parse
from dockwright.lint import LintConfig, engine, parallel

FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "lint").glob("*.Dockerfile"))


def _failed(x: int, exc: BaseException) -> int:
    return -1000 - x


def test_map_items_keeps_order_and_calls_after_fork_once() -> None:
    calls: list[str] = []
    items = list(range(200))
    squares = parallel.map_items(
        lambda x: x * x, items, fallback=_failed, after_fork=lambda: calls.append("x")
    )
    assert squares == [x * x for x in items]
    assert calls == ["x"]
    negated = parallel.map_items(
        lambda x: -x, [1, 2], fallback=_failed, after_fork=lambda: calls.append("y")
    )
    assert negated == [-1, -2]
    assert calls == ["x", "y"]


def _raises_on_7(x: int) -> int:
    if x % 100 == 7:
        raise ValueError(x)
    return x


@pytest.mark.parametrize("count", [10, 200])  # in this process, and in forked workers
def test_an_item_that_raises_gets_the_fallback(count: int) -> None:
    got = parallel.map_items(_raises_on_7, list(range(count)), fallback=_failed)
    assert got == [-1000 - x if x % 100 == 7 else x for x in range(count)]


def _dies_on_7(x: int) -> int:
    if x == 7:
        os.kill(os.getpid(), signal.SIGKILL)  # a worker killed (out of memory, a crash)
    return x


def test_a_worker_that_dies_costs_only_its_items() -> None:
    got = parallel.map_items(_dies_on_7, list(range(200)), fallback=_failed)
    assert got[7] == -1007
    assert all(v in (x, -1000 - x) for x, v in enumerate(got))
    # the items of the chunk that killed its worker get the fallback, nothing hangs
    assert got[:16] == [-1000 - x for x in range(16)]


def test_many_files_in_workers_equal_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    dfs = [parse(p.read_text(), p.name) for p in FIXTURES] * 3
    assert len(dfs) >= parallel.MIN_FILES
    forked = engine.lint_dockerfiles(dfs, LintConfig())
    monkeypatch.setattr(parallel, "MIN_FILES", 10**9)
    alone = engine.lint_dockerfiles(dfs, LintConfig())
    assert forked == alone
    assert sum(len(r.findings) for r in forked) > 0
    assert not any(r.problems for r in forked)
