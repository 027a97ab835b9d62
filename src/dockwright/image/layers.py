"""A read-only filesystem view of an image, built from its layers without extracting them.

Sources: a ``docker save`` archive (``manifest.json`` + layer tars) or an OCI image layout (a
directory or a tar of one). Every layer is scanned once, headers only, into an index of final
paths; file contents are read later, on demand, straight from the layer stream. Nothing is ever
written to disk, so hostile layers cannot escape: entry names are cleaned against ``/`` (``..``
cannot climb above it), symlinks are resolved inside the image only, hardlinks point at entries
already indexed, and whiteouts (``.wh.NAME``) and opaque markers (``.wh..wh..opq``) hide lower
layers as the OCI image spec says (only lower layers, never their own).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import posixpath
import tarfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO, Any, cast

from dockwright.errors import UsageError

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"
MAX_SYMLINKS = 40  # as Linux's ELOOP limit
_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class ImageArchiveError(UsageError):
    """An image archive or OCI layout that cannot be read."""


@dataclass(frozen=True)
class Entry:
    """One path of the flattened image (lstat view)."""

    path: str  # clean, absolute: "/etc/passwd"
    type: str  # "file", "dir", "symlink", "hardlink", "other"
    mode: int  # 0o7777 bits
    uid: int
    gid: int
    size: int
    link_target: str = ""
    layer: int = -1  # where the bytes are: layer index and offset in its uncompressed tar
    offset: int = -1


def clean(name: str) -> str:
    """An archive member name as an absolute path that cannot leave ``/``."""
    return posixpath.normpath("/" + name.lstrip("/"))


class _Window(io.RawIOBase):
    """A read-only, seekable view of ``size`` bytes at ``start`` of an open file.

    Reads use ``pread`` on the file descriptor, never the shared file position, so any number
    of windows over one file can be read from several threads at once."""

    def __init__(self, fd: int, start: int, size: int) -> None:
        self._fd = fd
        self._start = start
        self._size = size
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, b: Any) -> int:
        n = max(0, min(len(b), self._size - self._pos))
        if n == 0:
            return 0
        data = os.pread(self._fd, n, self._start + self._pos)
        b[: len(data)] = data
        self._pos += len(data)
        return len(data)


@dataclass(frozen=True)
class _Blob:
    """Where a layer's bytes live: a file, or a member of an outer tar (start, size)."""

    file: str
    start: int = 0
    size: int = -1


class ImageArchive:
    """An image read from a ``docker save`` tar or an OCI layout, indexed on open; once open,
    it can be read from several threads at once."""

    def __init__(self, path: str, *, platform: str | None = None) -> None:
        self.path = path
        self._stack = ExitStack()
        self._lock = threading.Lock()
        self._handles: dict[str, IO[bytes]] = {}
        self._members: dict[str, _Blob] = {}
        try:
            self.config, self._layers = self._locate(platform)
        except (OSError, ValueError, KeyError, TypeError, tarfile.TarError) as exc:
            self.close()
            raise ImageArchiveError(f"{path}: cannot read image archive: {exc}") from None
        self.entries: dict[str, Entry] = {"/": Entry("/", "dir", 0o755, 0, 0, 0)}
        self._children: dict[str, set[str]] = {"/": set()}
        try:
            for index in range(len(self._layers)):
                self._apply_layer(index)
        except (OSError, EOFError, tarfile.TarError, gzip.BadGzipFile) as exc:
            self.close()
            raise ImageArchiveError(f"{path}: layer {index + 1} is unreadable: {exc}") from None

    # -- opening the archive ---------------------------------------------------------------------

    def close(self) -> None:
        self._stack.close()
        self._handles.clear()

    def __enter__(self) -> ImageArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _handle(self, file: str) -> IO[bytes]:
        with self._lock:
            if file not in self._handles:
                self._handles[file] = self._stack.enter_context(open(file, "rb"))  # noqa: SIM115
            return self._handles[file]

    def _open_blob(self, blob: _Blob) -> IO[bytes]:
        fd = self._handle(blob.file).fileno()
        size = blob.size if blob.size >= 0 else os.fstat(fd).st_size
        return io.BufferedReader(_Window(fd, blob.start, size), 1 << 16)

    def _read_json(self, blob: _Blob) -> Any:
        with self._open_blob(blob) as stream:
            return json.loads(stream.read(64 << 20))

    def _locate(self, platform: str | None) -> tuple[dict[str, Any], list[_Blob]]:
        if os.path.isdir(self.path):
            root = self.path

            def blob(name: str) -> _Blob:
                full = os.path.realpath(os.path.join(root, name))
                if not full.startswith(os.path.realpath(root) + os.sep):
                    raise ValueError(f"{name!r} points outside the layout")
                if not os.path.isfile(full):
                    raise ValueError(f"{name!r} is missing from the layout")
                return _Blob(full)

            names = {n for n in ("manifest.json", "index.json") if os.path.isfile(f"{root}/{n}")}
        else:
            handle = self._handle(self.path)
            with tarfile.open(fileobj=handle, mode="r:") as outer:
                for member in outer:
                    if member.isreg():
                        key = clean(member.name).lstrip("/")
                        self._members[key] = _Blob(self.path, member.offset_data, member.size)

            def blob(name: str) -> _Blob:
                key = clean(name).lstrip("/")
                if key not in self._members:
                    raise ValueError(f"{name!r} is missing from the archive")
                return self._members[key]

            names = {n for n in ("manifest.json", "index.json") if n in self._members}
        if "manifest.json" in names:  # docker save (also written beside index.json by Docker 25+)
            manifests = self._read_json(blob("manifest.json"))
            if not isinstance(manifests, list) or len(manifests) != 1:
                raise ValueError("manifest.json must describe exactly one image")
            config = self._read_json(blob(manifests[0]["Config"]))
            return config, [blob(layer) for layer in manifests[0]["Layers"]]
        if "index.json" in names:  # OCI image layout
            manifest = self._oci_manifest(blob, self._read_json(blob("index.json")), platform)
            config = self._read_json(blob(_digest_path(manifest["config"]["digest"])))
            return config, [blob(_digest_path(layer["digest"])) for layer in manifest["layers"]]
        raise ValueError("expected manifest.json (docker save) or index.json (OCI layout)")

    def _oci_manifest(self, blob: Any, index: Mapping[str, Any], platform: str | None) -> Any:
        for _ in range(8):  # nested indexes, bounded
            manifests = list(index.get("manifests") or ())
            if platform:
                want = platform.split("/")
                manifests = [
                    m
                    for m in manifests
                    if "platform" not in m
                    or [m["platform"].get("os"), m["platform"].get("architecture")] == want[:2]
                ]
            manifests = [
                m
                for m in manifests
                if (m.get("platform") or {}).get("architecture") != "unknown"  # attestations
            ]
            if len(manifests) != 1:
                raise ValueError(
                    f"the index lists {len(manifests)} matching manifests; expected exactly one"
                    + ("" if platform else " (choose one with --platform)")
                )
            document = self._read_json(blob(_digest_path(manifests[0]["digest"])))
            if "layers" in document:
                return document
            index = document
        raise ValueError("image indexes nest too deeply")

    # -- building the index ----------------------------------------------------------------------

    def _layer_stream(self, index: int) -> IO[bytes]:
        raw = self._open_blob(self._layers[index])
        magic = raw.peek(4)[:4] if isinstance(raw, io.BufferedReader) else b""
        if magic.startswith(_GZIP_MAGIC):
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        if magic == _ZSTD_MAGIC:
            raise ImageArchiveError(
                f"{self.path}: layer {index + 1} is zstd-compressed, which is not supported"
            )
        return raw

    def _remove(self, path: str) -> None:
        """Drop ``path`` and everything under it from the index."""
        stack = [path]
        while stack:
            current = stack.pop()
            self.entries.pop(current, None)
            stack += [posixpath.join(current, c) for c in self._children.pop(current, ())]
        parent, name = posixpath.split(path)
        self._children.get(parent, set()).discard(name)

    def _add(self, entry: Entry) -> None:
        old = self.entries.get(entry.path)
        if old is not None and not (old.type == "dir" and entry.type == "dir"):
            self._remove(entry.path)  # a non-directory replaces whatever was there
        # Parents that no layer listed exist implicitly (and hide lower non-directories).
        parent, name = posixpath.split(entry.path)
        missing = []
        while parent not in self.entries or self.entries[parent].type != "dir":
            missing.append(parent)
            parent = posixpath.dirname(parent)
        for path in reversed(missing):
            if path in self.entries:
                self._remove(path)
            self.entries[path] = Entry(path, "dir", 0o755, 0, 0, 0)
            self._children.setdefault(posixpath.dirname(path), set()).add(posixpath.basename(path))
        self.entries[entry.path] = entry
        self._children.setdefault(posixpath.dirname(entry.path), set()).add(name)
        if entry.type == "dir":
            self._children.setdefault(entry.path, set())

    def _apply_layer(self, index: int) -> None:
        added: list[Entry] = []
        whiteouts: list[str] = []
        opaque: list[str] = []
        with self._layer_stream(index) as stream, tarfile.open(fileobj=stream, mode="r:") as tar:
            while (member := tar.next()) is not None:
                cast(Any, tar).members.clear()  # tarfile keeps every header; the index is enough
                path = clean(member.name)
                if path == "/":
                    continue  # the root is the engine's: 0755 root:root, whatever layers say
                parent, name = posixpath.split(path)
                if name == OPAQUE:
                    opaque.append(parent)
                elif name.startswith(WHITEOUT):
                    whiteouts.append(posixpath.join(parent, name[len(WHITEOUT) :]))
                else:
                    added.append(_entry(path, member, index))
        # Whiteouts and opaque markers hide lower layers only, so they go first.
        for path in opaque:
            if path in self.entries and self.entries[path].type == "dir":
                for child in list(self._children.get(path, ())):
                    self._remove(posixpath.join(path, child))
        for path in whiteouts:
            if path != "/":
                self._remove(path)
        for entry in added:
            if entry.type == "hardlink":
                entry = self._hardlink(entry)
            self._add(entry)

    def _hardlink(self, entry: Entry) -> Entry:
        """Give a hardlink its target's bytes (the target must already be indexed)."""
        target = self.entries.get(clean(entry.link_target))
        if target is None or target.type != "file":
            return Entry(
                entry.path, "hardlink", entry.mode, entry.uid, entry.gid, 0, entry.link_target
            )
        return Entry(
            entry.path,
            "hardlink",
            entry.mode,
            entry.uid,
            entry.gid,
            target.size,
            entry.link_target,
            target.layer,
            target.offset,
        )

    # -- reading -------------------------------------------------------------------------------

    def resolve(self, path: str, *, follow: bool) -> Entry | None:
        """The entry at ``path``, following symlinks in every parent (and the last one if
        ``follow``) inside the image: absolute targets start at the image root. None if missing,
        a parent is not a directory, or links loop."""
        parts = [p for p in clean(path).split("/") if p]
        current = "/"
        hops = 0
        while parts:
            name = parts.pop(0)
            if name == "..":
                current = posixpath.dirname(current)
                continue
            candidate = posixpath.join(current, name)
            entry = self.entries.get(candidate)
            if entry is None:
                return None
            if entry.type == "symlink" and (parts or follow):
                hops += 1
                if hops > MAX_SYMLINKS:
                    return None
                target = entry.link_target
                base = "/" if target.startswith("/") else current
                parts = [p for p in target.split("/") if p and p != "."] + parts
                current = base
                continue
            if parts and entry.type != "dir":
                return None
            current = candidate
        return self.entries.get(current)

    def listdir(self, path: str) -> list[str]:
        entry = self.resolve(path, follow=True)
        if entry is None or entry.type != "dir":
            return []
        return sorted(self._children.get(entry.path, ()))

    def read(self, entry: Entry, limit: int = 1 << 30) -> bytes:
        """The bytes of a regular file (or hardlink to one); empty for anything else."""
        if entry.layer < 0 or entry.size == 0:
            return b""
        stream = self._layer_stream(entry.layer)
        with stream:
            stream.seek(entry.offset)
            return stream.read(min(entry.size, limit))

    def iter_entries(self) -> Iterator[Entry]:
        return iter(self.entries.values())


def _digest_path(digest: str) -> str:
    algorithm, _, encoded = str(digest).partition(":")
    if not algorithm.isalnum() or not encoded.isalnum():
        raise ValueError(f"invalid digest {digest!r}")
    return f"blobs/{algorithm}/{encoded}"


def _entry(path: str, member: tarfile.TarInfo, layer: int) -> Entry:
    if member.isdir():
        kind = "dir"
    elif member.issym():
        kind = "symlink"
    elif member.islnk():
        kind = "hardlink"
    elif member.isreg():
        kind = "file"
    else:
        kind = "other"
    return Entry(
        path=path,
        type=kind,
        mode=member.mode & 0o7777,
        uid=member.uid,
        gid=member.gid,
        size=member.size if kind == "file" else 0,
        link_target=member.linkname,
        layer=layer if kind == "file" else -1,
        offset=member.offset_data if kind == "file" else -1,
    )
