"""Rules over many files: forked workers give the same findings, in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.dockerfile import parse
from dockwright.lint import LintConfig, engine, parallel

FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "lint").glob("*.Dockerfile"))


def test_map_items_keeps_order_and_calls_after_fork_once() -> None:
    calls: list[str] = []
    items = list(range(200))
    assert parallel.map_items(lambda x: x * x, items, after_fork=lambda: calls.append("x")) == [
        x * x for x in items
    ]
    assert calls == ["x"]
    assert parallel.map_items(lambda x: -x, [1, 2], after_fork=lambda: calls.append("y")) == [
        -1,
        -2,
    ]
    assert calls == ["x", "y"]


def test_many_files_in_workers_equal_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    dfs = [parse(p.read_text(), p.name) for p in FIXTURES] * 3
    assert len(dfs) >= parallel.MIN_FILES
    forked = engine.lint_dockerfiles(dfs, LintConfig())
    monkeypatch.setattr(parallel, "MIN_FILES", 10**9)
    alone = engine.lint_dockerfiles(dfs, LintConfig())
    assert forked == alone
    assert sum(map(len, forked)) > 0
