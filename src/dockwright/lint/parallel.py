"""Evaluate rules over many Dockerfiles on every core.

Below ``MIN_FILES`` files, or with one core, or where ``fork`` is not available, the
rules run in this process: starting workers costs more than it saves. Otherwise the
workers are forked, so they share the parsed files and the loaded rules with this
process and only their findings travel back.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import TypeVar

    T = TypeVar("T")
    R = TypeVar("R")

MIN_FILES = 64
_CHUNK = 16

# What the forked workers read: set just before the pool forks, cleared after.
_shared: tuple[Callable[[object], object], Sequence[object]] | None = None


def _work(bounds: tuple[int, int]) -> list[object]:
    assert _shared is not None
    fn, items = _shared
    return [fn(item) for item in items[bounds[0] : bounds[1]]]


def map_items(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int | None = None,
    after_fork: Callable[[], None] | None = None,
) -> list[R]:
    """``[fn(x) for x in items]``, across processes when there are many items.

    ``after_fork`` runs once the workers exist (or right away when there are none): the
    place to start threads, which must not exist when a process forks.
    """
    workers = min(jobs or os.cpu_count() or 1, len(items) // _CHUNK)
    if len(items) < MIN_FILES or workers < 2 or sys.platform == "win32":
        return _sequential(fn, items, after_fork)
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return _sequential(fn, items, after_fork)
    global _shared
    _shared = (fn, items)  # type: ignore[assignment]  # erased to object for the workers
    try:
        ctx = multiprocessing.get_context("fork")
        bounds = [(i, min(i + _CHUNK, len(items))) for i in range(0, len(items), _CHUNK)]
        with ctx.Pool(workers) as pool:
            if after_fork is not None:
                after_fork()
            chunks = pool.map(_work, bounds)
    finally:
        _shared = None
    return [r for chunk in chunks for r in chunk]  # type: ignore[misc]


def _sequential(
    fn: Callable[[T], R], items: Sequence[T], after_fork: Callable[[], None] | None
) -> list[R]:
    if after_fork is not None:
        after_fork()
    return [fn(x) for x in items]
