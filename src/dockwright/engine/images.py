"""Images through the Docker Engine API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dockwright.engine.base import ImageConfig, ImageInfo

_AUTH_WORDS = ("unauthorized", "authentication required", "no basic auth credentials", "denied")
_EMPTY_AUTH = "e30="  # base64url("{}"): the engine wants the header even without credentials


def _image_info(data: Mapping[str, Any]) -> ImageInfo:
    return ImageInfo(
        id=str(data.get("Id", "")),
        repo_tags=tuple(data.get("RepoTags") or ()),
        repo_digests=tuple(data.get("RepoDigests") or ()),
        config=ImageConfig.from_json(data.get("Config")),
        created=str(data.get("Created", "")),
        size=int(data.get("Size") or 0),
        os=str(data.get("Os", "")),
        architecture=str(data.get("Architecture", "")),
    )
