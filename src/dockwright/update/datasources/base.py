"""The one interface every datasource offers, and what a lookup returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from dockwright.update.policy import Release


@dataclass(frozen=True)
class Lookup:
    """What a datasource knows of a package: its releases, and the version its registry
    calls ``latest`` where it says so (npm's ``dist-tags.latest``)."""

    releases: tuple[Release, ...]
    latest: str | None = None


class Datasource(Protocol):
    """``releases`` lists what a package has; ``digest`` resolves a tag to a content digest
    (container images only: others answer None)."""

    name: str

    def releases(self, package: str, registry_url: str | None = None) -> Lookup: ...

    def close(self) -> None: ...

    def digest(
        self,
        package: str,
        tag: str,
        *,
        registry_url: str | None = None,
        current_digest: str | None = None,
        platform: str | None = None,
        current_tag: str | None = None,
    ) -> str | None: ...
