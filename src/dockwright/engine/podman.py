"""Podman through its Docker-compatible Engine API; builds go through ``podman build``.

:class:`PodmanEngine` is :class:`DockerEngine` pointed at the socket of ``podman system
service``, with what Podman answers differently made the same as Docker's answers:

- builds: ``podman build`` (Buildah), see :mod:`.podman_build`;
- a short name ``NAME:TAG`` is stored as ``localhost/NAME:TAG``: ``repo_tags`` drop the prefix;
- ``commit`` answers a bare hex id: it gets its ``sha256:`` prefix;
- the archive endpoint follows a symlink that is the last component of the path, so a
  symlink is stat'ed through the HEAD stat and its owner read from its directory's archive;
- the HEAD stat names the path itself as ``linkTarget`` of what is not a symlink: dropped;
- the archive endpoint gives every file to the container's user: the files of a container
  that runs as another user and never started are read from a twin made to run as root.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import tarfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO

from dockwright.engine.api import EngineAPI
from dockwright.engine.base import BuildRequest, BuildResult, ContainerSpec, ImageInfo, PathStat
from dockwright.engine.docker import DockerEngine
from dockwright.errors import PathNotFound

ENV_HOST = "CONTAINER_HOST"  # Podman's own variable for the service to talk to
ROOT_USERS = frozenset(("", "0", "root", "0:0", "root:root", "0:root", "root:0"))
NEVER = "0001-01-01T00:00:00Z"  # State.StartedAt of a container that never started
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
        self._twins: dict[str, str] = {}  # container -> the one its files are read from
        self._twins_lock = threading.Lock()

    def __enter__(self) -> PodmanEngine:
        return self

    def build(self, request: BuildRequest) -> BuildResult:
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

    @contextmanager
    def get_archive(self, container: str, path: str) -> Iterator[IO[bytes]]:
        with super().get_archive(self._files_of(container), path) as stream:
            yield stream

    def remove_container(self, container: str) -> None:
        with self._twins_lock:
            twin = self._twins.pop(container, container)
        if twin != container:
            super().remove_container(twin)
        super().remove_container(container)

    def _files_of(self, container: str) -> str:
        """The container whose archive shows ``container``'s files with their own owners."""
        with self._twins_lock:  # held while a twin is made: no second twin for one container
            known = self._twins.get(container)
            if known is None:
                known = self._twins[container] = self._make_twin(container)
            return known

    def _make_twin(self, container: str) -> str:
        data = self.api.request("GET", f"/containers/{container}/json", "inspect container")
        config = data.get("Config") or {}
        started = str((data.get("State") or {}).get("StartedAt") or NEVER) != NEVER
        if str(config.get("User") or "") in ROOT_USERS or started:
            return container
        spec = ContainerSpec(
            image=str(data["Image"]),
            command=("true",),
            entrypoint=("",),
            user="0",
            labels=dict(config.get("Labels") or {}),
        )
        return self.create_container(spec)

    def stat_path(self, container: str, path: str, *, owner: bool = True) -> PathStat | None:
        head = super().stat_path(container, path, owner=False)
        if head is None:
            return None
        if head.type != "symlink":
            if owner:
                return super().stat_path(container, path, owner=True)
            return PathStat(head.path, head.type, head.mode, -1, -1, head.size)
        if not owner:
            return head
        return self._symlink_from_parent(container, path) or head

    def _symlink_from_parent(self, container: str, path: str) -> PathStat | None:
        """The symlink ``path`` as its directory's archive holds it (owner, raw target)."""
        parent, name = posixpath.split(posixpath.normpath(path))
        wanted = posixpath.join(posixpath.basename(parent) or ".", name)
        try:
            with (
                self.get_archive(container, parent or "/") as stream,
                tarfile.open(fileobj=stream, mode="r|") as archive,
            ):
                for member in archive:
                    if posixpath.normpath(member.name) in (wanted, name) and member.issym():
                        return PathStat(
                            path=path,
                            type="symlink",
                            mode=member.mode & 0o7777,
                            uid=member.uid,
                            gid=member.gid,
                            size=member.size,
                            link_target=member.linkname,
                        )
        except PathNotFound:
            return None
        return None
