"""Getting blobs and manifests into the registries.

Each blob is uploaded at most once per registry and mounted into the other repositories of that
registry; blobs go concurrently, layers while the export still streams (and, to the first
repository of each registry, while they are still being compressed). Manifests go only once all
their blobs are in the repository, so no tag ever points at a manifest with missing blobs.
"""

from __future__ import annotations

import concurrent.futures
import io
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from dockwright.errors import RegistryError
from dockwright.publish.imagecache import CachedImage
from dockwright.publish.plan import Destination, Event, Published
from dockwright.publish.registries import Registries, Registry
from dockwright.registry.manifest import DOCKER_MANIFEST, sha256_digest

if TYPE_CHECKING:
    # The export path (tar reading, ISA-L gzip) loads only when an image must be uploaded.
    from dockwright.engine.base import Engine
    from dockwright.publish.archive import Blob, LayerStream

# Blobs bigger than this go up in PATCH chunks that resume after a failure.
CHUNK_SIZE = 64 << 20
CONCURRENCY = 4


def blobs_everywhere(
    blobs: list[tuple[str, int]],
    image_id: str,
    config: bytes | None,
    registries: Registries,
    emit: Callable[[Event], None],
) -> bool:
    """Make every blob present in every repository without content (mounts; the config from
    the cache). False when some blob would need the image's layers."""

    def ensure(job: tuple[Registry, str]) -> bool:
        reg, digest = job
        blob = None
        if config is not None and digest == image_id:
            from dockwright.publish.archive import Blob

            blob = Blob(digest, len(config), "", data=config)
        return ensure_blob(reg, digest, blob, emit, CHUNK_SIZE)

    jobs = [(reg, digest) for reg in registries.all for digest, _ in blobs]
    return all(registries.parallel(ensure, jobs))


def ensure_blob(
    reg: Registry,
    digest: str,
    blob: Blob | None,
    emit: Callable[[Event], None],
    chunk_size: int,
    stop: threading.Event | None = None,
) -> bool:
    """Get ``digest`` into every repository of ``reg``: found, mounted, else uploaded once.

    Without content (``blob`` None) returns False when an upload would be needed. Once
    ``stop`` is set, an upload in flight ends at its next read of the blob.
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
        client.upload_blob(repo, digest, blob.size, _opener(blob, stop), chunk_size=chunk_size)
        emit(Event("uploaded", f"{client.host}/{repo}", f"{digest} ({blob.size} bytes)"))
        with reg.lock:
            reg.holders.setdefault(digest, repo)
    return True


class _Stopped(Exception):
    """Raised into the upload of a blob when the publish stops (another upload failed, or an
    interrupt); never reaches the caller of publish, who gets the cause."""


class _StoppableFile(io.BufferedReader):
    """A spool file whose reads fail once ``stop`` is set."""

    def __init__(self, path: Path, stop: threading.Event) -> None:
        super().__init__(io.FileIO(path, "rb"))
        self._stop = stop

    def read(self, size: int | None = -1, /) -> bytes:
        if self._stop.is_set():
            raise _Stopped
        return super().read(size)


def _opener(blob: Blob, stop: threading.Event | None) -> Callable[[], IO[bytes]]:
    path = blob.path
    if stop is None or path is None:  # small blobs are in memory: sent in a moment
        return blob.open
    return lambda: _StoppableFile(path, stop)


class _Stream:
    """One layer going to one registry (its first repository) while it is compressed, on a
    thread of its own.

    Once the layer's digest is known, :meth:`settle` commits the upload, or stops it when the
    registry turns out to hold the blob already (little is sent for nothing: compressing is
    much faster than uploading). Any failure leaves the blob to the usual upload from the
    spool file, with its retries. :meth:`close` ends the thread, and drops the upload unless
    it was committed; whoever starts a stream closes it.
    """

    def __init__(self, reg: Registry, layer: LayerStream) -> None:
        self.reg = reg
        self.repository = reg.repositories[0]
        self.stop = threading.Event()
        self.location: str | None = None
        self.failed = False
        self._committed = False
        self._closed = False
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

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.stop.set()
        self._thread.join()
        if self.location is not None and not self._committed:
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
            self.close()
            return False
        self._thread.join()
        if self.failed or self.location is None:
            return False
        try:
            client.commit_blob(self.repository, self.location, blob.digest)
        except RegistryError:
            self.location = None  # commit_blob dropped the upload
            return False
        self._committed = True
        with self.reg.lock:
            self.reg.holders.setdefault(blob.digest, self.repository)
        return True


def _finish_blob(
    reg: Registry,
    blob: Blob,
    stream: _Stream | None,
    emit: Callable[[Event], None],
    chunk_size: int,
    stop: threading.Event,
) -> bool:
    if stop.is_set():
        raise _Stopped
    if stream is not None and stream.settle(blob):
        where = f"{reg.client.host}/{stream.repository}"
        emit(Event("uploaded", where, f"{blob.digest} ({blob.size} bytes, while compressing)"))
    return ensure_blob(reg, blob.digest, blob, emit, chunk_size, stop)


def export_and_upload(
    engine: Engine,
    image_id: str,
    registries: Registries,
    emit: Callable[[Event], None],
    chunk_size: int,
    concurrency: int,
) -> CachedImage:
    """Stream the image out of the engine and every blob into every registry; returns what the
    image cache keeps (our manifest and the config).

    Uploads run on a pool of ``concurrency`` threads and streams on threads of their own; all
    of them have ended when this returns or raises. On a failure (or an interrupt) queued
    uploads are cancelled and those in flight stop at their next read.
    """
    from dockwright.publish.archive import read_saved_image

    stop = threading.Event()
    started: list[_Stream] = []  # every stream, closed whatever happens
    # spool file -> the uploads of that layer started while it is compressed, by registry
    streaming: dict[Path, dict[Registry, _Stream]] = {}
    futures: list[concurrent.futures.Future[bool]] = []
    submitted: set[str] = set()

    def start(layer: LayerStream) -> None:
        streams = streaming[layer.path] = {}
        for reg in registries.all:
            streams[reg] = _Stream(reg, layer)
            started.append(streams[reg])

    with tempfile.TemporaryDirectory(prefix="dockwright-publish-") as workdir:
        try:
            with concurrent.futures.ThreadPoolExecutor(concurrency, "dockwright-blob") as pool:

                def submit(blob: Blob) -> None:
                    for future in futures:  # stop reading the export once an upload failed
                        if future.done() and future.exception() is not None:
                            future.result()
                    streams = streaming.pop(blob.path, {}) if blob.path is not None else {}
                    if blob.digest in submitted:
                        for twice in streams.values():  # the same layer twice in one image
                            twice.close()
                        return
                    submitted.add(blob.digest)
                    for reg in registries.all:
                        stream = streams.get(reg)
                        futures.append(
                            pool.submit(_finish_blob, reg, blob, stream, emit, chunk_size, stop)
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
                    stop.set()
                    for future in futures:
                        future.cancel()
                    for stream in started:
                        stream.stop.set()
                    raise
        finally:
            for stream in started:
                stream.close()
    return CachedImage(image.manifest(), DOCKER_MANIFEST, image.config.data or b"")


def put_manifests(
    manifest: bytes,
    media_type: str,
    steps: Sequence[tuple[Destination, str]],
    registries: Registries,
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
        current = registries.parallel(
            lambda step: registries.client(step[0]).manifest_digest(step[0].path, step[1]), steps
        )
    for (dest, tag), now in zip(steps, current, strict=True):
        client = registries.client(dest)
        if now != digest:
            client.put_manifest(dest.path, tag, manifest, media_type)
            emit(Event("tagged", dest.repository, f"{tag} -> {digest}"))
        item = Published(dest.repository, tag, digest)
        done.append(item)
        if on_push:
            on_push(item)
    return done
