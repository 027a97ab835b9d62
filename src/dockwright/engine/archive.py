"""Files of containers through the Docker Engine API's archive endpoint (``docker cp``)."""

from __future__ import annotations

import tarfile

from dockwright.errors import PathNotFound

# The archive API answered 404 for a path.
_PathMissing = PathNotFound


def _tar_type(member: tarfile.TarInfo) -> str:
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


def _go_mode_type(mode: int) -> str:
    if mode & _GO_DIR:
        return "dir"
    if mode & _GO_SYMLINK:
        return "symlink"
    if mode & (_GO_DEVICE | _GO_PIPE | _GO_SOCKET | _GO_CHARDEV | _GO_IRREGULAR):
        return "other"
    return "file"


def _go_mode_bits(mode: int) -> int:
    """Go FileMode -> Unix 0o7777 permission bits."""
    bits = mode & 0o777
    bits |= 0o4000 if mode & _GO_SETUID else 0
    bits |= 0o2000 if mode & _GO_SETGID else 0
    bits |= 0o1000 if mode & _GO_STICKY else 0
    return bits
