"""An OCI distribution client on httpx: ping, auth, blobs, manifests, tags; uploads and mounts
are in :mod:`dockwright.registry.uploads`.

Every httpx failure becomes a :mod:`dockwright.errors` exception in
:func:`~dockwright.registry.errors.map_transport_error`, the one boundary of this backend.
Requests that are safe to repeat are retried with backoff on 429/5xx and dropped connections;
blob uploads restart or resume at the upload level instead, because a half-sent body may already
have been appended to the registry's upload.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import IO

import httpx

from dockwright.errors import (
    AuthError,
    ManifestRejected,
    RateLimited,
    RegistryError,
    RegistryUnavailable,
)
from dockwright.image.ref import api_host
from dockwright.registry import uploads
from dockwright.registry.auth import Challenge, TokenCache, parse_challenge
from dockwright.registry.credentials import BasicCredentials
from dockwright.registry.errors import errors_text, is_cert_failure, map_transport_error
from dockwright.registry.manifest import MANIFEST_TYPES, Manifest, sha256_digest
from dockwright.registry.retry import RETRY_STATUSES, RetryPolicy
from dockwright.registry.tls import deferred_ssl_context, ssl_context

Content = Callable[[], Iterable[bytes] | bytes]


def _retryable(exc: httpx.HTTPError) -> bool:
    if is_cert_failure(exc):
        return False
    return isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError)


class RegistryClient:
    """One registry host. Tokens are cached per scope set and refreshed when they expire."""

    def __init__(
        self,
        host: str,
        *,
        insecure: bool = False,
        ca: str | None = None,
        credentials: BasicCredentials | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.host = host
        self._credentials = credentials
        self._base = f"{'http' if insecure else 'https'}://{api_host(host)}"
        # A plain-HTTP registry needs CAs only if it redirects to https: loaded then, not now.
        verify = deferred_ssl_context(host) if insecure else ssl_context(host, ca)
        self._http = httpx.Client(
            transport=transport,
            verify=verify,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
            follow_redirects=True,
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self._tokens = TokenCache()
        self._bearer: Challenge | None = None  # the registry's Bearer challenge, once seen
        self._basic = False
        self._lock = threading.Lock()
        self._secrets: set[str] = set(credentials.secrets() if credentials else ())

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -------------------------------------------------------------------------

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def fail(self, cls: type[RegistryError], message: str) -> RegistryError:
        return cls(self.scrub(message))

    def url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return self._base + path_or_url

    def _send_once(
        self,
        method: str,
        url: str,
        what: str,
        headers: dict[str, str],
        content: Iterable[bytes] | bytes | None,
        params: list[tuple[str, str | int | float | bool | None]] | None = None,
    ) -> httpx.Response:
        try:
            return self._http.request(method, url, headers=headers, content=content, params=params)
        except httpx.HTTPError as exc:
            mapped = map_transport_error(self.host, what, exc)
            raise self.fail(type(mapped), str(mapped)) from exc

    def request(
        self,
        method: str,
        path: str,
        *,
        scopes: Sequence[str] = (),
        headers: dict[str, str] | None = None,
        content: Content | None = None,
        retry: bool = True,
        what: str | None = None,
    ) -> httpx.Response:
        """Send with auth; retry (if ``retry``) on 429/5xx/connection failures with backoff.

        Answers other than 401 and the retried ones are returned for the caller to judge.
        """
        what = what or f"{method} {path.split('?')[0]}"
        url = self.url(path)
        attempt = 0
        reauthed = False
        while True:
            hdrs = dict(headers or {})
            auth = self._auth_header(scopes)
            if auth:
                hdrs["Authorization"] = auth
            try:
                resp = self._send_once(method, url, what, hdrs, content() if content else None)
            except RegistryError as exc:
                cause = exc.__cause__
                if (
                    retry
                    and isinstance(cause, httpx.HTTPError)
                    and _retryable(cause)
                    and attempt + 1 < self.retry.attempts
                ):
                    self.sleep(self.retry.delay(attempt))
                    attempt += 1
                    continue
                raise
            if resp.status_code == 401:
                if not reauthed and "www-authenticate" in resp.headers:
                    reauthed = True
                    self._on_challenge(parse_challenge(resp.headers["www-authenticate"]), scopes)
                    continue
                raise self.fail(
                    AuthError,
                    f"{self.host}: {what} was refused (401 Unauthorized)"
                    + ("" if self._credentials else "; no credentials were given")
                    + (f": {errors_text(resp)}" if resp.content else ""),
                )
            if resp.status_code in RETRY_STATUSES and retry:
                if attempt + 1 < self.retry.attempts:
                    self.sleep(self.retry.delay(attempt, resp.headers.get("retry-after")))
                    attempt += 1
                    continue
                cls = RateLimited if resp.status_code == 429 else RegistryUnavailable
                raise self.fail(
                    cls,
                    f"{self.host}: {what} failed ({resp.status_code}) after "
                    f"{self.retry.attempts} attempts: {errors_text(resp)}",
                )
            return resp

    def _auth_header(self, scopes: Sequence[str]) -> str | None:
        if self._basic and self._credentials:
            return self._credentials.header()
        token = self._tokens.get(scopes)
        if token is None and self._bearer is not None and scopes:
            # The registry's realm is known: fetch the token up front, sparing a 401 per scope.
            token = self._fetch_token(self._bearer, scopes)
        return f"Bearer {token}" if token else None

    def _on_challenge(self, challenge: Challenge, scopes: Sequence[str]) -> None:
        if challenge.scheme == "basic":
            if not self._credentials or not self._credentials.username:
                raise AuthError(f"{self.host} asks for a login and no credentials were given")
            if self._basic:
                raise self.fail(AuthError, f"{self.host}: the credentials were refused")
            self._basic = True
            return
        if challenge.scheme == "bearer":
            self._bearer = challenge
            # A token we sent was refused (expired or revoked): fetch a fresh one.
            self._tokens.drop(scopes)
            self._fetch_token(challenge, scopes)
            return
        raise AuthError(f"{self.host} asks for unsupported auth scheme {challenge.scheme!r}")

    def _fetch_token(self, challenge: Challenge, scopes: Sequence[str]) -> str:
        realm = challenge.params.get("realm")
        if not realm:
            raise AuthError(f"{self.host}: Bearer challenge without a realm")
        service = challenge.params.get("service", "")
        wanted = list(scopes) or (
            [challenge.params["scope"]] if challenge.params.get("scope") else []
        )
        creds = self._credentials
        what = f"token from {httpx.URL(realm).host}"
        attempt = 0
        while True:
            try:
                if creds and creds.identity_token:
                    # OAuth2 refresh-token grant, as docker does with an identity token.
                    form = {
                        "grant_type": "refresh_token",
                        "refresh_token": creds.identity_token,
                        "service": service,
                        "client_id": "dockwright",
                        "scope": " ".join(wanted),
                    }
                    resp = self._http.post(realm, data=form)
                else:
                    params: list[tuple[str, str | int | float | bool | None]] = [
                        ("service", service),
                        *(("scope", s) for s in wanted),
                    ]
                    headers = {"Authorization": creds.header()} if creds and creds.username else {}
                    resp = self._http.get(realm, params=params, headers=headers)
            except httpx.HTTPError as exc:
                mapped = map_transport_error(self.host, what, exc)
                if _retryable(exc) and attempt + 1 < self.retry.attempts:
                    self.sleep(self.retry.delay(attempt))
                    attempt += 1
                    continue
                raise self.fail(type(mapped), str(mapped)) from exc
            if resp.status_code in RETRY_STATUSES and attempt + 1 < self.retry.attempts:
                self.sleep(self.retry.delay(attempt, resp.headers.get("retry-after")))
                attempt += 1
                continue
            break
        if resp.status_code in (401, 403):
            who = f"user {creds.username!r}" if creds and creds.username else "anonymous access"
            raise self.fail(
                AuthError,
                f"{self.host}: the token service refused {who} ({resp.status_code})",
            )
        if resp.status_code != 200:
            raise self.fail(
                AuthError,
                f"{self.host}: the token service failed ({resp.status_code}): {errors_text(resp)}",
            )
        try:
            body = resp.json()
        except ValueError:
            body = None
        token = (body.get("token") or body.get("access_token")) if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise AuthError(f"{self.host}: the token service answered without a token")
        with self._lock:
            self._secrets.add(token)
        expires = body.get("expires_in") if isinstance(body, dict) else None
        self._tokens.put(
            wanted, token, float(expires) if isinstance(expires, int | float) else None
        )
        return token

    def check(
        self, resp: httpx.Response, what: str, cls: type[RegistryError] = RegistryError
    ) -> None:
        if resp.status_code == 403:
            raise self.fail(
                AuthError, f"{self.host}: {what}: access denied (403): {errors_text(resp)}"
            )
        if resp.status_code >= 400:
            raise self.fail(
                cls, f"{self.host}: {what} failed ({resp.status_code}): {errors_text(resp)}"
            )

    # -- API ------------------------------------------------------------------------------

    def ping(self) -> None:
        """``GET /v2/``; with credentials, also proves they are accepted (as ``docker login``)."""
        resp = self.request("GET", "/v2/")
        self.check(resp, "ping /v2/")
        if self._credentials and self._bearer is not None and not self._tokens.get(()):
            # The probe carries no scope: ask the token service once to check the login.
            self._fetch_token(self._bearer, [])

    def absolute(self, location: str) -> str:
        """An upload's ``Location`` (often relative) as a URL."""
        return str(httpx.URL(self._base + "/").join(location))

    def blob_exists(self, repository: str, digest: str) -> bool:
        resp = self.request(
            "HEAD",
            f"/v2/{repository}/blobs/{digest}",
            scopes=[f"repository:{repository}:pull"],
        )
        if resp.status_code == 404:
            return False
        self.check(resp, f"HEAD blob {repository}@{digest}")
        return True

    def mount_blob(self, repository: str, digest: str, source: str) -> bool:
        """Mount ``digest`` from ``source`` (same registry) into ``repository``; False if the
        registry would not (it then opened an upload, which is cancelled)."""
        return uploads.mount_blob(self, repository, digest, source)

    def upload_blob(
        self,
        repository: str,
        digest: str,
        size: int,
        opener: Callable[[], IO[bytes]],
        *,
        chunk_size: int | None = None,
    ) -> None:
        """Upload one blob: monolithic or, over ``chunk_size``, in chunks that resume."""
        uploads.upload_blob(self, repository, digest, size, opener, chunk_size=chunk_size)

    def stream_blob(self, repository: str, content: Content) -> str:
        """Send ``content`` of unknown size and digest in one streamed PATCH; returns the
        upload's location for :meth:`commit_blob`."""
        return uploads.stream_blob(self, repository, content)

    def commit_blob(self, repository: str, location: str, digest: str) -> None:
        """Finish a :meth:`stream_blob` upload under ``digest`` (the registry checks it)."""
        uploads.commit_blob(self, repository, location, digest)

    def drop_upload(self, repository: str, location: str) -> None:
        """Abandon an upload session (best effort)."""
        uploads.drop_upload(self, repository, location)

    def put_manifest(self, repository: str, reference: str, raw: bytes, media_type: str) -> str:
        """PUT a manifest under a tag or digest; returns its digest (checked against ours)."""
        digest = sha256_digest(raw)
        resp = self.request(
            "PUT",
            f"/v2/{repository}/manifests/{reference}",
            scopes=[f"repository:{repository}:pull,push"],
            headers={"Content-Type": media_type},
            content=lambda: raw,
            what=f"PUT manifest {repository}:{reference}",
        )
        if resp.status_code not in (200, 201):
            self.check(resp, f"PUT manifest {repository}:{reference}", ManifestRejected)
            raise self.fail(
                ManifestRejected,
                f"{self.host}: PUT manifest {repository}:{reference}: "
                f"unexpected {resp.status_code}",
            )
        answered = resp.headers.get("docker-content-digest")
        if answered and answered != digest:
            raise self.fail(
                ManifestRejected,
                f"{self.host}: {repository}:{reference} was stored as {answered}, "
                f"expected {digest}",
            )
        return digest

    def manifest(self, repository: str, reference: str) -> Manifest | None:
        """The manifest at a tag or digest, or None when the registry does not have it."""
        resp = self.request(
            "GET",
            f"/v2/{repository}/manifests/{reference}",
            scopes=[f"repository:{repository}:pull"],
            headers={"Accept": ", ".join(MANIFEST_TYPES)},
        )
        if resp.status_code == 404:
            return None
        self.check(resp, f"GET manifest {repository}:{reference}")
        raw = resp.content
        digest = sha256_digest(raw)
        claimed = resp.headers.get("docker-content-digest")
        if claimed and claimed != digest:
            raise self.fail(
                RegistryError,
                f"{self.host}: manifest {repository}:{reference} claims {claimed} but hashes to "
                f"{digest}",
            )
        media_type = resp.headers.get("content-type", "").split(";")[0]
        return Manifest(digest=digest, media_type=media_type, raw=raw)

    def manifest_digest(self, repository: str, reference: str) -> str | None:
        """The digest a tag resolves to (HEAD: does not count as a pull), or None."""
        resp = self.request(
            "HEAD",
            f"/v2/{repository}/manifests/{reference}",
            scopes=[f"repository:{repository}:pull"],
            headers={"Accept": ", ".join(MANIFEST_TYPES)},
        )
        if resp.status_code == 404:
            return None
        self.check(resp, f"HEAD manifest {repository}:{reference}")
        digest = resp.headers.get("docker-content-digest")
        if digest:
            return str(digest)
        found = self.manifest(repository, reference)
        return found.digest if found else None

    def tags(self, repository: str, page_size: int = 1000) -> list[str]:
        """Every tag of a repository, following ``Link: <…>; rel="next"`` pagination."""
        found: list[str] = []
        path: str | None = f"/v2/{repository}/tags/list?n={page_size}"
        seen: set[str] = set()
        while path and path not in seen:
            seen.add(path)
            resp = self.request("GET", path, scopes=[f"repository:{repository}:pull"])
            if resp.status_code == 404:
                return found
            self.check(resp, f"list tags of {repository}")
            try:
                body = resp.json()
            except ValueError as exc:
                raise RegistryError(
                    f"{self.host}: the tag list of {repository} is not JSON"
                ) from exc
            found.extend(t for t in (body.get("tags") or []) if isinstance(t, str))
            link = resp.links.get("next", {}).get("url")
            path = self.absolute(link) if link else None
        return found
