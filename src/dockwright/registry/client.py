"""An OCI distribution client on httpx: ping, auth, blobs, manifests, tags; uploads and mounts
are in :mod:`dockwright.registry.uploads`.

Every httpx failure becomes a :mod:`dockwright.errors` exception in
:func:`~dockwright.registry.errors.map_transport_error`, the one boundary of this backend.
Requests that are safe to repeat are retried with backoff on 429/5xx and dropped connections;
blob uploads restart or resume at the upload level instead, because a half-sent body may already
have been appended to the registry's upload.
"""

from __future__ import annotations

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
from dockwright.registry.auth import AuthSession
from dockwright.registry.credentials import BasicCredentials
from dockwright.registry.errors import Secrets, errors_text, map_transport_error
from dockwright.registry.manifest import MANIFEST_TYPES, Manifest, sha256_digest
from dockwright.registry.retry import RETRY_STATUSES, RetryPolicy, send_with_retries
from dockwright.registry.tls import deferred_ssl_context, ssl_context

Content = Callable[[], Iterable[bytes]]


class RegistryClient:
    """One registry host, with the auth it needs (tokens are cached per scope set and fetched
    afresh when they expire or are refused), safe to share between threads."""

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
        self._secrets = Secrets(credentials.secrets() if credentials else ())
        self._auth = AuthSession(
            host, credentials, self._http, retry=self.retry, sleep=sleep, secrets=self._secrets
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -------------------------------------------------------------------------

    def scrub(self, text: str) -> str:
        return self._secrets.scrub(text)

    def fail(self, cls: type[RegistryError], message: str) -> RegistryError:
        return cls(self.scrub(message))

    def url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return self._base + path_or_url

    def request(
        self,
        method: str,
        path: str,
        *,
        scopes: Sequence[str] = (),
        headers: dict[str, str] | None = None,
        content: bytes | uploads.Replayable | None = None,
        retry: bool = True,
        what: str | None = None,
    ) -> httpx.Response:
        """Send with auth (:class:`~dockwright.registry.auth.RegistryAuth`); if ``retry``, send
        again on 429/5xx/connection failures with backoff.

        A 401 that the auth flow could not answer is an AuthError, so are the retried answers
        once the attempts are spent; every other answer is returned for the caller to judge.
        """
        what = what or f"{method} {path.split('?')[0]}"
        url = self.url(path)
        auth = self._auth.flow(scopes)

        def send() -> httpx.Response:
            return self._http.request(method, url, headers=headers, content=content, auth=auth)

        try:
            resp = send_with_retries(send, self.retry, self.sleep) if retry else send()
        except httpx.HTTPError as exc:
            mapped = map_transport_error(self.host, what, exc)
            raise self.fail(type(mapped), str(mapped)) from exc
        if resp.status_code == 401:
            raise self.fail(
                AuthError,
                f"{self.host}: {what} was refused (401 Unauthorized)"
                + ("" if self._auth.credentials else "; no credentials were given")
                + (f": {errors_text(resp)}" if resp.content else ""),
            )
        if retry and resp.status_code in RETRY_STATUSES:
            cls = RateLimited if resp.status_code == 429 else RegistryUnavailable
            raise self.fail(
                cls,
                f"{self.host}: {what} failed ({resp.status_code}) after "
                f"{self.retry.attempts} attempts: {errors_text(resp)}",
            )
        return resp

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
        self._auth.check_login()

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
            content=raw,
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
