"""Publish one tested image: every tag to every repository, then read every tag back.

The image goes straight from the engine to the registries with our own OCI client (no
``docker push``), so what lands is exactly the tested image ID:

1. Blobs first. Each blob is uploaded at most once per registry and mounted into the other
   repositories of that registry; blobs go concurrently, layers while the export still streams.
   When an earlier publish of the same image ID is remembered (or found under one of the tags)
   and every registry already holds its blobs, nothing is exported or compressed at all.
2. Manifests only once all their blobs are in the repository, so no tag ever points at a
   manifest with missing blobs. Extra tags are PUTs of the same manifest (no re-upload).
3. Immutable tags (the full version, ``sha-…``) go to every repository before the floating ones
   (``latest``, ``1``, ``1.4``, branch names), so a floating tag never moves before the release it
   points to exists everywhere.
4. Finally every tag must resolve to the pushed digest, whose config is the tested image ID and
   whose blobs all exist.

Re-publishing an unchanged image is the common case in CI and costs two round trips per
registry: the ping, then one concurrent HEAD per tag. A tag that already resolves to the
manifest of this image ID is left alone, and that HEAD is its verification: the manifest names
the tested image as its config, and the registry accepted it only with all of its blobs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dockwright.errors import RegistryError
from dockwright.publish.imagecache import ImageCache
from dockwright.publish.plan import Destination, Event, Published, plan
from dockwright.publish.registries import ClientFactory, Registries
from dockwright.publish.upload import (
    CHUNK_SIZE,
    CONCURRENCY,
    blobs_everywhere,
    export_and_upload,
    put_manifests,
)
from dockwright.publish.verify import verify
from dockwright.registry.manifest import DOCKER_MANIFEST, OCI_MANIFEST, Manifest, sha256_digest

if TYPE_CHECKING:
    from dockwright.engine.base import Engine


def publish(
    engine: Engine,
    image_id: str,
    tags: Sequence[str],
    destinations: Sequence[Destination],
    *,
    on_push: Callable[[Published], None] | None = None,
    on_event: Callable[[Event], None] | None = None,
    client_factory: ClientFactory | None = None,
    cache: ImageCache | None = None,
    chunk_size: int = CHUNK_SIZE,
    concurrency: int = CONCURRENCY,
) -> list[Published]:
    """Push ``image_id`` under every tag to every destination and verify the result.

    Raises a :class:`RegistryError` if anything fails; tags already moved stay valid (each one
    points at a complete manifest), and a re-run finishes the job.
    """
    if not tags:
        raise RegistryError("nothing to publish: no tags were computed for this checkout")
    if not destinations:
        raise RegistryError("nothing to publish: no repositories are configured")
    cache = cache if cache is not None else ImageCache()
    emit = on_event or (lambda event: None)
    steps = plan(tags, destinations)
    with Registries(destinations, client_factory) as registries:
        registries.parallel(lambda reg: reg.client.ping(), registries.all)
        candidate, now = _look(image_id, steps, registries, cache)
        if candidate is not None and all(digest == candidate.digest for digest in now):
            return _already_published(candidate.digest, steps, on_push, emit)
        current: list[str | None] | None = now
        manifest, media_type = _reuse(image_id, candidate, registries, emit)
        if manifest is None:
            image = export_and_upload(engine, image_id, registries, emit, chunk_size, concurrency)
            manifest, media_type = image.manifest, DOCKER_MANIFEST
            cache.store(image_id, image)
            current = None  # read again: the upload may have taken minutes
        done = put_manifests(manifest, media_type, steps, registries, current, on_push, emit)
        verify(image_id, done, destinations, registries)
        return done


def _look(
    image_id: str,
    steps: Sequence[tuple[Destination, str]],
    registries: Registries,
    cache: ImageCache,
) -> tuple[_Candidate | None, list[str | None]]:
    """In one concurrent round: what every tag of the plan resolves to now, and the manifest of
    this image ID published before (from the cache, else what the first tag of the plan holds
    in its repository, if its config is this image ID)."""
    cached = cache.load(image_id)

    def ask(job: tuple[int, tuple[Destination, str]]) -> Manifest | str | None:
        index, (dest, tag) = job
        client = registries.client(dest)
        if index == 0 and cached is None:
            return client.manifest(dest.path, tag)
        return client.manifest_digest(dest.path, tag)

    answers = registries.parallel(ask, list(enumerate(steps)))
    current = [a.digest if isinstance(a, Manifest) else a for a in answers]
    if cached is not None:
        raw = cached.manifest
        manifest = Manifest(sha256_digest(raw), cached.media_type, raw)
        return _Candidate(manifest, cached.config), current
    found = answers[0]
    if (
        isinstance(found, Manifest)
        and found.media_type in (DOCKER_MANIFEST, OCI_MANIFEST)
        and found.config_digest == image_id
    ):
        return _Candidate(found, None), current
    return None, current


@dataclass(frozen=True)
class _Candidate:
    manifest: Manifest
    config: bytes | None  # the config blob's bytes, when the cache has them

    @property
    def digest(self) -> str:
        return self.manifest.digest

    @property
    def raw(self) -> bytes:
        return self.manifest.raw


def _already_published(
    digest: str,
    steps: Sequence[tuple[Destination, str]],
    on_push: Callable[[Published], None] | None,
    emit: Callable[[Event], None],
) -> list[Published]:
    emit(Event("reused", "", f"manifest {digest} (every tag already points at it)"))
    done: list[Published] = []
    for dest, tag in steps:
        item = Published(dest.repository, tag, digest)
        done.append(item)
        if on_push:
            on_push(item)
    return done


def _reuse(
    image_id: str,
    candidate: _Candidate | None,
    registries: Registries,
    emit: Callable[[Event], None],
) -> tuple[bytes | None, str]:
    """The candidate manifest, if every registry already has (or can mount) every blob of it."""
    if candidate is None:
        return None, ""
    manifest = candidate.manifest
    if blobs_everywhere(manifest.blobs, image_id, candidate.config, registries, emit):
        emit(Event("reused", "", f"manifest {manifest.digest} (no export needed)"))
        return manifest.raw, manifest.media_type
    return None, ""
