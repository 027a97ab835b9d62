"""Files of containers through the Docker Engine API's archive endpoint (``docker cp``):
stat, read, and the tar stream of a path."""

from __future__ import annotations

import base64
import io
import json
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from dockwright.engine.api import EngineAPI, ResponseReader, check
from dockwright.engine.base import PathStat
from dockwright.errors import EngineError, PathNotFound


def tar_type(member: tarfile.TarInfo) -> str:
    if member.isdir():
        return "dir"
    if member.issym():
        return "symlink"
    if member.islnk():
        return "hardlink"
    if member.isreg():
        return "file"
    return "other"


# Go's os.FileMode type and special bits, as the engine's stat header carries them.
_GO_DIR, _GO_SYMLINK, _GO_DEVICE, _GO_PIPE, _GO_SOCKET = 1 << 31, 1 << 27, 1 << 26, 1 << 25, 1 << 24
_GO_SETUID, _GO_SETGID, _GO_CHARDEV, _GO_STICKY, _GO_IRREGULAR = (
    1 << 23,
    1 << 22,
    1 << 21,
    1 << 20,
    1 << 19,
)


def go_mode_type(mode: int) -> str:
    if mode & _GO_DIR:
        return "dir"
    if mode & _GO_SYMLINK:
        return "symlink"
    if mode & (_GO_DEVICE | _GO_PIPE | _GO_SOCKET | _GO_CHARDEV | _GO_IRREGULAR):
        return "other"
    return "file"


def go_mode_bits(mode: int) -> int:
    """Go FileMode -> Unix 0o7777 permission bits."""
    bits = mode & 0o777
    bits |= 0o4000 if mode & _GO_SETUID else 0
    bits |= 0o2000 if mode & _GO_SETGID else 0
    bits |= 0o1000 if mode & _GO_STICKY else 0
    return bits


class ArchiveMixin:
    """The file methods of :class:`dockwright.engine.docker.DockerEngine`."""

    api: EngineAPI

    @contextmanager
    def get_archive(self, container: str, path: str) -> Iterator[IO[bytes]]:
        """The tar stream of ``path`` in ``container`` (GET /containers/{id}/archive)."""
        what = f"read {path} from container"
        url = f"/containers/{container}/archive"
        with self.api.stream("GET", url, what, params={"path": path}) as response:
            if response.status_code == 404:
                raise PathNotFound(f"Could not find the file {path} in container {container}")
            check(response, what)
            yield io.BufferedReader(ResponseReader(response))

    def _first_member(self, container: str, path: str, *, content: bool) -> tuple[PathStat, bytes]:
        with (
            self.get_archive(container, path) as stream,
            tarfile.open(fileobj=stream, mode="r|") as archive,
        ):
            member = archive.next()
            if member is None:
                raise EngineError(f"read {path}: the engine sent an empty archive")
            data = b""
            if content and member.isreg():
                handle = archive.extractfile(member)
                data = handle.read() if handle else b""
        stat = PathStat(
            path=path,
            type=tar_type(member),
            mode=member.mode & 0o7777,
            uid=member.uid,
            gid=member.gid,
            size=member.size,
            link_target=member.linkname,
        )
        return stat, data

    def stat_path(self, container: str, path: str, *, owner: bool = True) -> PathStat | None:
        """lstat ``path``; None if it does not exist.

        With ``owner`` the archive's first tar header is read (it carries uid/gid); without, a
        HEAD request returns the engine's own stat (no owners, uid/gid -1) about 20x faster,
        because the engine does not build an archive.
        """
        if owner:
            try:
                return self._first_member(container, path, content=False)[0]
            except PathNotFound:
                return None
        what = f"stat {path} in container"
        response = self.api.head(f"/containers/{container}/archive", what, params={"path": path})
        if response.status_code == 404:
            return None
        check(response, what)
        header = response.headers.get("X-Docker-Container-Path-Stat", "")
        try:
            data = json.loads(base64.b64decode(header))
            mode = int(data["mode"])
        except (ValueError, KeyError, TypeError) as exc:
            raise EngineError(f"{what}: the engine sent an unreadable stat header") from exc
        return PathStat(
            path=path,
            type=go_mode_type(mode),
            mode=go_mode_bits(mode),
            uid=-1,
            gid=-1,
            size=int(data.get("size") or 0),
            link_target=str(data.get("linkTarget") or ""),
        )

    def read_file(self, container: str, path: str) -> bytes | None:
        try:
            return self._first_member(container, path, content=True)[1]
        except PathNotFound:
            return None
