"""What a publish does, before it touches anything: the repositories (:class:`Destination`), the
order of the tags, and the records it hands back (:class:`Published`, :class:`Event`).

Immutable tags (the full version, ``sha-…``) go to every repository before the floating ones
(``latest``, ``1``, ``1.4``, branch names), so a floating tag never moves before the release it
points to exists everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dockwright.registry.auth import BasicCredentials

_FULL_SEMVER = re.compile(r"^v?\d+\.\d+\.\d+(?:[-+].*)?$")


@dataclass(frozen=True)
class Destination:
    """A repository to publish to, with how to reach its registry."""

    repository: str  # "host[:port]/path"
    insecure: bool = False
    ca: str | None = None
    credentials: BasicCredentials | None = None

    @property
    def host(self) -> str:
        first, _, _ = self.repository.partition("/")
        return first

    @property
    def path(self) -> str:
        path = self.repository.partition("/")[2]
        if self.host in ("docker.io", "index.docker.io") and "/" not in path:
            return "library/" + path
        return path

    @property
    def registry_key(self) -> tuple[str, bool, str | None, BasicCredentials | None]:
        """Repositories with the same key share one client (and mount blobs between them)."""
        return (self.host, self.insecure, self.ca, self.credentials)


@dataclass(frozen=True)
class Published:
    repository: str
    tag: str
    digest: str

    @property
    def ref(self) -> str:
        return f"{self.repository}:{self.tag}"


@dataclass(frozen=True)
class Event:
    """Progress, for the CLI to show: ``kind`` is uploaded, mounted, present, tagged, reused."""

    kind: str
    repository: str
    detail: str


def is_floating(tag: str) -> bool:
    """Tags that move from release to release; everything else is pushed first."""
    return not (_FULL_SEMVER.match(tag) or tag.startswith("sha-"))


def plan(tags: Sequence[str], destinations: Sequence[Destination]) -> list[tuple[Destination, str]]:
    """The manifest PUTs in order: immutable tags everywhere, then floating tags everywhere."""
    unique = list(dict.fromkeys(tags))
    ordered = [t for t in unique if not is_floating(t)] + [t for t in unique if is_floating(t)]
    return [(dest, tag) for tag in ordered for dest in destinations]
