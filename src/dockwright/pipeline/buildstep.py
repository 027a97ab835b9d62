"""The build step of one configured image: what it asks of the engine, and the build."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dockwright.engine.base import BuildRequest
from dockwright.pipeline.imagetags import with_dockerfile

if TYPE_CHECKING:
    from dockwright.engine.base import BuildResult, Engine
    from dockwright.pipeline.config import ImageSpec
    from dockwright.tags.compute import TagSet


def build_request(image: ImageSpec, tags: TagSet | None) -> BuildRequest:
    """What building one configured image asks of the engine: its context, Dockerfile, build
    args and target, labelled with the OCI labels of its tags the Dockerfile does not set; its
    platforms, cache, secrets and SSH forwarding; for a reproducible image the time of its
    sources (SOURCE_DATE_EPOCH, else the last commit)."""
    build = image.build
    epoch = None
    if build.reproducible:
        from dockwright.engine.reproducible import source_date_epoch

        epoch = source_date_epoch(image.context)
    return BuildRequest(
        context=str(image.context),
        dockerfile=str(image.dockerfile),
        build_args=dict(image.build_args),
        target=image.target,
        labels=with_dockerfile(tags, image).build_labels if tags else {},
        platform=",".join(image.platforms) or None,
        no_cache=build.no_cache,
        pull=build.pull,
        cache_from=build.cache_from,
        cache_to=build.cache_to,
        secrets=build.secrets,
        ssh=build.ssh,
        source_date_epoch=epoch,
    )


def build_image(engine: Engine, image: ImageSpec, tags: TagSet | None) -> BuildResult:
    """Build one configured image, labelled with the OCI labels of its tags."""
    return engine.build(build_request(image, tags))
