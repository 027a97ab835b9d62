"""Evaluate rules over many Dockerfiles on every core.

Below ``MIN_FILES`` files, or with one core, or where ``fork`` is not available, the
rules run in this process: starting workers costs more than it saves. Otherwise the
workers are forked, so they share the parsed files and the loaded rules with this
process and only their results travel back.

One item's failure stays that item's: a call that raises, and every item of a worker
that dies (killed, out of memory), gets ``fallback(item, exception)`` in its place.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TypeVar

    T = TypeVar("T")
    R = TypeVar("R")

MIN_FILES = 64
_CHUNK = 16

# What the forked workers read: (fn, fallback, items), set just before the workers fork.
_shared: tuple[Callable[[Any], Any], Callable[[Any, BaseException], Any], Sequence[Any]] | None
_shared = None


def _call(fn: Callable[[T], R], fallback: Callable[[T, BaseException], R], item: T) -> R:
    try:
        return fn(item)
    except Exception as exc:
        return fallback(item, exc)


def _work(bounds: tuple[int, int]) -> list[object]:
    assert _shared is not None
    fn, fallback, items = _shared
    return [_call(fn, fallback, item) for item in items[bounds[0] : bounds[1]]]


def map_items(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    fallback: Callable[[T, BaseException], R],
    jobs: int | None = None,
    after_fork: Callable[[], None] | None = None,
) -> list[R]:
    """``[fn(x) for x in items]``, across processes when there are many items; an item
    whose call raises, or whose worker dies, gets ``fallback(item, exception)``.

    ``after_fork`` runs once the workers exist (or right away when there are none): the
    place to start threads, which must not exist when a process forks.
    """
    workers = min(jobs or os.cpu_count() or 1, len(items) // _CHUNK)
    if len(items) < MIN_FILES or workers < 2 or sys.platform == "win32":
        return _sequential(fn, fallback, items, after_fork)
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return _sequential(fn, fallback, items, after_fork)
    from concurrent.futures import ProcessPoolExecutor

    global _shared
    _shared = (fn, fallback, items)
    try:
        bounds = [(i, min(i + _CHUNK, len(items))) for i in range(0, len(items), _CHUNK)]
        out: list[R] = []
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            futures = [pool.submit(_work, b) for b in bounds]  # the first forks the workers
            if after_fork is not None:
                after_fork()
            for (lo, hi), future in zip(bounds, futures, strict=True):
                try:
                    out += future.result()  # type: ignore[arg-type]  # erased to object for the workers
                except Exception as exc:  # BrokenProcessPool: a worker died
                    out += [fallback(items[i], exc) for i in range(lo, hi)]
    finally:
        _shared = None
    return out


def _sequential(
    fn: Callable[[T], R],
    fallback: Callable[[T, BaseException], R],
    items: Sequence[T],
    after_fork: Callable[[], None] | None,
) -> list[R]:
    if after_fork is not None:
        after_fork()
    return [_call(fn, fallback, x) for x in items]
