"""The tags and OCI labels of a configured image (light: no engine or registry imports).

The labels come from three places, each over the one before: what the context tells
(metadata-action's OCI labels), the image's own Dockerfile (the LABELs of the stage built and
of the stages it derives from), and ``labels:`` in dockwright.yaml. The labels that describe
this particular build (``version``, ``revision``, ``created``) always come from the context,
over the Dockerfile's.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from dockwright.pipeline.config import ImageSpec
from dockwright.tags.compute import TagSet, compute_tags
from dockwright.tags.context import Context, created_time


def image_tags(
    image: ImageSpec, context: Context, now: datetime, env: Mapping[str, str] | None = None
) -> TagSet:
    """The tags of one configured image in this context, and its labels before the Dockerfile
    is read (see :func:`with_dockerfile`): publishing an image built earlier needs no more."""
    return compute_tags(
        image.tags,
        image.flavor,
        context,
        now,
        title=image.name,
        labels=image.labels,
        created=created_time(context, os.environ if env is None else env),
    )


def with_dockerfile(tags: TagSet, image: ImageSpec) -> TagSet:
    """``tags`` with the labels the image's Dockerfile sets itself in place of inferred ones."""
    return tags.with_dockerfile_labels(
        dockerfile_labels(image.dockerfile, image.target, image.build_args)
    )


def dockerfile_labels(
    path: Path, target: str | None, build_args: Mapping[str, str]
) -> dict[str, str]:
    """The labels the Dockerfile at ``path`` gives the stage ``target`` (default: the last),
    with ARG and ENV expanded as BuildKit does: the LABELs of the stages it derives from
    (``FROM <stage>``), oldest first, then its own; a later value wins.

    A Dockerfile that cannot be read or parsed gives none: the lint and build steps report it.
    """
    from dockwright.dockerfile import environment_at, expand, parse
    from dockwright.errors import DockerfileParseError

    try:
        df = parse(path.read_text(encoding="utf-8"), path=str(path))
    except (OSError, UnicodeDecodeError, DockerfileParseError):
        return {}
    stages = df.stages
    if not stages:
        return {}
    by_name = {s.name.lower(): s for s in stages if s.name}
    stage = by_name.get(target.lower()) if target else stages[-1]
    chain = []
    seen: set[int] = set()
    while stage is not None and stage.index not in seen:
        seen.add(stage.index)
        chain.append(stage)
        base = expand(stage.image, environment_at(df, stage.from_instruction, build_args))
        parent = by_name.get(base.lower())
        # FROM names only stages defined before it; anything else is an image.
        stage = parent if parent is not None and parent.index < stage.index else None
    labels: dict[str, str] = {}
    for stage in reversed(chain):
        for ins in stage.instructions:
            if ins.keyword != "LABEL":
                continue
            env = environment_at(df, ins, build_args)
            for key, value in ins.pairs:
                labels[expand(key, env, ins.escape)] = expand(value, env, ins.escape)
    return labels
