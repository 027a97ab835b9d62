"""Podman through its Docker-compatible Engine API; builds go through ``podman build``.

:class:`PodmanEngine` is :class:`DockerEngine` pointed at the socket of ``podman system
service``, with what Podman answers differently made the same as Docker's answers:

- builds: ``podman build`` (Buildah), see :mod:`.podman_build`;
- a short name ``NAME:TAG`` is stored as ``localhost/NAME:TAG``: ``repo_tags`` drop the prefix;
- ``commit`` answers a bare hex id: it gets its ``sha256:`` prefix;
- the archive endpoint gives every file to the container's user and follows a symlink that
  ends the path: ``stat_path`` reads the HEAD stat, and owners (``owner=True``) from the
  container's root file system as the service mounts it, when that is readable here (a local,
  rootful service); else owners are unknown (-1);
- the HEAD stat names the path itself as ``linkTarget`` of what is not a symlink: dropped.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import stat
import threading
from collections.abc import Mapping

from dockwright.engine.api import EngineAPI
from dockwright.engine.base import BuildRequest, BuildResult, ImageInfo, PathStat
from dockwright.engine.docker import DockerEngine
from dockwright.errors import EngineError

ENV_HOST = "CONTAINER_HOST"  # Podman's own variable for the service to talk to
KINDS = {stat.S_IFREG: "file", stat.S_IFDIR: "dir", stat.S_IFLNK: "symlink"}
LOCAL_PREFIX = "localhost/"  # where Podman puts an image tagged with a short name
ROOT_SOCKET = "/run/podman/podman.sock"
START_HINT = (
    "run scripts/podman.sh, or start `podman system service --time=0 unix://"
    + ROOT_SOCKET
    + "` / set CONTAINER_HOST"
)


def default_host(env: Mapping[str, str] | None = None, *, uid: int | None = None) -> str:
    """``$CONTAINER_HOST``, else root's socket for root, else ``$XDG_RUNTIME_DIR``'s."""
    env = os.environ if env is None else env
    if env.get(ENV_HOST):
        return env[ENV_HOST]
    if (os.getuid() if uid is None else uid) == 0:
        return "unix://" + ROOT_SOCKET
    runtime = env.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid() if uid is None else uid}"
    return f"unix://{runtime}/podman/podman.sock"


class PodmanEngine(DockerEngine):
    """The Podman engine: its Docker-compatible API, ``podman build`` for builds."""

    name = "podman"

    def __init__(self, host: str | None = None, *, podman_client: str | None = None) -> None:
        # DockerEngine's attributes, set here: its __init__ would open a client on DOCKER_HOST
        self.api = EngineAPI(
            default_host() if host is None else host, daemon="Podman service", hint=START_HINT
        )
        self.docker_client = None
        self.podman_client = podman_client
        self._roots: dict[str, str | None] = {}  # container -> its mounted root file system
        self._roots_lock = threading.Lock()

    def __enter__(self) -> PodmanEngine:
        return self

    def _build_image(self, request: BuildRequest) -> BuildResult:
        from dockwright.engine.podman_build import build

        remote = self.host if self.host.startswith("tcp://") else None
        return build(request, podman=self.podman_client, remote=remote)

    def inspect_image(self, ref: str) -> ImageInfo:
        """As Docker names tags: ``localhost/NAME:TAG``, Podman's name for a short name, is
        ``NAME:TAG`` (Podman cannot tell it from an image tagged ``localhost/...`` on purpose)."""
        info = super().inspect_image(ref)
        tags = tuple(t.removeprefix(LOCAL_PREFIX) for t in info.repo_tags)
        return dataclasses.replace(info, repo_tags=tags)

    def commit(self, container: str, labels: Mapping[str, str] | None = None) -> str:
        image_id = super().commit(container, labels)
        return image_id if ":" in image_id else "sha256:" + image_id

    def remove_container(self, container: str) -> None:
        with self._roots_lock:
            self._roots.pop(container, None)
        super().remove_container(container)

    def stat_path(self, container: str, path: str, *, owner: bool = True) -> PathStat | None:
        head = super().stat_path(container, path, owner=False)
        if head is None:
            return None
        link = head.link_target if head.type == "symlink" else ""
        if owner:
            found = self._lstat_mounted(container, path)
            if found is not None:
                return found
        return PathStat(path, head.type, head.mode, -1, -1, head.size, link)

    def _root_of(self, container: str) -> str | None:
        """Where the service mounted the container's root file system, if it is readable here."""
        with self._roots_lock:
            if container not in self._roots:
                try:
                    answer = self.api.request(
                        "POST",
                        f"/libpod/containers/{container}/mount",
                        "mount container",
                        expect_json=False,
                    )
                    root = bytes(answer).decode(errors="replace").strip().strip('"')
                except EngineError:
                    root = ""
                self._roots[container] = root if os.path.isdir(root) else None
            return self._roots[container]

    def _lstat_mounted(self, container: str, path: str) -> PathStat | None:
        """lstat ``path`` on the mounted root file system; its directory resolved by the
        service, inside the container's root (None: not readable here)."""
        root = self._root_of(container)
        parent, name = posixpath.split(posixpath.normpath(path))
        where = super().stat_path(container, parent, owner=False) if root else None
        if root is None or where is None:
            return None
        host = os.path.join(root, (where.link_target or parent).lstrip("/"), name)
        try:
            st = os.lstat(host)
            target = os.readlink(host) if stat.S_ISLNK(st.st_mode) else ""
        except OSError:
            return None
        kind = stat.S_IFMT(st.st_mode)
        type_ = KINDS.get(kind, "other")
        size = st.st_size if kind == stat.S_IFREG else 0  # as a tar header gives it
        return PathStat(path, type_, stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid, size, target)
