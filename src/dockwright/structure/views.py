"""Read-only views of an image's filesystem, one per driver, for file and license tests.

* :class:`ContainerView` (docker driver): a created, never started, container read through the
  engine's archive API, with CST's docker-driver semantics (a symlink is followed for content only
  when its target is absolute).
* :class:`RootfsView` (docker driver, runc path): a read-only overlay mount of the image's layers
  and Docker's init layer (what that created container would show), read with the archive API's
  path rules; paths those rules treat specially go to a :class:`ContainerView`.
* :class:`ArchiveView` (tar driver): the layers of a ``docker save`` archive or OCI layout, read
  in place; symlinks resolve inside the image, never on the host.
* :class:`HostView` (host driver): the host's own filesystem.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import stat as statmod
import tarfile
import threading
from dataclasses import dataclass, field
from typing import Protocol

from dockwright.engine.base import ContainerSpec, Engine, PathStat
from dockwright.errors import EngineError, PathNotFound
from dockwright.image.layers import ImageArchive
from dockwright.structure.rootfs import scoped

# The command a file-reading container is created with; it is never started.
NOOP_COMMAND = ("dockwright-structure-test-noop",)


@dataclass(frozen=True)
class Read:
    """A file's bytes, or why they could not be read (CST's wording)."""

    data: bytes = b""
    error: str = ""


@dataclass(frozen=True)
class Listing:
    names: tuple[str, ...] = field(default_factory=tuple)
    error: str = ""


class FileView(Protocol):
    def lstat(self, path: str, *, owner: bool = False) -> PathStat | None:
        """lstat semantics; None when missing. uid/gid are -1 unless ``owner`` is asked
        for and the view can tell."""
        ...

    def missing(self, path: str) -> str: ...

    def read(self, path: str) -> Read: ...

    def listdir(self, path: str) -> Listing: ...


class ContainerView:
    """Paths of a container created from ``image`` but never started (archive API)."""

    def __init__(
        self,
        engine: Engine,
        image: str,
        labels: dict[str, str],
        platform: str | None = None,
        keep: bool = False,
    ) -> None:
        self.engine = engine
        self.image = image
        self.labels = labels
        self.platform = platform
        self.keep = keep
        self._container: str | None = None
        self._lock = threading.Lock()

    @property
    def container(self) -> str:
        with self._lock:
            if self._container is None:
                self._container = self.engine.create_container(
                    ContainerSpec(
                        self.image,
                        command=NOOP_COMMAND,
                        entrypoint=("",),
                        labels=self.labels,
                        platform=self.platform,
                    )
                )
            return self._container

    def close(self) -> None:
        if self._container is not None and not self.keep:
            with contextlib.suppress(EngineError):  # best effort: it never started
                self.engine.remove_container(self._container)
        self._container = None

    def _not_found(self, path: str) -> str:
        return (
            "Error retrieving file from container: API error (404): "
            f"Could not find the file {path} in container {self.container}"
        )

    def lstat(self, path: str, *, owner: bool = False) -> PathStat | None:
        return self.engine.stat_path(self.container, path, owner=owner)

    def missing(self, path: str) -> str:
        return self._not_found(path)

    def read(self, path: str) -> Read:
        found = self.engine.stat_path(self.container, path, owner=False)
        if found is not None and found.type == "symlink":
            # CST's docker driver follows one link, and only to an absolute target.
            path = found.link_target
            if path.startswith("/"):
                found = self.engine.stat_path(self.container, path, owner=False)
            else:
                found = None
        if found is None:
            return Read(error=self._not_found(path))
        if found.type == "dir":
            return Read(error=f"Cannot read specified path: {path} is a directory, not a file")
        return Read(self.engine.read_file(self.container, path) or b"")

    def listdir(self, path: str) -> Listing:
        names: set[str] = set()
        try:
            with (
                self.engine.get_archive(self.container, path) as stream,
                tarfile.open(fileobj=stream, mode="r|") as archive,
            ):
                for member in archive:
                    parts = member.name.strip("/").split("/")
                    if len(parts) >= 2:
                        names.add(parts[1])
        except PathNotFound:
            return Listing(error=self._not_found(path))
        return Listing(tuple(sorted(names)))


MAX_LINK_HOPS = 40


def _kind(mode: int) -> str:
    if statmod.S_ISDIR(mode):
        return "dir"
    if statmod.S_ISLNK(mode):
        return "symlink"
    if statmod.S_ISREG(mode):
        return "file"
    return "other"


class RootfsView:
    """The image's files on a read-only mount at ``root``, as the archive API shows a created
    container: the directory part of a path follows symlinks inside the image, the last
    component does not. A path ending in ``/`` or ``/.`` (which the API treats specially), or
    one the API answers with an error, is asked of ``fallback``; ``ident`` names the mount in
    "not found" messages, where CST names the container."""

    def __init__(self, root: str, ident: str, fallback: ContainerView) -> None:
        self.root = root
        self.ident = ident
        self.fallback = fallback

    @staticmethod
    def _special(path: str) -> bool:
        return path not in ("/", "") and (path.endswith("/") or path.endswith("/."))

    def _host(self, path: str) -> tuple[str, str]:
        """(container path as Go's filepath.Join("/", path) cleans it, host path: lstat target)."""
        clean = posixpath.normpath("/" + path)
        clean = "/" + clean.lstrip("/")
        parent, base = posixpath.split(clean)
        host_dir = scoped(self.root, parent)
        return clean, (os.path.join(host_dir, base) if base else host_dir)

    def lstat(self, path: str, *, owner: bool = False) -> PathStat | None:
        if self._special(path):
            return self.fallback.lstat(path, owner=owner)
        try:
            clean, host = self._host(path)
            st = os.lstat(host)
        except FileNotFoundError:
            return None
        except OSError:  # not a directory, link loops: the engine answers these its own way
            return self.fallback.lstat(path, owner=owner)
        kind = _kind(st.st_mode)
        target = ""
        if kind == "symlink":
            if owner:  # the tar header's raw link name
                target = os.readlink(host)
            else:  # the engine's stat: the link resolved inside the image
                resolved = os.path.relpath(scoped(self.root, clean), self.root)
                target = "/" if resolved == "." else "/" + resolved
        size = st.st_size if (kind == "file" or not owner) else 0
        return PathStat(
            path,
            kind,
            statmod.S_IMODE(st.st_mode),
            st.st_uid if owner else -1,
            st.st_gid if owner else -1,
            size,
            target,
        )

    def missing(self, path: str) -> str:
        return (
            "Error retrieving file from container: API error (404): "
            f"Could not find the file {path} in container {self.ident}"
        )

    def read(self, path: str) -> Read:
        # CST's docker driver reads the archive of the path; a symlink's raw target is read
        # next, as a path from "/" (so a relative target resolves against the root).
        for _ in range(MAX_LINK_HOPS):
            if self._special(path):
                return self.fallback.read(path)
            found = self.lstat(path, owner=True)
            if found is None:
                return Read(error=self.missing(path))
            if found.type == "dir":
                return Read(error=f"Cannot read specified path: {path} is a directory, not a file")
            if found.type == "symlink":
                path = found.link_target
                continue
            if found.type != "file":
                return Read(b"")  # FIFOs and devices: an archive entry without content
            with open(self._host(path)[1], "rb") as handle:
                return Read(handle.read())
        return Read(error=self.missing(path))

    def listdir(self, path: str) -> Listing:
        if self._special(path):
            return self.fallback.listdir(path)
        found = self.lstat(path)
        if found is None:
            return Listing(error=self.missing(path))
        if found.type != "dir":  # the archive holds the entry itself, no children
            return Listing()
        return Listing(tuple(sorted(os.listdir(self._host(path)[1]))))


class ArchiveView:
    """Paths of an image archive's layers, read in place."""

    def __init__(self, archive: ImageArchive) -> None:
        self.archive = archive

    def lstat(self, path: str, *, owner: bool = False) -> PathStat | None:
        entry = self.archive.resolve(path, follow=False)
        if entry is None:
            return None
        return PathStat(
            entry.path, entry.type, entry.mode, entry.uid, entry.gid, entry.size, entry.link_target
        )

    def missing(self, path: str) -> str:
        return f"lstat {path}: no such file or directory"

    def read(self, path: str) -> Read:
        entry = self.archive.resolve(path, follow=True)
        if entry is None:
            return Read(error=f"open {path}: no such file or directory")
        if entry.type == "dir":
            return Read(error=f"read {path}: is a directory")
        if entry.type not in ("file", "hardlink"):
            return Read(error=f"read {path}: not a regular file")
        return Read(self.archive.read(entry))

    def listdir(self, path: str) -> Listing:
        entry = self.archive.resolve(path, follow=True)
        if entry is None or entry.type != "dir":
            return Listing(error=f"open {path}: no such file or directory")
        return Listing(tuple(self.archive.listdir(path)))


class HostView:
    """The host's filesystem (CST's host driver): owners are not checked, as in CST."""

    def lstat(self, path: str, *, owner: bool = False) -> PathStat | None:
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if statmod.S_ISDIR(st.st_mode):
            kind = "dir"
        elif statmod.S_ISLNK(st.st_mode):
            kind = "symlink"
        elif statmod.S_ISREG(st.st_mode):
            kind = "file"
        else:
            kind = "other"
        mode = statmod.S_IMODE(st.st_mode)
        return PathStat(path, kind, mode, -1, -1, st.st_size)

    def missing(self, path: str) -> str:
        return f"lstat {path}: no such file or directory"

    def read(self, path: str) -> Read:
        try:
            with open(path, "rb") as handle:
                return Read(handle.read())
        except IsADirectoryError:
            return Read(error=f"read {path}: is a directory")
        except OSError as exc:
            return Read(error=f"open {path}: {(exc.strerror or str(exc)).lower()}")

    def listdir(self, path: str) -> Listing:
        try:
            return Listing(tuple(sorted(os.listdir(path))))
        except OSError as exc:
            return Listing(error=f"open {path}: {(exc.strerror or str(exc)).lower()}")
