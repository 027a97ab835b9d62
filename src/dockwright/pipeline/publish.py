"""Publish one tested image: every tag to every repository, then read every tag back.

Order matters to anyone pulling while we push: the immutable tags (the full version, ``sha-…``)
go to every repository first, the floating ones (``latest``, ``1``, ``1.4``, branch names) last,
so a floating tag never moves before the release it points to exists everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dockwright.engine.base import Engine, RegistryAuth
from dockwright.errors import RegistryError
from dockwright.registry.auth import BasicCredentials
from dockwright.registry.client import RegistryClient

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
        return self.repository.partition("/")[2]


@dataclass(frozen=True)
class Published:
    repository: str
    tag: str
    digest: str

    @property
    def ref(self) -> str:
        return f"{self.repository}:{self.tag}"


def is_floating(tag: str) -> bool:
    """Tags that move from release to release; everything else is pushed first."""
    return not (_FULL_SEMVER.match(tag) or tag.startswith("sha-"))


def plan(tags: Sequence[str], destinations: Sequence[Destination]) -> list[tuple[Destination, str]]:
    """The pushes in order: immutable tags everywhere, then floating tags everywhere."""
    ordered = [t for t in tags if not is_floating(t)] + [t for t in tags if is_floating(t)]
    return [(dest, tag) for tag in ordered for dest in destinations]


def publish(
    engine: Engine,
    image_id: str,
    tags: Sequence[str],
    destinations: Sequence[Destination],
    *,
    on_push: Callable[[Published], None] | None = None,
) -> list[Published]:
    """Push ``image_id`` under every tag to every destination and verify the result.

    Raises :class:`RegistryError` if any push fails or any tag does not resolve, afterwards, to
    a manifest whose config is ``image_id`` (the image that was tested).
    """
    if not tags:
        raise RegistryError("nothing to publish: no tags were computed for this checkout")
    done: list[Published] = []
    for dest, tag in plan(tags, destinations):
        engine.tag(image_id, dest.repository, tag)
        auth = (
            RegistryAuth(dest.credentials.username, dest.credentials.password, dest.host)
            if dest.credentials
            else None
        )
        digest = engine.push(f"{dest.repository}:{tag}", auth)
        item = Published(dest.repository, tag, digest)
        done.append(item)
        if on_push:
            on_push(item)
    verify(image_id, done, destinations)
    return done


def verify(
    image_id: str, published: Sequence[Published], destinations: Sequence[Destination]
) -> None:
    """Read every tag back from its registry: one digest per repository, config = image_id."""
    by_repo = {d.repository: d for d in destinations}
    for repository, dest in by_repo.items():
        items = [p for p in published if p.repository == repository]
        if not items:
            continue
        with RegistryClient(
            dest.host, insecure=dest.insecure, ca=dest.ca, credentials=dest.credentials
        ) as client:
            for item in items:
                manifest = client.manifest(dest.path, item.tag)
                if manifest is None:
                    raise RegistryError(f"{item.ref} was pushed but the registry does not have it")
                if manifest.digest != item.digest:
                    raise RegistryError(
                        f"{item.ref} resolves to {manifest.digest}, expected {item.digest}"
                    )
                if manifest.config_digest != image_id:
                    raise RegistryError(
                        f"{item.ref} holds image {manifest.config_digest}, "
                        f"not the tested image {image_id}"
                    )
