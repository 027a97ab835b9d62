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
"""

from __future__ import annotations

import concurrent.futures
import re
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from dockwright.engine.base import Engine
from dockwright.errors import RegistryError, VerificationError
from dockwright.registry.archive import Blob, read_saved_image
from dockwright.registry.auth import BasicCredentials
from dockwright.registry.client import DOCKER_MANIFEST, OCI_MANIFEST, RegistryClient
from dockwright.registry.imagecache import CachedImage, ImageCache
from dockwright.registry.retry import RetryPolicy

_FULL_SEMVER = re.compile(r"^v?\d+\.\d+\.\d+(?:[-+].*)?$")
# Blobs bigger than this go up in PATCH chunks that resume after a failure.
CHUNK_SIZE = 64 << 20
CONCURRENCY = 4


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


ClientFactory = Callable[[Destination], RegistryClient]


def default_client(dest: Destination, retry: RetryPolicy | None = None) -> RegistryClient:
    return RegistryClient(
        dest.host, insecure=dest.insecure, ca=dest.ca, credentials=dest.credentials, retry=retry
    )


@dataclass(eq=False)
class _Registry:
    """One registry (one client) and the repositories we publish to on it."""

    client: RegistryClient
    repositories: list[str]
    lock: threading.Lock = field(default_factory=threading.Lock)
    # digest -> a repository of this registry known to hold it (a mount source)
    holders: dict[str, str] = field(default_factory=dict)


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
    factory = client_factory or default_client
    cache = cache if cache is not None else ImageCache()
    registries: dict[tuple[object, ...], _Registry] = {}
    for dest in destinations:
        reg = registries.get(dest.registry_key)
        if reg is None:
            reg = registries[dest.registry_key] = _Registry(factory(dest), [])
        if dest.path not in reg.repositories:
            reg.repositories.append(dest.path)
    by_repo = {d.repository: registries[d.registry_key] for d in destinations}
    emit = on_event or (lambda event: None)
    try:
        for reg in registries.values():
            reg.client.ping()
        manifest, media_type = _reuse(image_id, tags, destinations, by_repo, cache, emit)
        if manifest is None:
            image = _export_and_upload(
                engine, image_id, list(registries.values()), emit, chunk_size, concurrency
            )
            manifest, media_type = image.manifest, DOCKER_MANIFEST
            cache.store(image_id, image)
        done = _put_manifests(manifest, media_type, tags, destinations, by_repo, on_push, emit)
        verify(image_id, done, destinations, by_repo)
        return done
    finally:
        for reg in registries.values():
            reg.client.close()


def _reuse(
    image_id: str,
    tags: Sequence[str],
    destinations: Sequence[Destination],
    by_repo: dict[str, _Registry],
    cache: ImageCache,
    emit: Callable[[Event], None],
) -> tuple[bytes | None, str]:
    """A manifest of this image ID that every registry already has every blob of, if any."""
    from dockwright.registry.client import Manifest, sha256_digest

    candidates: list[tuple[Manifest, bytes | None]] = []
    cached = cache.load(image_id)
    if cached is not None:
        raw = cached.manifest
        candidates.append((Manifest(sha256_digest(raw), cached.media_type, raw), cached.config))
    else:
        first = plan(tags, destinations)[0][1]
        for dest in destinations:
            found = by_repo[dest.repository].client.manifest(dest.path, first)
            if (
                found is not None
                and found.media_type in (DOCKER_MANIFEST, OCI_MANIFEST)
                and found.config_digest == image_id
            ):
                candidates.append((found, None))
                break
    for manifest, config in candidates:
        if _blobs_everywhere(manifest.blobs, image_id, config, set(by_repo.values()), emit):
            emit(Event("reused", "", f"manifest {manifest.digest} (no export needed)"))
            return manifest.raw, manifest.media_type
    return None, ""


def _blobs_everywhere(
    blobs: list[tuple[str, int]],
    image_id: str,
    config: bytes | None,
    registries: set[_Registry],
    emit: Callable[[Event], None],
) -> bool:
    """Make every blob present in every repository without content (mounts; the config from
    the cache). False when some blob would need the image's layers."""

    def ensure(job: tuple[_Registry, str]) -> bool:
        reg, digest = job
        data = config if digest == image_id else None
        blob = Blob(digest, len(data), "", data=data) if data is not None else None
        return _ensure_blob(reg, digest, blob, emit, CHUNK_SIZE)

    return all(_parallel(ensure, [(reg, digest) for reg in registries for digest, _ in blobs]))


T = TypeVar("T")
R = TypeVar("R")


_checks: concurrent.futures.ThreadPoolExecutor | None = None
_checks_lock = threading.Lock()


def _parallel(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
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


def _ensure_blob(
    reg: _Registry,
    digest: str,
    blob: Blob | None,
    emit: Callable[[Event], None],
    chunk_size: int,
) -> bool:
    """Get ``digest`` into every repository of ``reg``: found, mounted, else uploaded once.

    Without content (``blob`` None) returns False when an upload would be needed.
    """
    client = reg.client
    missing = []
    for repo in reg.repositories:
        if client.blob_exists(repo, digest):
            with reg.lock:
                reg.holders.setdefault(digest, repo)
        else:
            missing.append(repo)
    for repo in missing:
        with reg.lock:
            source = reg.holders.get(digest)
        if source is not None and client.mount_blob(repo, digest, source):
            emit(Event("mounted", f"{client.host}/{repo}", f"{digest} from {source}"))
            continue
        if blob is None:
            return False
        client.upload_blob(repo, digest, blob.size, blob.open, chunk_size=chunk_size)
        emit(Event("uploaded", f"{client.host}/{repo}", f"{digest} ({blob.size} bytes)"))
        with reg.lock:
            reg.holders.setdefault(digest, repo)
    return True


def _export_and_upload(
    engine: Engine,
    image_id: str,
    registries: list[_Registry],
    emit: Callable[[Event], None],
    chunk_size: int,
    concurrency: int,
) -> CachedImage:
    with (
        tempfile.TemporaryDirectory(prefix="dockwright-publish-") as workdir,
        concurrent.futures.ThreadPoolExecutor(concurrency, "dockwright-blob") as pool,
    ):
        futures: list[concurrent.futures.Future[bool]] = []
        submitted: set[str] = set()

        def submit(blob: Blob) -> None:
            for future in futures:  # stop reading the export as soon as an upload failed
                if future.done() and future.exception() is not None:
                    future.result()
            if blob.digest in submitted:
                return  # the same layer twice in one image
            submitted.add(blob.digest)
            for reg in registries:
                futures.append(pool.submit(_ensure_blob, reg, blob.digest, blob, emit, chunk_size))

        try:
            with engine.export_image(image_id) as stream:
                image = read_saved_image(stream, image_id, Path(workdir), on_layer=submit)
            submit(image.config)
            for future in concurrent.futures.as_completed(futures):
                future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return CachedImage(image.manifest(), DOCKER_MANIFEST, image.config.data or b"")


def _put_manifests(
    manifest: bytes,
    media_type: str,
    tags: Sequence[str],
    destinations: Sequence[Destination],
    by_repo: dict[str, _Registry],
    on_push: Callable[[Published], None] | None,
    emit: Callable[[Event], None],
) -> list[Published]:
    from dockwright.registry.client import sha256_digest

    digest = sha256_digest(manifest)
    done: list[Published] = []
    steps = plan(tags, destinations)
    # Which tags already point at this manifest: asked all at once, then PUTs strictly in order.
    current = _parallel(
        lambda step: by_repo[step[0].repository].client.manifest_digest(step[0].path, step[1]),
        steps,
    )
    for (dest, tag), now in zip(steps, current, strict=True):
        client = by_repo[dest.repository].client
        if now != digest:
            client.put_manifest(dest.path, tag, manifest, media_type)
            emit(Event("tagged", dest.repository, f"{tag} -> {digest}"))
        item = Published(dest.repository, tag, digest)
        done.append(item)
        if on_push:
            on_push(item)
    return done


def verify(
    image_id: str,
    published: Sequence[Published],
    destinations: Sequence[Destination],
    by_repo: dict[str, _Registry] | None = None,
    client_factory: ClientFactory | None = None,
) -> None:
    """Read every tag back: it resolves to the pushed digest, whose config is ``image_id`` and
    whose blobs all exist in the repository. The checks run concurrently."""
    owned: list[RegistryClient] = []
    clients: dict[str, tuple[RegistryClient, str]] = {}
    try:
        for dest in {d.repository: d for d in destinations}.values():
            if by_repo is not None:
                client = by_repo[dest.repository].client
            else:
                client = (client_factory or default_client)(dest)
                owned.append(client)
            clients[dest.repository] = (client, dest.path)

        def check_tag(item: Published) -> None:
            client, path = clients[item.repository]
            found = client.manifest_digest(path, item.tag)
            if found is None:
                raise VerificationError(f"{item.ref} was pushed but the registry lacks it")
            if found != item.digest:
                raise VerificationError(f"{item.ref} resolves to {found}, expected {item.digest}")

        def check_manifest(item: Published) -> list[tuple[Published, str]]:
            client, path = clients[item.repository]
            manifest = client.manifest(path, item.digest)
            if manifest is None or manifest.config_digest != image_id:
                held = manifest.config_digest if manifest else None
                raise VerificationError(
                    f"{item.ref} holds image {held}, not the tested image {image_id}"
                )
            return [(item, blob) for blob, _ in manifest.blobs]

        def check_blob(job: tuple[Published, str]) -> None:
            item, blob = job
            client, path = clients[item.repository]
            if not client.blob_exists(path, blob):
                raise VerificationError(f"{item.ref} names blob {blob}, which is missing")

        one_per_manifest = list({(p.repository, p.digest): p for p in published}.values())
        _parallel(check_tag, list(published))
        blobs = _parallel(check_manifest, one_per_manifest)
        _parallel(check_blob, [job for jobs in blobs for job in jobs])
    finally:
        for client in owned:
            client.close()
