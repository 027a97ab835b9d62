"""The ``Engine`` protocol and the typed values that cross it.

Everything the pipeline asks of a container engine goes through :class:`Engine`; the Docker
implementation lives in :mod:`dockwright.engine.docker`, and tests can pass any object with the
same methods.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import IO, Any, Protocol


@dataclass(frozen=True)
class EngineVersion:
    version: str
    api_version: str
    min_api_version: str
    os: str
    arch: str


@dataclass(frozen=True)
class ImageConfig:
    env: tuple[str, ...] = ()
    entrypoint: tuple[str, ...] | None = None
    cmd: tuple[str, ...] | None = None
    user: str = ""
    workdir: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    exposed_ports: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, cfg: Mapping[str, Any] | None) -> ImageConfig:
        """The ``Config`` object of ``docker inspect`` or of an OCI image config blob."""
        cfg = cfg or {}
        entrypoint = cfg.get("Entrypoint")
        cmd = cfg.get("Cmd")
        return cls(
            env=tuple(str(e) for e in cfg.get("Env") or ()),
            entrypoint=None if entrypoint is None else tuple(str(e) for e in entrypoint),
            cmd=None if cmd is None else tuple(str(c) for c in cmd),
            user=str(cfg.get("User") or ""),
            workdir=str(cfg.get("WorkingDir") or ""),
            labels={str(k): str(v) for k, v in (cfg.get("Labels") or {}).items()},
            exposed_ports=tuple(sorted(cfg.get("ExposedPorts") or {})),
            volumes=tuple(sorted(cfg.get("Volumes") or {})),
        )

    def env_map(self) -> dict[str, str]:
        """``KEY=VALUE`` entries as a mapping (a later entry wins, as in Docker)."""
        out: dict[str, str] = {}
        for item in self.env:
            key, _, value = item.partition("=")
            out[key] = value
        return out


@dataclass(frozen=True)
class ImageInfo:
    id: str
    repo_tags: tuple[str, ...]
    repo_digests: tuple[str, ...]
    config: ImageConfig
    created: str
    size: int
    os: str
    architecture: str


@dataclass(frozen=True)
class RunResult:
    exit_code: int
    stdout: str
    stderr: str
    timed_out: bool = False
    duration: float = 0.0


@dataclass(frozen=True)
class ContainerSpec:
    """What to create a container from; ``entrypoint=("",)`` clears the image's ENTRYPOINT."""

    image: str
    command: Sequence[str] | None = None
    entrypoint: Sequence[str] | None = None
    env: Sequence[str] = ()
    user: str | None = None
    workdir: str | None = None
    tty: bool = False
    cap_add: Sequence[str] = ()
    binds: Sequence[str] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    privileged: bool = False
    platform: str | None = None  # "os/arch[/variant]": the engine checks the image matches
    runtime: str | None = None  # an OCI runtime known to the daemon, e.g. "runsc"


@dataclass(frozen=True)
class PathStat:
    """One entry read from a container's filesystem through the archive API (lstat semantics)."""

    path: str
    type: str  # "file", "dir", "symlink", "hardlink", "other"
    mode: int  # permission bits incl. setuid/setgid/sticky (0o7777)
    uid: int
    gid: int
    size: int
    link_target: str = ""


@dataclass(frozen=True, repr=False)
class RegistryAuth:
    """Credentials for one registry; the password never shows in ``repr``."""

    username: str
    password: str
    server: str = ""

    def __repr__(self) -> str:
        return f"RegistryAuth(username={self.username!r}, password='***', server={self.server!r})"

    def header(self) -> str:
        """The ``X-Registry-Auth`` value: base64url of the JSON AuthConfig."""
        body = {"username": self.username, "password": self.password}
        if self.server:
            body["serveraddress"] = self.server
        return base64.urlsafe_b64encode(json.dumps(body).encode()).decode()


@dataclass(frozen=True)
class BuildRequest:
    context: str
    dockerfile: str | None = None
    tags: Sequence[str] = ()
    build_args: Mapping[str, str] = field(default_factory=dict)
    target: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    platform: str | None = None  # one platform, or several separated by commas
    no_cache: bool = False
    pull: bool = False  # refresh base images that came from a registry before building
    cache_from: Sequence[str] = ()  # buildx --cache-from values: REF or type=...,key=value
    cache_to: Sequence[str] = ()  # buildx --cache-to values: type=inline, type=registry,...
    secrets: Sequence[BuildSecret] = ()
    ssh: Sequence[str] = ()  # "default" or ID[=SOCKET|KEY[,KEY...]]
    source_date_epoch: int | None = None  # reproducible: timestamps clamped to this second


@dataclass(frozen=True)
class BuildSecret:
    """A build secret by reference: the environment variable or file that holds it, never its
    value."""

    id: str
    env: str | None = None
    file: str | None = None


@dataclass(frozen=True)
class Builder:
    """The docker client chosen to build, how it builds, and why it was chosen."""

    client: str  # path of the docker executable
    mode: str  # "buildx" or "buildkit" (DOCKER_BUILDKIT=1, built into the client)
    reason: str

    def describe(self) -> str:
        how = "docker buildx build" if self.mode == "buildx" else "DOCKER_BUILDKIT=1 docker build"
        return f"{self.client} ({how}): {self.reason}"


@dataclass(frozen=True)
class BuildResult:
    image_id: str
    builder: Builder
    log: str
    tags: tuple[str, ...] = ()
    duration: float = 0.0  # seconds, build (and normalisation) included
    steps: int = 0  # BuildKit vertices of the log
    cached_steps: int = 0  # of which BuildKit answered from its cache (CACHED)


class Engine(Protocol):
    def version(self) -> EngineVersion: ...

    def ping(self) -> None: ...

    def build(self, request: BuildRequest) -> BuildResult: ...

    def inspect_image(self, ref: str) -> ImageInfo: ...

    def tag(self, image: str, repo: str, tag: str) -> None: ...

    def remove_image(self, image: str, *, force: bool = False) -> None: ...

    def run(
        self,
        image: str,
        command: Sequence[str] | None = None,
        *,
        entrypoint: Sequence[str] | None = None,
        env: Sequence[str] = (),
        user: str | None = None,
        workdir: str | None = None,
        tty: bool = False,
        cap_add: Sequence[str] = (),
        binds: Sequence[str] = (),
        labels: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> RunResult: ...

    def create_container(self, spec: ContainerSpec) -> str: ...

    def start_container(self, container: str) -> None: ...

    def wait_container(self, container: str, timeout: float | None = None) -> int | None: ...

    def kill_container(self, container: str) -> None: ...

    def container_logs(self, container: str, *, tty: bool) -> tuple[str, str]: ...

    def remove_container(self, container: str) -> None: ...

    def commit(self, container: str, labels: Mapping[str, str] | None = None) -> str: ...

    def stat_path(self, container: str, path: str, *, owner: bool = True) -> PathStat | None: ...

    def get_archive(self, container: str, path: str) -> AbstractContextManager[IO[bytes]]: ...

    def read_file(self, container: str, path: str) -> bytes | None: ...

    def pull(self, ref: str, *, platform: str | None = None) -> None: ...

    def save(self, ref: str, dest: IO[bytes]) -> None: ...

    def push(self, ref: str, auth: RegistryAuth | None = None) -> str: ...

    def export_image(self, image: str) -> AbstractContextManager[IO[bytes]]:
        """The image as a ``docker save`` tar stream, read as it arrives."""
        ...
