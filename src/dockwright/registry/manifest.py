"""Manifests as the registry stores them: media types, the raw bytes and their digest."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
MANIFEST_TYPES = (OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST)


@dataclass(frozen=True)
class Manifest:
    digest: str
    media_type: str
    raw: bytes = field(repr=False)

    def _doc(self) -> dict[str, Any]:
        doc = json.loads(self.raw)
        return doc if isinstance(doc, dict) else {}

    @property
    def config_digest(self) -> str | None:
        """The image config's digest (the engine's image ID) for a single-image manifest."""
        config = self._doc().get("config")
        digest = config.get("digest") if isinstance(config, dict) else None
        return digest if isinstance(digest, str) else None

    @property
    def blobs(self) -> list[tuple[str, int]]:
        """(digest, size) of the config and every layer of a single-image manifest."""
        doc = self._doc()
        out: list[tuple[str, int]] = []
        for item in [doc.get("config"), *(doc.get("layers") or [])]:
            if isinstance(item, dict) and isinstance(item.get("digest"), str):
                out.append((item["digest"], int(item.get("size") or 0)))
        return out


def sha256_digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()
