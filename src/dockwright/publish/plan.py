"""What a publish does, before it touches anything: the repositories (:class:`Destination`), the
order of the tags, and the records it hands back (:class:`Published`, :class:`Event`).

Immutable tags (the full version, ``sha-…``) go to every repository before the floating ones
(``latest``, ``1``, ``1.4``, branch names), so a floating tag never moves before the release it
points to exists everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dockwright.errors import UsageError
from dockwright.image.ref import ImageRef
from dockwright.registry.credentials import BasicCredentials

_FULL_SEMVER = re.compile(r"^v?\d+\.\d+\.\d+(?:[-+].*)?$")


@dataclass(frozen=True)
class Destination:
    """A repository to publish to, with how to reach its registry.

    ``repository`` is kept as written (it names the repository in output); it is parsed once,
    here, with Docker's reference rules: ``acme/app`` is ``docker.io/acme/app`` and ``app`` is
    ``docker.io/library/app``. UsageError when it is not a repository name.
    """

    repository: str  # "[host[:port]/]path", as configured
    insecure: bool = False
    ca: str | None = None
    credentials: BasicCredentials | None = None
    name: ImageRef = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        name = ImageRef.parse(self.repository)
        if name.tag is not None or name.digest is not None:
            raise UsageError(
                f"invalid repository {self.repository!r}: expected a repository name without "
                "a tag or digest"
            )
        object.__setattr__(self, "name", name)

    @property
    def host(self) -> str:
        """The registry: ``docker.io`` for any of Docker Hub's names."""
        return self.name.domain

    @property
    def path(self) -> str:
        """The repository's path on its registry (``library/app`` for an official image)."""
        return self.name.path

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
