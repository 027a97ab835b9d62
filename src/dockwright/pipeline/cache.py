"""The job cache: what a step produced, filed under the fingerprint of what it depended on.

Entries live under ``.dockwright/cache/`` beside dockwright.yaml (one small JSON file each),
not in a user-wide cache: a result belongs to its checkout, ``rm -rf .dockwright`` forgets it,
and CI caches it by path like any other directory (``.dockwright/.gitignore`` keeps it out of
git). Only passing results are kept: a failure is always run again, as it may not be the
inputs' fault. Writes are atomic (a temporary file, then a rename), so jobs running side by
side and an interrupted run never leave half an entry.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from dockwright.pipeline.fingerprint import STATE_DIR

CACHE_DIR = "cache"


class Cache:
    """``get``/``put`` of JSON values by kind and fingerprint. ``read=False`` (``--no-cache``)
    ignores what is there but still records fresh results for the next run."""

    def __init__(self, directory: Path | None, *, read: bool = True) -> None:
        self.directory = directory
        self.read = read

    @classmethod
    def beside(cls, root: Path, *, read: bool = True) -> Cache:
        return cls(root / STATE_DIR / CACHE_DIR, read=read)

    def _file(self, kind: str, key: str) -> Path | None:
        return None if self.directory is None else self.directory / kind / f"{key}.json"

    def get(self, kind: str, key: str) -> dict[str, object] | None:
        path = self._file(kind, key)
        if path is None or not self.read:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # absent, unreadable or damaged: a miss
        return data if isinstance(data, dict) else None

    def put(self, kind: str, key: str, value: dict[str, object]) -> None:
        path = self._file(kind, key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _ignore_in_git(path.parents[2])
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle, sort_keys=True)
            os.replace(tmp, path)
        except OSError:
            return  # a cache that cannot be written only costs time


def _ignore_in_git(state: Path) -> None:
    marker = state / ".gitignore"
    if state.name == STATE_DIR and not marker.exists():
        marker.write_text("# written by dockwright: its cache and reports\n*\n", encoding="utf-8")
