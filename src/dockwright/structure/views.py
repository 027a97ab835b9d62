"""Read-only views of an image's filesystem, one per driver, for file and license tests.

* :class:`ContainerView` (docker driver): a created, never started, container read through the
  engine's archive API, with CST's docker-driver semantics (a symlink is followed for content only
  when its target is absolute).
* :class:`ArchiveView` (tar driver): the layers of a ``docker save`` archive or OCI layout, read
  in place; symlinks resolve inside the image, never on the host.
* :class:`HostView` (host driver): the host's own filesystem.
"""

from __future__ import annotations

import contextlib
import os
import stat as statmod
import tarfile
import threading
from dataclasses import dataclass, field
from typing import Protocol

from dockwright.engine.base import ContainerSpec, Engine, PathStat
from dockwright.errors import EngineError, PathNotFound
from dockwright.image.layers import ImageArchive

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
