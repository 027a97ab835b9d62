"""The registries of one publish: a client per registry, the repositories on it, which of them
holds which blob (a mount source), and the pool of threads the round trips go through.

:class:`Registries` owns the clients and the pool: leaving its ``with`` block (or ``close()``)
closes the clients and shuts the pool down, on errors and interrupts too, so no thread outlives
a publish.
"""

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
# Registry round trips dominate a re-publish: up to this many go at once.
CHECKS = 8

T = TypeVar("T")
R = TypeVar("R")


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


class Registries:
    """The registries of ``destinations``: repositories with the same registry key share one
    client (and mount blobs between them)."""

    def __init__(
        self, destinations: Sequence[Destination], factory: ClientFactory | None = None
    ) -> None:
        make = factory or default_client
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False
        grouped: dict[tuple[object, ...], Registry] = {}
        try:
            for dest in destinations:
                reg = grouped.get(dest.registry_key)
                if reg is None:
                    reg = grouped[dest.registry_key] = Registry(make(dest), [])
                if dest.path not in reg.repositories:
                    reg.repositories.append(dest.path)
        except BaseException:
            for reg in grouped.values():
                reg.client.close()
            raise
        self.all = list(grouped.values())
        self._by_repo = {d.repository: grouped[d.registry_key] for d in destinations}

    def __enter__(self) -> Registries:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Wait for the round trips under way (queued ones are cancelled), close the clients."""
        with self._lock:
            pool, self._pool, self._closed = self._pool, None, True
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        for reg in self.all:
            reg.client.close()

    def of(self, dest: Destination) -> Registry:
        return self._by_repo[dest.repository]

    def client(self, dest: Destination) -> RegistryClient:
        return self._by_repo[dest.repository].client

    def parallel(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``fn`` over ``items`` concurrently, results in order; the first failure is raised.

        One pool for the whole publish, started at the first round that needs it: starting
        threads (and their connections) anew for each small batch of HEADs would cost more
        than the HEADs themselves.
        """
        if len(items) <= 1:
            return [fn(item) for item in items]
        with self._lock:
            if self._closed:
                raise RuntimeError("the registries of this publish are closed")
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(CHECKS, "dockwright-check")
            pool = self._pool
        return list(pool.map(fn, items))
