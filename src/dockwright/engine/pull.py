"""``pull``: refresh the base images of a build, as ``docker build --pull`` would, except
for images that exist only in this engine.

``docker build --pull`` asks a registry for every base image and fails for an image that was
made locally (``docker import``, a build, ``docker load`` of an image with no registry) and
never pushed. dockwright pulls the base images that came from a registry (the engine keeps
their repository digest) and uses a local-only image as it is.
"""

from __future__ import annotations

import os
from typing import Protocol

from dockwright.dockerfile.expand import expand
from dockwright.dockerfile.parser import parse_bytes
from dockwright.dockerfile.stages import environment_at
from dockwright.engine.base import BuildRequest, ImageInfo
from dockwright.errors import ImageNotFound, UsageError
from dockwright.image import ImageRef


class Puller(Protocol):
    def inspect_image(self, ref: str) -> ImageInfo: ...

    def pull(self, ref: str, *, platform: str | None = None) -> None: ...


def dockerfile_path(request: BuildRequest) -> str:
    """The Dockerfile ``request`` builds (relative names are relative to the context)."""
    dockerfile = request.dockerfile or "Dockerfile"
    return dockerfile if os.path.isabs(dockerfile) else os.path.join(request.context, dockerfile)


def base_images(request: BuildRequest) -> list[str]:
    """The images the stages of the Dockerfile start from (not scratch, not earlier stages),
    with build args and global ARG defaults expanded, in order, once each."""
    path = dockerfile_path(request)
    try:
        with open(path, "rb") as handle:
            df = parse_bytes(handle.read(), path)
    except OSError as exc:
        raise UsageError(f"{path}: expected a Dockerfile, found none ({exc.strerror})") from exc
    out: list[str] = []
    stages: set[str] = set()
    for stage in df.stages:
        env = environment_at(df, stage.from_instruction, request.build_args)
        image = expand(stage.image, env, stage.from_instruction.escape)
        if image.lower() != "scratch" and image.lower() not in stages and image not in out:
            out.append(image)
        if stage.name:
            stages.add(stage.name.lower())
    return out


def pull_bases(engine: Puller, request: BuildRequest) -> list[str]:
    """Pull the base images of ``request`` that came from a registry; the ones pulled."""
    platform = request.platform if request.platform and "," not in request.platform else None
    pulled: list[str] = []
    for ref in base_images(request):
        try:
            local_only = not from_registry(ref, engine.inspect_image(ref).repo_digests)
        except ImageNotFound:
            local_only = False
        if not local_only:
            engine.pull(ref, platform=platform)
            pulled.append(ref)
    return pulled


def from_registry(ref: str, repo_digests: tuple[str, ...]) -> bool:
    """Whether the engine knows a registry digest of the image under ``ref``'s repository
    (an image pushed or pulled there; a tag added locally gives none)."""
    repository = ImageRef.parse(ref).repository
    for item in repo_digests:
        try:
            if ImageRef.parse(item).repository == repository:
                return True
        except UsageError:
            continue
    return False
