"""Turn a ``docker save`` tar stream into registry blobs: gzip layers, the config, a manifest.

``docker save`` gives uncompressed layer tars (the legacy layout ``<id>/layer.tar`` or, from
Docker 25, an OCI layout ``blobs/sha256/<hex>``; both carry ``manifest.json``). Each layer is
hashed (its diff ID, checked against the config) and gzip-compressed once, as it streams past,
into a spool file; the compressed digest is what a manifest names. The compression is
deterministic (ISA-L level 1, no name, mtime 0), so the same layer gives the same digest every
time with the same library, and re-publishing an unchanged image changes nothing.

Reading and compressing run in two threads joined by a small queue (ISA-L and hashlib release
the GIL), so memory stays at a few MiB whatever the image size.
"""

from __future__ import annotations

import hashlib
import json
import queue
import tarfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from isal import isal_zlib

from dockwright.errors import RegistryError

CONFIG_TYPE = "application/vnd.docker.container.image.v1+json"
LAYER_TYPE = "application/vnd.docker.image.rootfs.diff.tar.gzip"
MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json"
# ISA-L level 1 compresses about as well as zlib level 6 at ~15x its speed.
GZIP_LEVEL = 1
_CHUNK = 1 << 20
# Members at most this big are kept in memory (metadata, tiny layers); bigger ones are layers.
_SMALL = 1 << 20
_QUEUE_DEPTH = 8


@dataclass(frozen=True)
class Blob:
    """A blob ready to upload: in a spool file or, for small ones, in memory."""

    digest: str
    size: int
    media_type: str
    diff_id: str | None = None
    path: Path | None = None
    data: bytes | None = field(default=None, repr=False)

    def open(self) -> IO[bytes]:
        if self.path is not None:
            return self.path.open("rb")
        import io

        return io.BytesIO(self.data or b"")

    def descriptor(self) -> dict[str, Any]:
        return {"mediaType": self.media_type, "size": self.size, "digest": self.digest}


@dataclass(frozen=True)
class SavedImage:
    config: Blob
    layers: tuple[Blob, ...]

    def manifest(self) -> bytes:
        """A Docker v2 schema 2 manifest, as ``docker push`` writes (byte-stable for the cache)."""
        doc = {
            "schemaVersion": 2,
            "mediaType": MANIFEST_TYPE,
            "config": self.config.descriptor(),
            "layers": [layer.descriptor() for layer in self.layers],
        }
        return json.dumps(doc, indent=3).encode()


def _digest(h: hashlib._Hash) -> str:
    return "sha256:" + h.hexdigest()


def compress_bytes(data: bytes) -> tuple[bytes, str]:
    """gzip ``data`` deterministically; returns (compressed, diff ID of ``data``)."""
    comp = isal_zlib.compressobj(GZIP_LEVEL, isal_zlib.DEFLATED, 31)
    out = comp.compress(data) + comp.flush()
    return out, _digest(hashlib.sha256(data))


class StreamStopped(Exception):
    """Raised into a :meth:`LayerStream.chunks` reader whose ``stop`` event was set."""


class _Compressor:
    """Compress one layer from a queue of chunks into a spool file, on its own thread.

    What is written so far can be read while it grows (:meth:`follow`), so a layer can go to
    a registry while it is still being compressed.
    """

    def __init__(self, target: Path) -> None:
        self._queue: queue.Queue[bytes | None] = queue.Queue(_QUEUE_DEPTH)
        self._target = target
        self._out = target.open("wb")  # here, so that a follower can open it at once
        self._error: BaseException | None = None
        self._grown = threading.Condition()
        self._written = 0  # bytes flushed to the spool file
        self._finished = False
        self.digest = ""
        self.size = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _write(self, piece: bytes) -> None:
        self._out.write(piece)
        self.size += len(piece)

    def _run(self) -> None:
        try:
            comp = isal_zlib.compressobj(GZIP_LEVEL, isal_zlib.DEFLATED, 31)
            sha = hashlib.sha256()
            with self._out:
                while (chunk := self._queue.get()) is not None:
                    piece = comp.compress(chunk)
                    sha.update(piece)
                    self._write(piece)
                    if piece:
                        self._out.flush()
                        with self._grown:
                            self._written = self.size
                            self._grown.notify_all()
                piece = comp.flush()
                sha.update(piece)
                self._write(piece)
            self.digest = _digest(sha)
        except BaseException as exc:  # handed to the reading thread in finish()
            with self._grown:
                self._error = exc
                self._grown.notify_all()  # followers fail now, not once the reader is done
            while self._queue.get() is not None:  # unblock the reader
                pass
        finally:
            with self._grown:
                self._written = self.size
                self._finished = True
                self._grown.notify_all()

    def feed(self, chunk: bytes) -> None:
        self._queue.put(chunk)

    def finish(self) -> tuple[str, int]:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise RegistryError(f"cannot write the compressed layer: {self._error}")
        return self.digest, self.size

    def follow(self, stop: threading.Event) -> Iterator[bytes]:
        """The compressed bytes from the start, as they are written, until the layer is done.
        Raises StreamStopped once ``stop`` is set, RegistryError if compression failed."""
        with self._target.open("rb") as spool:
            done = 0
            while True:
                with self._grown:
                    while (
                        done == self._written
                        and not self._finished
                        and self._error is None
                        and not stop.is_set()
                    ):
                        self._grown.wait(0.5)
                    written, finished = self._written, self._finished
                if stop.is_set():
                    raise StreamStopped
                if self._error is not None:
                    raise RegistryError(f"cannot write the compressed layer: {self._error}")
                while done < written:
                    piece = spool.read(min(_CHUNK, written - done))
                    if not piece:
                        raise RegistryError(f"the spool file {self._target} ended early")
                    done += len(piece)
                    yield piece
                    if stop.is_set():
                        raise StreamStopped
                if finished:
                    return


class LayerStream:
    """A layer being compressed: ``path`` is its spool file, ``chunks(stop)`` reads its
    compressed bytes from the start as they come (each call is a new reader)."""

    def __init__(self, path: Path, compressor: _Compressor) -> None:
        self.path = path
        self._compressor = compressor

    def chunks(self, stop: threading.Event) -> Iterator[bytes]:
        return self._compressor.follow(stop)


def _spool_layer(
    archive: tarfile.TarFile,
    member: tarfile.TarInfo,
    target: Path,
    on_start: Callable[[LayerStream], None] | None,
) -> Blob:
    handle = archive.extractfile(member)
    if handle is None:
        raise RegistryError(f"the image archive's {member.name} cannot be read")
    diff = hashlib.sha256()
    compressor = _Compressor(target)
    try:
        if on_start:
            on_start(LayerStream(target, compressor))
        while chunk := handle.read(_CHUNK):
            diff.update(chunk)
            compressor.feed(chunk)
    finally:
        digest, size = compressor.finish()
    return Blob(digest, size, LAYER_TYPE, diff_id=_digest(diff), path=target)


def read_saved_image(
    stream: IO[bytes],
    image_id: str,
    workdir: Path,
    on_layer: Callable[[Blob], None] | None = None,
    on_layer_start: Callable[[LayerStream], None] | None = None,
) -> SavedImage:
    """Read a ``docker save`` stream of one image; ``on_layer`` hears of each layer as soon as
    it is compressed (so uploads overlap the rest of the stream), ``on_layer_start`` of each
    spooled layer as its compression starts (so it can be uploaded while it is compressed;
    the blob given to ``on_layer`` then has the same ``path``)."""
    small: dict[str, bytes] = {}
    big: dict[str, Blob] = {}
    try:
        with tarfile.open(fileobj=stream, mode="r|") as archive:
            for member in archive:
                if not member.isreg():
                    continue
                name = member.name[2:] if member.name.startswith("./") else member.name
                if member.size > _SMALL:
                    target = workdir / f"layer-{len(big)}.gz"
                    blob = _spool_layer(archive, member, target, on_layer_start)
                    big[name] = blob
                    if on_layer:
                        on_layer(blob)
                else:
                    handle = archive.extractfile(member)
                    small[name] = handle.read() if handle else b""
    except tarfile.TarError as exc:
        raise RegistryError(f"the engine's export of {image_id} is not a valid tar: {exc}") from exc
    entry = _manifest_entry(small, image_id)
    config_raw = small.get(entry["Config"])
    if config_raw is None:
        raise RegistryError(f"the export of {image_id} lacks its config {entry['Config']}")
    config_digest = _digest(hashlib.sha256(config_raw))
    if config_digest != image_id:
        raise RegistryError(f"the export holds image {config_digest}, expected {image_id}")
    layers: list[Blob] = []
    for path in entry["Layers"]:
        spooled = big.get(path)
        if spooled is not None:
            blob = spooled
        else:
            data = small.get(path)
            if data is None:
                raise RegistryError(f"the export of {image_id} lacks its layer {path}")
            compressed, diff_id = compress_bytes(data)
            blob = Blob(
                _digest(hashlib.sha256(compressed)),
                len(compressed),
                LAYER_TYPE,
                diff_id=diff_id,
                data=compressed,
            )
            if on_layer:
                on_layer(blob)
        layers.append(blob)
    _check_diff_ids(config_raw, layers, image_id)
    config = Blob(config_digest, len(config_raw), CONFIG_TYPE, data=config_raw)
    return SavedImage(config, tuple(layers))


def _manifest_entry(small: dict[str, bytes], image_id: str) -> dict[str, Any]:
    raw = small.get("manifest.json")
    try:
        entries = json.loads(raw) if raw is not None else None
    except ValueError:
        entries = None
    if not isinstance(entries, list) or len(entries) != 1 or not isinstance(entries[0], dict):
        raise RegistryError(f"the export of {image_id} has no manifest.json with exactly one image")
    entry: dict[str, Any] = entries[0]
    if not isinstance(entry.get("Config"), str) or not isinstance(entry.get("Layers"), list):
        raise RegistryError(f"the export of {image_id} has a manifest.json without Config/Layers")
    return entry


def _check_diff_ids(config_raw: bytes, layers: list[Blob], image_id: str) -> None:
    """The layers must be exactly the config's rootfs: what was tested is what is pushed."""
    try:
        config = json.loads(config_raw)
        diff_ids = config["rootfs"]["diff_ids"]
    except (ValueError, KeyError, TypeError) as exc:
        raise RegistryError(f"the config of {image_id} has no rootfs.diff_ids") from exc
    found = [layer.diff_id for layer in layers]
    if found != diff_ids:
        raise RegistryError(
            f"the exported layers of {image_id} do not match its config's rootfs "
            f"({len(found)} layers, {len(diff_ids)} diff IDs)"
        )
