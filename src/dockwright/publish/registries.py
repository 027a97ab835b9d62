"""The registries of one publish: a client per registry, the repositories on it, which of them
holds which blob (a mount source), and the concurrent round trips they are asked in."""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from dockwright.publish.plan import Destination
from dockwright.registry.client import RegistryClient
from dockwright.registry.retry import RetryPolicy

ClientFactory = Callable[[Destination], RegistryClient]


def default_client(dest: Destination, retry: RetryPolicy | None = None) -> RegistryClient:
    return RegistryClient(
        dest.host, insecure=dest.insecure, ca=dest.ca, credentials=dest.credentials, retry=retry
    )


@dataclass(eq=False)
class Registry:
    """One registry (one client) and the repositories we publish to on it."""

    client: RegistryClient
    repositories: list[str]
    lock: threading.Lock = field(default_factory=threading.Lock)
    # digest -> a repository of this registry known to hold it (a mount source)
    holders: dict[str, str] = field(default_factory=dict)


T = TypeVar("T")
R = TypeVar("R")


_checks: concurrent.futures.ThreadPoolExecutor | None = None
_checks_lock = threading.Lock()


def parallel(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``fn`` over ``items`` concurrently (registry round trips dominate), results in order.

    One pool for the process: starting threads (and their connections) anew for each small
    batch of HEADs costs more than the HEADs themselves.
    """
    global _checks
    if len(items) <= 1:
        return [fn(item) for item in items]
    with _checks_lock:
        if _checks is None:
            _checks = concurrent.futures.ThreadPoolExecutor(8, "dockwright-check")
        pool = _checks
    return list(pool.map(fn, items))
