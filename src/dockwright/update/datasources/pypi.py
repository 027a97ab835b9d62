"""PyPI's JSON API: ``GET {base}/{project}/json``; every key of ``releases`` is a version,
deprecated when one of its files was yanked (PEP 592), as Renovate reads it.

The base defaults to ``https://pypi.org/pypi``; an annotation's ``registryUrl`` ending in
``/simple`` names the same index's JSON API at ``/pypi``.
"""

from __future__ import annotations

import re

import httpx

from dockwright.update.datasources.base import Lookup
from dockwright.update.datasources.http import JsonHttp, PackageDatasource
from dockwright.update.policy import Release

DEFAULT_URL = "https://pypi.org/pypi"


def normalize(name: str) -> str:
    """PEP 503's normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


class PyPI(PackageDatasource):
    name = "pypi"

    def __init__(self, url: str = DEFAULT_URL, *, transport: httpx.BaseTransport | None = None):
        self.url = url.rstrip("/")
        self._http = JsonHttp(self.name, {"Accept": "application/json"}, transport=transport)

    def releases(self, package: str, registry_url: str | None = None) -> Lookup:
        base = self.url
        if registry_url:
            base = registry_url.rstrip("/")
            if base.endswith("/simple"):
                base = base[: -len("/simple")] + "/pypi"
        doc, _ = self._http.get(f"{base}/{normalize(package)}/json")
        releases = doc.get("releases") if isinstance(doc, dict) else None
        found = []
        for version, files in (releases if isinstance(releases, dict) else {}).items():
            yanked = isinstance(files, list) and any(
                isinstance(f, dict) and f.get("yanked") is True for f in files
            )
            found.append(Release(str(version), deprecated=yanked))
        return Lookup(tuple(found))
