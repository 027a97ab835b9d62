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

import concurrent.futures
import re
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from dockwright.errors import RegistryError, VerificationError
from dockwright.publish.imagecache import CachedImage, ImageCache
from dockwright.registry.auth import BasicCredentials
from dockwright.registry.client import (
    DOCKER_MANIFEST,
    OCI_MANIFEST,
    Manifest,
    RegistryClient,
    sha256_digest,
)
from dockwright.registry.retry import RetryPolicy

if TYPE_CHECKING:
    # The export path (tar reading, ISA-L gzip) loads only when an image must be uploaded.
    from dockwright.engine.base import Engine
    from dockwright.publish.archive import Blob, LayerStream

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
    steps = plan(tags, destinations)
    try:
        _parallel(lambda reg: reg.client.ping(), list(registries.values()))
        candidate, now = _look(image_id, steps, by_repo, cache)
        if candidate is not None and all(digest == candidate.digest for digest in now):
            return _already_published(candidate.digest, steps, on_push, emit)
        current: list[str | None] | None = now
        manifest, media_type = _reuse(image_id, candidate, by_repo, emit)
        if manifest is None:
            image = _export_and_upload(
                engine, image_id, list(registries.values()), emit, chunk_size, concurrency
            )
            manifest, media_type = image.manifest, DOCKER_MANIFEST
            cache.store(image_id, image)
            current = None  # read again: the upload may have taken minutes
        done = _put_manifests(manifest, media_type, steps, by_repo, current, on_push, emit)
        verify(image_id, done, destinations, by_repo)
        return done
    finally:
        for reg in registries.values():
            reg.client.close()


def _look(
    image_id: str,
    steps: Sequence[tuple[Destination, str]],
    by_repo: dict[str, _Registry],
    cache: ImageCache,
) -> tuple[_Candidate | None, list[str | None]]:
    """In one concurrent round: what every tag of the plan resolves to now, and the manifest of
    this image ID published before (from the cache, else what the first tag of the plan holds
    in its repository, if its config is this image ID)."""
    cached = cache.load(image_id)

    def ask(job: tuple[int, tuple[Destination, str]]) -> Manifest | str | None:
        index, (dest, tag) = job
        client = by_repo[dest.repository].client
        if index == 0 and cached is None:
            return client.manifest(dest.path, tag)
        return client.manifest_digest(dest.path, tag)

    answers = _parallel(ask, list(enumerate(steps)))
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
    by_repo: dict[str, _Registry],
    emit: Callable[[Event], None],
) -> tuple[bytes | None, str]:
    """The candidate manifest, if every registry already has (or can mount) every blob of it."""
    if candidate is None:
        return None, ""
    manifest = candidate.manifest
    if _blobs_everywhere(manifest.blobs, image_id, candidate.config, set(by_repo.values()), emit):
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
        blob = None
        if config is not None and digest == image_id:
            from dockwright.publish.archive import Blob

            blob = Blob(digest, len(config), "", data=config)
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
        with reg.lock:
            held = reg.holders.get(digest) == repo  # seen there in this publish: no HEAD
        if held or client.blob_exists(repo, digest):
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


class _Stream:
    """One layer going to one registry (its first repository) while it is compressed.

    Once the layer's digest is known, :meth:`settle` commits the upload, or stops it when the
    registry turns out to hold the blob already (little is sent for nothing: compressing is
    much faster than uploading). Any failure leaves the blob to the usual upload from the
    spool file, with its retries.
    """

    def __init__(self, reg: _Registry, layer: LayerStream) -> None:
        self.reg = reg
        self.repository = reg.repositories[0]
        self.stop = threading.Event()
        self.location: str | None = None
        self.failed = False
        self._thread = threading.Thread(
            target=self._run, args=(layer,), name="dockwright-stream", daemon=True
        )
        self._thread.start()

    def _run(self, layer: LayerStream) -> None:
        try:
            self.location = self.reg.client.stream_blob(
                self.repository, lambda: layer.chunks(self.stop)
            )
        except BaseException:  # the blob goes up the usual way in settle's caller
            self.failed = True

    def abandon(self) -> None:
        self.stop.set()
        self._thread.join()
        if self.location is not None:
            self.reg.client.drop_upload(self.repository, self.location)

    def settle(self, blob: Blob) -> bool:
        """True when ``blob`` is now in the repository through this upload."""
        client = self.reg.client
        with self.reg.lock:
            known = blob.digest in self.reg.holders
        if not known and client.blob_exists(self.repository, blob.digest):
            with self.reg.lock:
                self.reg.holders.setdefault(blob.digest, self.repository)
            known = True
        if known:
            self.abandon()
            return False
        self._thread.join()
        if self.failed or self.location is None:
            return False
        try:
            client.commit_blob(self.repository, self.location, blob.digest)
        except RegistryError:
            return False
        with self.reg.lock:
            self.reg.holders.setdefault(blob.digest, self.repository)
        return True


def _finish_blob(
    reg: _Registry,
    blob: Blob,
    stream: _Stream | None,
    emit: Callable[[Event], None],
    chunk_size: int,
) -> bool:
    if stream is not None and stream.settle(blob):
        where = f"{reg.client.host}/{stream.repository}"
        emit(Event("uploaded", where, f"{blob.digest} ({blob.size} bytes, while compressing)"))
    return _ensure_blob(reg, blob.digest, blob, emit, chunk_size)


def _export_and_upload(
    engine: Engine,
    image_id: str,
    registries: list[_Registry],
    emit: Callable[[Event], None],
    chunk_size: int,
    concurrency: int,
) -> CachedImage:
    from dockwright.publish.archive import read_saved_image

    with (
        tempfile.TemporaryDirectory(prefix="dockwright-publish-") as workdir,
        concurrent.futures.ThreadPoolExecutor(concurrency, "dockwright-blob") as pool,
    ):
        futures: list[concurrent.futures.Future[bool]] = []
        submitted: set[str] = set()
        # spool file -> the uploads of that layer started while it is compressed, by registry
        streaming: dict[Path, dict[_Registry, _Stream]] = {}

        def start(layer: LayerStream) -> None:
            streaming[layer.path] = {reg: _Stream(reg, layer) for reg in registries}

        def submit(blob: Blob) -> None:
            for future in futures:  # stop reading the export as soon as an upload failed
                if future.done() and future.exception() is not None:
                    future.result()
            streams = streaming.pop(blob.path, {}) if blob.path is not None else {}
            if blob.digest in submitted:
                for twice in streams.values():  # the same layer twice in one image
                    twice.abandon()
                return
            submitted.add(blob.digest)
            for reg in registries:
                futures.append(
                    pool.submit(_finish_blob, reg, blob, streams.get(reg), emit, chunk_size)
                )

        try:
            with engine.export_image(image_id) as exported:
                image = read_saved_image(
                    exported, image_id, Path(workdir), on_layer=submit, on_layer_start=start
                )
            submit(image.config)
            for future in concurrent.futures.as_completed(futures):
                future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            for streams in streaming.values():
                for st in streams.values():
                    st.abandon()
            raise
    return CachedImage(image.manifest(), DOCKER_MANIFEST, image.config.data or b"")


def _put_manifests(
    manifest: bytes,
    media_type: str,
    steps: Sequence[tuple[Destination, str]],
    by_repo: dict[str, _Registry],
    current: list[str | None] | None,
    on_push: Callable[[Published], None] | None,
    emit: Callable[[Event], None],
) -> list[Published]:
    """PUT the manifest under every tag that does not hold it yet, strictly in plan order.

    ``current`` is what each step's tag resolved to, when already asked for this manifest.
    """
    digest = sha256_digest(manifest)
    done: list[Published] = []
    if current is None:
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
