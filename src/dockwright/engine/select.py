"""Which engine to talk to: ``docker``, ``podman``, or ``auto`` (the default).

``DOCKWRIGHT_ENGINE`` wins over ``engine:`` in dockwright.yaml. ``auto`` takes Docker when its
daemon answers, else Podman when its service answers or a ``podman`` is on PATH (the first call
then says how to start the service), else fails naming both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping

from dockwright.engine.docker import DockerEngine
from dockwright.engine.podman import PodmanEngine, default_host
from dockwright.errors import DaemonUnavailable, UsageError

ENV_ENGINE = "DOCKWRIGHT_ENGINE"
KINDS = ("docker", "podman", "auto")


def engine_kind(configured: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """``$DOCKWRIGHT_ENGINE``, else the configured value, else ``auto``; checked."""
    env = os.environ if env is None else env
    from_env = env.get(ENV_ENGINE) or ""
    kind = from_env or configured or "auto"
    if kind not in KINDS:
        where = f"{ENV_ENGINE}={from_env!r}" if from_env else f"engine: {kind!r}"
        raise UsageError(f"{where}: expected one of docker, podman, auto")
    return kind


def docker_cli_suffices(configured: str | None, env: Mapping[str, str] | None = None) -> bool:
    """Whether a build that needs nothing of the Engine API can go to the docker client alone
    (which starts as fast as ``docker build``): Docker is chosen, or ``auto`` would look at a
    Docker daemon first, whose socket is there (were the daemon down, the client says so)."""
    env = os.environ if env is None else env
    kind = engine_kind(configured, env)
    if kind != "auto":
        return kind == "docker"
    host = env.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
    return not host.startswith("unix://") or os.path.exists(host.removeprefix("unix://"))


def _answers(engine: DockerEngine) -> str | None:
    """None when ``engine`` answers a ping, else why not."""
    try:
        engine.ping()
    except DaemonUnavailable as exc:
        return str(exc)
    return None


def open_engine(
    configured: str | None = None,
    *,
    docker_client: str | None = None,
    env: Mapping[str, str] | None = None,
) -> DockerEngine:
    """The engine to use (close it, or use it as a context manager); see the module docstring."""
    env = os.environ if env is None else env
    kind = engine_kind(configured, env)
    docker_host = env.get("DOCKER_HOST") or None
    if kind == "docker":
        return DockerEngine(docker_host, docker_client=docker_client)
    if kind == "podman":
        return PodmanEngine(default_host(env))
    docker = DockerEngine(docker_host, docker_client=docker_client)
    docker_down = _answers(docker)
    if docker_down is None:
        return docker
    docker.close()
    podman = PodmanEngine(default_host(env))
    podman_down = _answers(podman)
    if podman_down is None or shutil.which("podman", path=env.get("PATH", os.defpath)):
        return podman
    podman.close()
    raise DaemonUnavailable(
        f"engine auto: no container engine answers. {docker_down}. {podman_down}, "
        "and no podman is on PATH"
    )
