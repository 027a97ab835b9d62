"""An OCI distribution client on httpx: ping, auth, blobs, uploads, mounts, manifests, tags.

Every httpx failure becomes a :mod:`dockwright.errors` exception in :func:`map_transport_error`,
the one boundary of this backend. Requests that are safe to repeat are retried with backoff on
429/5xx and dropped connections; blob uploads restart or resume at the upload level instead,
because a half-sent body may already have been appended to the registry's upload.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import quote

import httpx

from dockwright.errors import (
    AuthError,
    BlobUploadError,
    ManifestRejected,
    RateLimited,
    RegistryError,
    RegistryUnavailable,
    TLSVerifyError,
)
from dockwright.image.ref import api_host
from dockwright.registry.auth import Challenge, TokenCache, parse_challenge
from dockwright.registry.credentials import BasicCredentials
from dockwright.registry.retry import RETRY_STATUSES, RetryPolicy
from dockwright.registry.tls import deferred_ssl_context, ssl_context

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
MANIFEST_TYPES = (OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST)
_READ = 1 << 20
_PLAIN_HINT = "; if this registry speaks plain HTTP, set `insecure: true` for it"

Content = Callable[[], Iterable[bytes] | bytes]


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


def _is_cert_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(
            seen
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def map_transport_error(host: str, what: str, exc: httpx.HTTPError) -> RegistryError:
    """The one mapping of httpx failures onto the error tree (messages hold no secrets: we never
    put credentials in URLs, and httpx does not quote headers)."""
    name = type(exc).__name__
    if _is_cert_failure(exc):
        return TLSVerifyError(
            f"{host}: {what}: the registry's certificate is not trusted ({exc}); add its CA to "
            f"/etc/docker/certs.d/{host}/ca.crt, SSL_CERT_FILE or the repository's `ca`"
        )
    if isinstance(exc, httpx.TimeoutException):
        return RegistryUnavailable(f"{host}: {what}: timed out ({name})")
    if isinstance(exc, httpx.ConnectError):
        hint = _PLAIN_HINT if "SSL" in str(exc) or "ssl" in str(exc) else ""
        return RegistryUnavailable(f"{host}: {what}: cannot connect ({exc}){hint}")
    if isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError):
        return RegistryUnavailable(f"{host}: {what}: the connection failed ({name}: {exc})")
    return RegistryError(f"{host}: {what}: {name}: {exc}")


def _retryable(exc: httpx.HTTPError) -> bool:
    if _is_cert_failure(exc):
        return False
    return isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError)


def _errors_text(resp: httpx.Response) -> str:
    """The registry's error codes and messages (spec: ``{"errors": [{code, message}]}``)."""
    try:
        data = json.loads(resp.content)
        errs = data.get("errors") if isinstance(data, dict) else None
        if isinstance(errs, list) and errs:
            return "; ".join(
                f"{e.get('code', '')}: {e.get('message', '')}".strip(": ")
                for e in errs
                if isinstance(e, dict)
            )
    except (ValueError, httpx.HTTPError):
        pass
    return resp.text[:300].strip() if resp.content else resp.reason_phrase


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
        self._sleep = sleep
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

    def _fail(self, cls: type[RegistryError], message: str) -> RegistryError:
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
            raise self._fail(type(mapped), str(mapped)) from exc

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
                    self._sleep(self.retry.delay(attempt))
                    attempt += 1
                    continue
                raise
            if resp.status_code == 401:
                if not reauthed and "www-authenticate" in resp.headers:
                    reauthed = True
                    self._on_challenge(parse_challenge(resp.headers["www-authenticate"]), scopes)
                    continue
                raise self._fail(
                    AuthError,
                    f"{self.host}: {what} was refused (401 Unauthorized)"
                    + ("" if self._credentials else "; no credentials were given")
                    + (f": {_errors_text(resp)}" if resp.content else ""),
                )
            if resp.status_code in RETRY_STATUSES and retry:
                if attempt + 1 < self.retry.attempts:
                    self._sleep(self.retry.delay(attempt, resp.headers.get("retry-after")))
                    attempt += 1
                    continue
                cls = RateLimited if resp.status_code == 429 else RegistryUnavailable
                raise self._fail(
                    cls,
                    f"{self.host}: {what} failed ({resp.status_code}) after "
                    f"{self.retry.attempts} attempts: {_errors_text(resp)}",
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
                raise self._fail(AuthError, f"{self.host}: the credentials were refused")
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
                    self._sleep(self.retry.delay(attempt))
                    attempt += 1
                    continue
                raise self._fail(type(mapped), str(mapped)) from exc
            if resp.status_code in RETRY_STATUSES and attempt + 1 < self.retry.attempts:
                self._sleep(self.retry.delay(attempt, resp.headers.get("retry-after")))
                attempt += 1
                continue
            break
        if resp.status_code in (401, 403):
            who = f"user {creds.username!r}" if creds and creds.username else "anonymous access"
            raise self._fail(
                AuthError,
                f"{self.host}: the token service refused {who} ({resp.status_code})",
            )
        if resp.status_code != 200:
            raise self._fail(
                AuthError,
                f"{self.host}: the token service failed ({resp.status_code}): {_errors_text(resp)}",
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

    def _check(
        self, resp: httpx.Response, what: str, cls: type[RegistryError] = RegistryError
    ) -> None:
        if resp.status_code == 403:
            raise self._fail(
                AuthError, f"{self.host}: {what}: access denied (403): {_errors_text(resp)}"
            )
        if resp.status_code >= 400:
            raise self._fail(
                cls, f"{self.host}: {what} failed ({resp.status_code}): {_errors_text(resp)}"
            )

    # -- API ------------------------------------------------------------------------------

    def ping(self) -> None:
        """``GET /v2/``; with credentials, also proves they are accepted (as ``docker login``)."""
        resp = self.request("GET", "/v2/")
        self._check(resp, "ping /v2/")
        if self._credentials and self._bearer is not None and not self._tokens.get(()):
            # The probe carries no scope: ask the token service once to check the login.
            self._fetch_token(self._bearer, [])

    def blob_exists(self, repository: str, digest: str) -> bool:
        resp = self.request(
            "HEAD",
            f"/v2/{repository}/blobs/{digest}",
            scopes=[f"repository:{repository}:pull"],
        )
        if resp.status_code == 404:
            return False
        self._check(resp, f"HEAD blob {repository}@{digest}")
        return True

    def mount_blob(self, repository: str, digest: str, source: str) -> bool:
        """Mount ``digest`` from ``source`` (same registry) into ``repository``; False if the
        registry would not (it then opened an upload, which is cancelled)."""
        path = (
            f"/v2/{repository}/blobs/uploads/?mount={quote(digest)}&from={quote(source, safe='/')}"
        )
        resp = self.request(
            "POST",
            path,
            scopes=[f"repository:{repository}:pull,push", f"repository:{source}:pull"],
            what=f"mount {digest[:19]} from {source} into {repository}",
        )
        if resp.status_code == 201:
            return True
        if resp.status_code == 202 and resp.headers.get("location"):
            self._cancel(repository, resp.headers["location"])
            return False
        self._check(resp, f"mount {digest} into {repository}", BlobUploadError)
        return False

    def _cancel(self, repository: str, location: str) -> None:
        # An abandoned upload expires on its own: a failed DELETE is no failure.
        with contextlib.suppress(RegistryError):
            self.request(
                "DELETE", location, scopes=[f"repository:{repository}:pull,push"], retry=False
            )

    def upload_blob(
        self,
        repository: str,
        digest: str,
        size: int,
        opener: Callable[[], IO[bytes]],
        *,
        chunk_size: int | None = None,
    ) -> None:
        """Upload one blob: monolithic (POST, then PUT with the body) or, when ``size`` exceeds
        ``chunk_size``, in PATCH chunks that resume where the registry says it stopped.

        A failed attempt restarts (or resumes) the whole upload with backoff; the blob is only
        ever committed under its digest, which the registry checks.
        """
        scopes = [f"repository:{repository}:pull,push"]
        last: RegistryError | None = None
        retry_after: str | None = None
        location: str | None = None
        offset = 0
        for attempt in range(self.retry.attempts):
            if attempt:
                self._sleep(self.retry.delay(attempt - 1, retry_after))
                if self.blob_exists(repository, digest):
                    return  # an earlier attempt did commit it
            try:
                if location is None or offset == 0:
                    location, offset = self._start_upload(repository, scopes), 0
                if chunk_size and size > chunk_size:
                    location = self._send_chunks(
                        repository, location, offset, size, opener, chunk_size, scopes
                    )
                    self._commit(repository, location, digest, None, 0, scopes)
                else:
                    self._commit(repository, location, digest, opener, size, scopes)
                return
            except _UploadRetry as exc:
                last, retry_after = exc.error, exc.retry_after
                location, offset = self._resume_point(repository, location, scopes, exc)
            except BaseException:  # not the registry's doing (e.g. the blob cannot be read)
                if location is not None:
                    self._cancel(repository, location)
                raise
        if location is not None:
            self._cancel(repository, location)
        assert last is not None
        raise self._fail(
            type(last) if isinstance(last, RegistryUnavailable | RateLimited) else BlobUploadError,
            f"{self.host}: upload of {digest} to {repository} failed after "
            f"{self.retry.attempts} attempts: {last}",
        )

    def stream_blob(self, repository: str, content: Content) -> str:
        """Start an upload and send ``content``, whose size and digest are not known yet, in
        one streamed PATCH (chunked encoding), as ``docker push`` does; returns the upload's
        location for :meth:`commit_blob`. One attempt: on failure the session is dropped and
        the error raised, and the caller uploads the finished blob with :meth:`upload_blob`.
        """
        scopes = [f"repository:{repository}:pull,push"]
        location = self._start_upload(repository, scopes)
        try:
            resp = self.request(
                "PATCH",
                location,
                scopes=scopes,
                headers={"Content-Type": "application/octet-stream"},
                content=content,
                retry=False,
                what=f"stream upload to {repository}",
            )
            self._expect(resp, 202, f"stream upload to {repository}")
        except BaseException:
            self._cancel(repository, location)
            raise
        return self._absolute(resp.headers.get("location") or location)

    def commit_blob(self, repository: str, location: str, digest: str) -> None:
        """Finish a :meth:`stream_blob` upload under ``digest`` (the registry checks it)."""
        scopes = [f"repository:{repository}:pull,push"]
        try:
            self._commit(repository, location, digest, None, 0, scopes)
        except _UploadRetry as exc:
            self._cancel(repository, location)
            raise exc.error from None
        except RegistryError:
            self._cancel(repository, location)
            raise

    def drop_upload(self, repository: str, location: str) -> None:
        """Abandon an upload session (best effort)."""
        self._cancel(repository, location)

    def _start_upload(self, repository: str, scopes: list[str]) -> str:
        resp = self.request(
            "POST",
            f"/v2/{repository}/blobs/uploads/",
            scopes=scopes,
            what=f"start upload to {repository}",
        )
        self._check(resp, f"start upload to {repository}", BlobUploadError)
        location = resp.headers.get("location")
        if resp.status_code != 202 or not location:
            raise self._fail(
                BlobUploadError,
                f"{self.host}: start upload to {repository}: expected 202 with a Location, "
                f"got {resp.status_code}",
            )
        return self._absolute(location)

    def _absolute(self, location: str) -> str:
        return str(httpx.URL(self._base + "/").join(location))

    def _upload_request(
        self,
        method: str,
        location: str,
        what: str,
        scopes: list[str],
        *,
        headers: dict[str, str],
        content: Content | None,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        url = location
        if params:
            url = str(httpx.URL(location).copy_merge_params(params))
        try:
            resp = self.request(
                method, url, scopes=scopes, headers=headers, content=content, retry=False, what=what
            )
        except RegistryUnavailable as exc:
            raise _UploadRetry(exc) from exc
        if resp.status_code in RETRY_STATUSES:
            cls = RateLimited if resp.status_code == 429 else RegistryUnavailable
            raise _UploadRetry(
                cls(f"{self.host}: {what}: {resp.status_code} {_errors_text(resp)}"),
                resp.headers.get("retry-after"),
            )
        if resp.status_code in (404, 416) or (
            resp.status_code == 400 and "BLOB_UPLOAD_INVALID" in resp.text
        ):
            # The upload session is gone (e.g. the registry restarted) or out of step: restart.
            raise _UploadRetry(
                BlobUploadError(f"{self.host}: {what}: {resp.status_code} {_errors_text(resp)}"),
                restart=True,
            )
        return resp

    def _send_chunks(
        self,
        repository: str,
        location: str,
        offset: int,
        size: int,
        opener: Callable[[], IO[bytes]],
        chunk_size: int,
        scopes: list[str],
    ) -> str:
        while offset < size:
            end = min(size, offset + chunk_size)
            start = offset
            resp = self._upload_request(
                "PATCH",
                location,
                f"upload chunk {start}-{end - 1} to {repository}",
                scopes,
                headers={
                    "Content-Type": "application/octet-stream",
                    "Content-Range": f"{start}-{end - 1}",
                    "Content-Length": str(end - start),
                },
                content=_ranged(opener, start, end),
            )
            if resp.status_code != 202:
                self._check(resp, f"upload chunk to {repository}", BlobUploadError)
            location = self._absolute(resp.headers.get("location") or location)
            offset = end
        return location

    def _commit(
        self,
        repository: str,
        location: str,
        digest: str,
        opener: Callable[[], IO[bytes]] | None,
        size: int,
        scopes: list[str],
    ) -> None:
        headers = {"Content-Type": "application/octet-stream", "Content-Length": str(size)}
        resp = self._upload_request(
            "PUT",
            location,
            f"upload {digest[:19]} to {repository}",
            scopes,
            headers=headers,
            content=(lambda: _read_range(opener, 0, size)) if opener else (lambda: b""),
            params={"digest": digest},
        )
        self._expect(resp, 201, f"upload {digest} to {repository}")

    def _expect(self, resp: httpx.Response, status: int, what: str) -> None:
        """BlobUploadError (or what _check says) unless the answer is ``status``."""
        if resp.status_code != status:
            self._check(resp, what, BlobUploadError)
            raise self._fail(
                BlobUploadError, f"{self.host}: {what}: expected {status}, got {resp.status_code}"
            )

    def _resume_point(
        self, repository: str, location: str | None, scopes: list[str], exc: _UploadRetry
    ) -> tuple[str | None, int]:
        """Where to go on after a failed attempt: the registry's Range of a live upload."""
        if location is None or exc.restart:
            return None, 0
        try:
            resp = self.request("GET", location, scopes=scopes, retry=False, what="upload status")
        except RegistryError:
            return None, 0
        rng = resp.headers.get("range", "")
        if resp.status_code != 204 or not rng.startswith("0-"):
            return None, 0
        end = int(rng[2:]) if rng[2:].isdigit() else -1
        # "0-0" is ambiguous (nothing or one byte): start over rather than guess.
        if end <= 0:
            return None, 0
        return self._absolute(resp.headers.get("location") or location), end + 1

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
            self._check(resp, f"PUT manifest {repository}:{reference}", ManifestRejected)
            raise self._fail(
                ManifestRejected,
                f"{self.host}: PUT manifest {repository}:{reference}: "
                f"unexpected {resp.status_code}",
            )
        answered = resp.headers.get("docker-content-digest")
        if answered and answered != digest:
            raise self._fail(
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
        self._check(resp, f"GET manifest {repository}:{reference}")
        raw = resp.content
        digest = sha256_digest(raw)
        claimed = resp.headers.get("docker-content-digest")
        if claimed and claimed != digest:
            raise self._fail(
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
        self._check(resp, f"HEAD manifest {repository}:{reference}")
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
            self._check(resp, f"list tags of {repository}")
            try:
                body = resp.json()
            except ValueError as exc:
                raise RegistryError(
                    f"{self.host}: the tag list of {repository} is not JSON"
                ) from exc
            found.extend(t for t in (body.get("tags") or []) if isinstance(t, str))
            link = resp.links.get("next", {}).get("url")
            path = self._absolute(link) if link else None
        return found


class _UploadRetry(Exception):
    def __init__(
        self, error: RegistryError, retry_after: str | None = None, *, restart: bool = False
    ) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after
        self.restart = restart


def _ranged(opener: Callable[[], IO[bytes]], start: int, end: int) -> Content:
    return lambda: _read_range(opener, start, end)


def _read_range(opener: Callable[[], IO[bytes]] | None, start: int, end: int) -> Iterator[bytes]:
    """Bytes ``start`` to ``end`` of the blob, read in 1 MiB pieces (never all in memory)."""
    if opener is None:
        return
    with opener() as handle:
        handle.seek(start)
        left = end - start
        while left > 0:
            piece = handle.read(min(_READ, left))
            if not piece:
                raise BlobUploadError(f"the blob ended {left} bytes early")
            left -= len(piece)
            yield piece
