"""The tags and OCI labels of a configured image (light: no engine or registry imports)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime

from dockwright.pipeline.config import ImageSpec
from dockwright.tags.compute import TagSet, compute_tags
from dockwright.tags.context import Context, created_time


def image_tags(
    image: ImageSpec, context: Context, now: datetime, env: Mapping[str, str] | None = None
) -> TagSet:
    """The tags and OCI labels of one configured image in this context."""
    return compute_tags(
        image.tags,
        image.flavor,
        context,
        now,
        title=image.name,
        labels=image.labels,
        created=created_time(context, os.environ if env is None else env),
    )
