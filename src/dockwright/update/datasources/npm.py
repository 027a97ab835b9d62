"""The npm registry: ``GET {base}/{name}`` (``@scope%2fname`` for scoped packages); the keys
of ``versions`` are the releases, ``deprecated`` marks deprecated ones, and
``dist-tags.latest`` is the version Renovate does not go past (``respectLatest``).
"""

from __future__ import annotations

import httpx

from dockwright.update.datasources.base import Lookup
from dockwright.update.datasources.http import JsonHttp, PackageDatasource
from dockwright.update.policy import Release

DEFAULT_URL = "https://registry.npmjs.org"


class Npm(PackageDatasource):
    name = "npm"

    def __init__(self, url: str = DEFAULT_URL, *, transport: httpx.BaseTransport | None = None):
        self.url = url.rstrip("/")
        self._http = JsonHttp(self.name, {"Accept": "application/json"}, transport=transport)

    def releases(self, package: str, registry_url: str | None = None) -> Lookup:
        base = (registry_url or self.url).rstrip("/")
        doc, _ = self._http.get(f"{base}/{package.replace('/', '%2F')}")
        if not isinstance(doc, dict):
            return Lookup(())
        versions = doc.get("versions")
        found = []
        for version, meta in (versions if isinstance(versions, dict) else {}).items():
            deprecated = isinstance(meta, dict) and bool(meta.get("deprecated"))
            found.append(Release(str(version), deprecated=deprecated))
        tags = doc.get("dist-tags")
        latest = tags.get("latest") if isinstance(tags, dict) else None
        return Lookup(tuple(found), latest if isinstance(latest, str) else None)
