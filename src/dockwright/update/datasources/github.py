"""GitHub releases (``github-releases``) and tags (``github-tags``) through the REST API.

The package is ``owner/repo``. The token comes from ``GITHUB_TOKEN`` when set (anonymous
calls are limited to 60 an hour); the API base from ``GITHUB_API_URL`` (GitHub Actions sets
it, also on GitHub Enterprise Server), the ``api-url`` given, or an annotation's
``registryUrl=https://HOST`` (``https://HOST/api/v3``).
"""

from __future__ import annotations

import re

import httpx

from dockwright.errors import UsageError
from dockwright.update.datasources.base import Lookup
from dockwright.update.datasources.http import JsonHttp, PackageDatasource
from dockwright.update.policy import Release

DEFAULT_API = "https://api.github.com"
MAX_PAGES = 10
_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def api_base(registry_url: str | None, default: str) -> str:
    if not registry_url or registry_url.rstrip("/") in ("https://github.com", DEFAULT_API):
        return default.rstrip("/")
    base = registry_url.rstrip("/")
    return base if base.endswith("/api/v3") else base + "/api/v3"


class _GitHub(PackageDatasource):
    name = ""
    _path = ""

    def __init__(
        self,
        api_url: str = DEFAULT_API,
        *,
        token: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = JsonHttp(self.name, headers, transport=transport)

    def _items(self, package: str, registry_url: str | None) -> list[dict[str, object]]:
        if not _REPO.fullmatch(package):
            raise UsageError(f"{self.name}: expected OWNER/REPO, found {package!r}")
        base = api_base(registry_url, self.api_url)
        url = f"{base}/repos/{package}/{self._path}?per_page=100"
        out: list[dict[str, object]] = []
        for page in self._http.pages(url, MAX_PAGES):
            if isinstance(page, list):
                out.extend(item for item in page if isinstance(item, dict))
        return out


class GitHubReleases(_GitHub):
    name = "github-releases"
    _path = "releases"

    def releases(self, package: str, registry_url: str | None = None) -> Lookup:
        found = []
        for item in self._items(package, registry_url):
            tag = item.get("tag_name")
            if not isinstance(tag, str) or item.get("draft") is True:
                continue
            found.append(Release(tag, stable=item.get("prerelease") is not True))
        return Lookup(tuple(found))


class GitHubTags(_GitHub):
    name = "github-tags"
    _path = "tags"

    def releases(self, package: str, registry_url: str | None = None) -> Lookup:
        names = (item.get("name") for item in self._items(package, registry_url))
        return Lookup(tuple(Release(n) for n in names if isinstance(n, str)))
