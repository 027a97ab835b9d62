"""Docker through its Engine API (httpx over the unix socket or TCP); builds go through the CLI.

:class:`DockerEngine` is the :class:`dockwright.engine.base.Engine` for Docker, made of one
module per kind of resource: images (:mod:`.images`), containers (:mod:`.containers`), their
files (:mod:`.archive`), over one transport (:mod:`.api`) that maps every httpx/socket failure
onto :mod:`dockwright.errors`.
"""

from __future__ import annotations

from dockwright.engine.api import EngineAPI
from dockwright.engine.archive import ArchiveMixin
from dockwright.engine.base import BuildRequest, BuildResult, EngineVersion
from dockwright.engine.containers import ContainersMixin
from dockwright.engine.images import ImagesMixin


class DockerEngine(ImagesMixin, ContainersMixin, ArchiveMixin):
    """The Docker engine: Engine API for everything but builds (BuildKit needs the CLI)."""

    name = "docker"

    def __init__(self, host: str | None = None, *, docker_client: str | None = None) -> None:
        self.api = EngineAPI(host)
        self.docker_client = docker_client

    @property
    def host(self) -> str:
        """The daemon's address (``unix:///PATH`` or ``tcp://HOST:PORT``)."""
        return self.api.host

    def close(self) -> None:
        self.api.close()

    def __enter__(self) -> DockerEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def version(self) -> EngineVersion:
        return self.api.version()

    def ping(self) -> None:
        self.api.ping()

    def build(self, request: BuildRequest) -> BuildResult:
        from dockwright.engine.build import build

        return build(request, docker=self.docker_client, docker_host=self.host)
