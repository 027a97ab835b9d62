"""A small OCI distribution client on httpx: ping, auth, manifests, tags."""

from __future__ import annotations

import hashlib
import json
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from dockwright.errors import AuthError, RegistryError
from dockwright.registry.auth import BasicCredentials, Challenge, parse_challenge
from dockwright.registry.tls import ssl_context

MANIFEST_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
# docker.io is an alias: its API lives elsewhere.
_API_HOSTS = {"docker.io": "registry-1.docker.io", "index.docker.io": "registry-1.docker.io"}


@dataclass(frozen=True)
class Manifest:
    digest: str
    media_type: str
    raw: bytes = field(repr=False)

    @property
    def config_digest(self) -> str | None:
        """The image config's digest (the engine's image ID) for a single-image manifest."""
        doc = json.loads(self.raw)
        config = doc.get("config") if isinstance(doc, dict) else None
        digest = config.get("digest") if isinstance(config, dict) else None
        return digest if isinstance(digest, str) else None


class RegistryClient:
    """One registry host. Tokens are cached per scope and reused."""

    def __init__(
        self,
        host: str,
        *,
        insecure: bool = False,
        ca: str | None = None,
        credentials: BasicCredentials | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.host = host
        self._credentials = credentials
        api_host = _API_HOSTS.get(host, host)
        self._base = f"{'http' if insecure else 'https'}://{api_host}"
        verify: ssl.SSLContext | bool = True if insecure else ssl_context(host, ca)
        self._http = httpx.Client(
            transport=transport,
            verify=verify,
            timeout=timeout,
            follow_redirects=True,
        )
        self._tokens: dict[str, str] = {}
        self._basic = False

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests -------------------------------------------------------------------------

    @contextmanager
    def _mapped(self, what: str) -> Iterator[None]:
        try:
            yield
        except httpx.HTTPError as exc:
            # httpx messages hold no credentials; the URL has none either.
            raise RegistryError(f"{self.host}: {what}: {type(exc).__name__}: {exc}") from exc

    def _request(
        self, method: str, path: str, *, scope: str | None, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        url = self._base + path
        hdrs = dict(headers or {})
        with self._mapped(f"{method} {path}"):
            auth = self._auth_header(scope)
            if auth:
                hdrs["Authorization"] = auth
            resp = self._http.request(method, url, headers=hdrs)
            if resp.status_code == 401 and "www-authenticate" in resp.headers:
                challenge = parse_challenge(resp.headers["www-authenticate"])
                hdrs["Authorization"] = self._answer(challenge, scope)
                resp = self._http.request(method, url, headers=hdrs)
        if resp.status_code == 401:
            raise AuthError(
                f"{self.host}: {method} {path} was refused (401 Unauthorized)"
                + ("" if self._credentials else "; no credentials were given")
            )
        return resp

    def _auth_header(self, scope: str | None) -> str | None:
        if self._basic and self._credentials:
            return self._credentials.header()
        token = self._tokens.get(scope or "")
        return f"Bearer {token}" if token else None

    def _answer(self, challenge: Challenge, scope: str | None) -> str:
        if challenge.scheme == "basic":
            if not self._credentials:
                raise AuthError(f"{self.host} asks for a login and no credentials were given")
            self._basic = True
            return self._credentials.header()
        if challenge.scheme == "bearer":
            token = self._fetch_token(challenge, scope)
            self._tokens[scope or ""] = token
            return f"Bearer {token}"
        raise AuthError(f"{self.host} asks for unsupported auth scheme {challenge.scheme!r}")

    def _fetch_token(self, challenge: Challenge, scope: str | None) -> str:
        realm = challenge.params.get("realm")
        if not realm:
            raise AuthError(f"{self.host}: Bearer challenge without a realm")
        params = {"service": challenge.params.get("service", "")}
        if scope or challenge.params.get("scope"):
            params["scope"] = scope or challenge.params["scope"]
        headers = {"Authorization": self._credentials.header()} if self._credentials else {}
        resp = self._http.get(realm, params=params, headers=headers)
        if resp.status_code != 200:
            raise AuthError(
                f"{self.host}: the token service refused the request ({resp.status_code})"
            )
        body = resp.json()
        token = body.get("token") or body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str):
            raise AuthError(f"{self.host}: the token service answered without a token")
        return token

    def _check(self, resp: httpx.Response, what: str) -> None:
        if resp.status_code >= 400:
            detail = resp.text[:500].strip()
            raise RegistryError(f"{self.host}: {what} failed ({resp.status_code}): {detail}")

    # -- API ------------------------------------------------------------------------------

    def ping(self) -> None:
        resp = self._request("GET", "/v2/", scope=None)
        self._check(resp, "ping /v2/")

    def manifest(self, repository: str, reference: str) -> Manifest | None:
        """The manifest at a tag or digest, or None when the registry does not have it."""
        resp = self._request(
            "GET",
            f"/v2/{repository}/manifests/{reference}",
            scope=f"repository:{repository}:pull",
            headers={"Accept": ", ".join(MANIFEST_TYPES)},
        )
        if resp.status_code == 404:
            return None
        self._check(resp, f"GET manifest {repository}:{reference}")
        raw = resp.content
        digest = resp.headers.get("docker-content-digest") or (
            "sha256:" + hashlib.sha256(raw).hexdigest()
        )
        media_type = resp.headers.get("content-type", "").split(";")[0]
        return Manifest(digest=digest, media_type=media_type, raw=raw)

    def tags(self, repository: str) -> list[str]:
        """Every tag of a repository, following ``Link`` pagination."""
        found: list[str] = []
        path: str | None = f"/v2/{repository}/tags/list?n=1000"
        while path:
            resp = self._request("GET", path, scope=f"repository:{repository}:pull")
            if resp.status_code == 404:
                return found
            self._check(resp, f"list tags of {repository}")
            found.extend(resp.json().get("tags") or [])
            link = resp.links.get("next", {}).get("url")
            path = link if link and link.startswith("/") else None
        return found
