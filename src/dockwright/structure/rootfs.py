"""Paths inside an image's root filesystem mounted on the host, resolved as the container
would: symlinks are followed inside the root, never out of it."""

from __future__ import annotations

import os


def scoped(root: str, path: str, *, follow_last: bool = True) -> str:
    """``path`` inside ``root`` with symlinks resolved inside ``root`` (moby's
    FollowSymlinkInScope); ``..`` never leaves it. Returns a host path."""
    todo = [p for p in path.split("/") if p]
    done: list[str] = []
    hops = 0
    while todo:
        part = todo.pop(0)
        if part == ".":
            continue
        if part == "..":
            if done:
                done.pop()
            continue
        candidate = os.path.join(root, *done, part)
        if (todo or follow_last) and os.path.islink(candidate):
            hops += 1
            if hops > 255:
                raise OSError(40, "too many levels of symbolic links", path)
            target = os.readlink(candidate)
            if target.startswith("/"):
                done = []
            todo = [p for p in target.split("/") if p] + todo
            continue
        done.append(part)
    return os.path.join(root, *done)


def read_scoped(root: str, path: str) -> bytes | None:
    """The bytes of ``path`` inside ``root``; None when it cannot be read."""
    try:
        with open(scoped(root, path), "rb") as handle:
            return handle.read()
    except OSError:
        return None
