"""What was pushed before: image ID -> our manifest and config, so that re-publishing an
unchanged image needs no export and no compression (``$XDG_CACHE_HOME/dockwright/images``).

An entry only saves work; it is checked on load (the config must hash to the image ID and be the
manifest's config) and the registries are always asked whether they hold every blob.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dockwright" / "images"


@dataclass(frozen=True)
class CachedImage:
    manifest: bytes = field(repr=False)
    media_type: str
    config: bytes = field(repr=False)


class ImageCache:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or default_cache_dir()

    def _path(self, image_id: str) -> Path:
        return self.directory / (image_id.replace(":", "-") + ".json")

    def load(self, image_id: str) -> CachedImage | None:
        try:
            data = json.loads(self._path(image_id).read_text())
            entry = CachedImage(
                data["manifest"].encode(), str(data["media_type"]), data["config"].encode()
            )
            manifest = json.loads(entry.manifest)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        if "sha256:" + hashlib.sha256(entry.config).hexdigest() != image_id:
            return None
        if (
            not isinstance(manifest, dict)
            or (manifest.get("config") or {}).get("digest") != image_id
        ):
            return None
        return entry

    def store(self, image_id: str, entry: CachedImage) -> None:
        """Best effort: a read-only cache directory only costs speed."""
        body = {
            "manifest": entry.manifest.decode(),
            "media_type": entry.media_type,
            "config": entry.config.decode(),
        }
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
            with os.fdopen(fd, "w") as out:
                json.dump(body, out)
            os.replace(tmp, self._path(image_id))
        except OSError:
            pass
