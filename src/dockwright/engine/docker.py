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
        """Build with BuildKit through the CLI; with ``pull``, base images that came from a
        registry are pulled first; with ``source_date_epoch``, the image is normalised (see
        :mod:`dockwright.engine.reproducible`) before anyone sees it."""
        import dataclasses
        import time

        from dockwright.engine.pull import pull_bases

        started = time.monotonic()
        if request.pull:
            pull_bases(self, request)
        result = self._build_image(request)
        if request.source_date_epoch is not None:
            from dockwright.engine.reproducible import normalise_image

            image_id = normalise_image(
                self, result.image_id, request.source_date_epoch, request.tags
            )
            if image_id != result.image_id:
                self._drop_untagged(result.image_id)
            result = dataclasses.replace(result, image_id=image_id)
        return dataclasses.replace(result, duration=time.monotonic() - started)

    def _build_image(self, request: BuildRequest) -> BuildResult:
        """The build itself, by the builder of this engine (the docker CLI with BuildKit)."""
        from dockwright.engine.build import build

        return build(request, docker=self.docker_client, docker_host=self.host)

    def _drop_untagged(self, image_id: str) -> None:
        """Remove the image the build made before normalisation once nothing names it (the
        builder's cache keeps its layers)."""
        from dockwright.errors import EngineError

        try:
            if not self.inspect_image(image_id).repo_tags:
                self.remove_image(image_id)
        except EngineError:
            pass  # still used (a container, a child image): it stays
