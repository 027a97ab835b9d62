"""JSON over HTTP for the package datasources (GitHub, PyPI, npm): one client per base URL,
``Link: rel="next"`` pagination, and every failure mapped onto the error tree here: a
:class:`DatasourceError` (:class:`NotFound` for an unknown package).

Messages name the URL and the status, never request headers (where tokens travel).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

import httpx

from dockwright.errors import DatasourceError

TIMEOUT = 30.0


class NotFound(DatasourceError):
    """The package is unknown to the registry (404)."""


class JsonHttp:
    def __init__(
        self,
        what: str,
        headers: Mapping[str, str] | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = TIMEOUT,
    ) -> None:
        self.what = what
        self._http = httpx.Client(
            headers=dict(headers or {}),
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
            follow_redirects=True,
        )

    def close(self) -> None:
        self._http.close()

    def get(self, url: str) -> tuple[object, httpx.Response]:
        """The JSON document at ``url``; NotFound for 404, DatasourceError otherwise."""
        try:
            resp = self._http.get(url)
        except httpx.TimeoutException:
            raise DatasourceError(f"{self.what}: GET {_shown(url)}: timed out") from None
        except httpx.HTTPError as exc:
            raise DatasourceError(
                f"{self.what}: GET {_shown(url)}: {type(exc).__name__}: {exc}"
            ) from None
        if resp.status_code == 404:
            raise NotFound(f"{self.what}: GET {_shown(url)}: not found (404)")
        if resp.status_code != 200:
            detail = resp.text[:200].strip()
            raise DatasourceError(
                f"{self.what}: GET {_shown(url)}: unexpected {resp.status_code}"
                + (f": {detail}" if detail else "")
            )
        try:
            return json.loads(resp.content), resp
        except ValueError:
            raise DatasourceError(
                f"{self.what}: GET {_shown(url)}: the answer is not JSON"
            ) from None

    def pages(self, url: str, max_pages: int) -> Iterator[object]:
        """Each page's document, following ``Link: <…>; rel="next"`` up to ``max_pages``."""
        seen: set[str] = set()
        next_url: str | None = url
        while next_url and next_url not in seen and len(seen) < max_pages:
            seen.add(next_url)
            doc, resp = self.get(next_url)
            yield doc
            link = resp.links.get("next", {}).get("url")
            next_url = str(resp.url.join(link)) if link else None


def _shown(url: str) -> str:
    """The URL without its query string or any user information."""
    parsed = httpx.URL(url)
    return str(parsed.copy_with(query=None, userinfo=b""))


class PackageDatasource:
    """What the package APIs (GitHub, PyPI, npm) share: JSON over ``_http``, and no digests
    (only container images have them)."""

    _http: JsonHttp

    def close(self) -> None:
        self._http.close()

    def digest(
        self,
        package: str,
        tag: str,
        *,
        registry_url: str | None = None,
        current_digest: str | None = None,
        platform: str | None = None,
        current_tag: str | None = None,
    ) -> str | None:
        return None
