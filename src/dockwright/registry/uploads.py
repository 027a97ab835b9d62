"""Blob uploads of the distribution spec, for :class:`~dockwright.registry.client.RegistryClient`:
monolithic (POST, then PUT with the body), chunked (PATCH with Content-Range, resumed from the
registry's Range), streamed (one PATCH of unknown length), cross-repository mounts, and the
commit (PUT ``?digest=``), which the registry checks.

Upload requests are not retried one by one: a half-sent body may already have been appended to
the upload, so a failed attempt restarts or resumes the whole upload instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING
from urllib.parse import quote

import httpx

from dockwright.errors import BlobUploadError, RateLimited, RegistryError, RegistryUnavailable
from dockwright.registry.errors import errors_text
from dockwright.registry.retry import RETRY_STATUSES

if TYPE_CHECKING:
    from dockwright.registry.client import Content, RegistryClient

_READ = 1 << 20


class Replayable:
    """An upload body read afresh from its source each time it is sent (an auth retry sends a
    request twice), never held in memory: each iteration calls ``source`` anew."""

    def __init__(self, source: Callable[[], Iterable[bytes]]) -> None:
        self._source = source

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._source())


def mount_blob(client: RegistryClient, repository: str, digest: str, source: str) -> bool:
    """Mount ``digest`` from ``source`` (same registry) into ``repository``; False if the
    registry would not (it then opened an upload, which is cancelled)."""
    path = f"/v2/{repository}/blobs/uploads/?mount={quote(digest)}&from={quote(source, safe='/')}"
    resp = client.request(
        "POST",
        path,
        scopes=[f"repository:{repository}:pull,push", f"repository:{source}:pull"],
        what=f"mount {digest[:19]} from {source} into {repository}",
    )
    if resp.status_code == 201:
        return True
    if resp.status_code == 202 and resp.headers.get("location"):
        _cancel(client, repository, resp.headers["location"])
        return False
    client.check(resp, f"mount {digest} into {repository}", BlobUploadError)
    return False


def _cancel(client: RegistryClient, repository: str, location: str) -> None:
    # An abandoned upload expires on its own: a failed DELETE is no failure.
    with contextlib.suppress(RegistryError):
        client.request(
            "DELETE", location, scopes=[f"repository:{repository}:pull,push"], retry=False
        )


def upload_blob(
    client: RegistryClient,
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
    for attempt in range(client.retry.attempts):
        if attempt:
            client.sleep(client.retry.delay(attempt - 1, retry_after))
            if client.blob_exists(repository, digest):
                return  # an earlier attempt did commit it
        try:
            if location is None or offset == 0:
                location, offset = _start_upload(client, repository, scopes), 0
            if chunk_size and size > chunk_size:
                location = _send_chunks(
                    client, repository, location, offset, size, opener, chunk_size, scopes
                )
                _commit(client, repository, location, digest, None, 0, scopes)
            else:
                _commit(client, repository, location, digest, opener, size, scopes)
            return
        except _UploadRetry as exc:
            last, retry_after = exc.error, exc.retry_after
            location, offset = _resume_point(client, repository, location, scopes, exc)
        except BaseException:  # not the registry's doing (e.g. the blob cannot be read)
            if location is not None:
                _cancel(client, repository, location)
            raise
    if location is not None:
        _cancel(client, repository, location)
    assert last is not None
    raise client.fail(
        type(last) if isinstance(last, RegistryUnavailable | RateLimited) else BlobUploadError,
        f"{client.host}: upload of {digest} to {repository} failed after "
        f"{client.retry.attempts} attempts: {last}",
    )


def stream_blob(client: RegistryClient, repository: str, content: Content) -> str:
    """Start an upload and send ``content``, whose size and digest are not known yet, in
    one streamed PATCH (chunked encoding), as ``docker push`` does; returns the upload's
    location for :meth:`commit_blob`. One attempt: on failure the session is dropped and
    the error raised, and the caller uploads the finished blob with :meth:`upload_blob`.
    """
    scopes = [f"repository:{repository}:pull,push"]
    location = _start_upload(client, repository, scopes)
    try:
        resp = client.request(
            "PATCH",
            location,
            scopes=scopes,
            headers={"Content-Type": "application/octet-stream"},
            content=Replayable(content),
            retry=False,
            what=f"stream upload to {repository}",
        )
        _expect(client, resp, 202, f"stream upload to {repository}")
    except BaseException:
        _cancel(client, repository, location)
        raise
    return client.absolute(resp.headers.get("location") or location)


def commit_blob(client: RegistryClient, repository: str, location: str, digest: str) -> None:
    """Finish a :meth:`stream_blob` upload under ``digest`` (the registry checks it)."""
    scopes = [f"repository:{repository}:pull,push"]
    try:
        _commit(client, repository, location, digest, None, 0, scopes)
    except _UploadRetry as exc:
        _cancel(client, repository, location)
        raise exc.error from None
    except RegistryError:
        _cancel(client, repository, location)
        raise


def drop_upload(client: RegistryClient, repository: str, location: str) -> None:
    """Abandon an upload session (best effort)."""
    _cancel(client, repository, location)


def _start_upload(client: RegistryClient, repository: str, scopes: list[str]) -> str:
    resp = client.request(
        "POST",
        f"/v2/{repository}/blobs/uploads/",
        scopes=scopes,
        what=f"start upload to {repository}",
    )
    client.check(resp, f"start upload to {repository}", BlobUploadError)
    location = resp.headers.get("location")
    if resp.status_code != 202 or not location:
        raise client.fail(
            BlobUploadError,
            f"{client.host}: start upload to {repository}: expected 202 with a Location, "
            f"got {resp.status_code}",
        )
    return client.absolute(location)


def _upload_request(
    client: RegistryClient,
    method: str,
    location: str,
    what: str,
    scopes: list[str],
    *,
    headers: dict[str, str],
    content: bytes | Replayable,
    params: dict[str, str] | None = None,
) -> httpx.Response:
    url = location
    if params:
        url = str(httpx.URL(location).copy_merge_params(params))
    try:
        resp = client.request(
            method, url, scopes=scopes, headers=headers, content=content, retry=False, what=what
        )
    except RegistryUnavailable as exc:
        raise _UploadRetry(exc) from exc
    if resp.status_code in RETRY_STATUSES:
        cls = RateLimited if resp.status_code == 429 else RegistryUnavailable
        raise _UploadRetry(
            cls(f"{client.host}: {what}: {resp.status_code} {errors_text(resp)}"),
            resp.headers.get("retry-after"),
        )
    if resp.status_code in (404, 416) or (
        resp.status_code == 400 and "BLOB_UPLOAD_INVALID" in resp.text
    ):
        # The upload session is gone (e.g. the registry restarted) or out of step: restart.
        raise _UploadRetry(
            BlobUploadError(f"{client.host}: {what}: {resp.status_code} {errors_text(resp)}"),
            restart=True,
        )
    return resp


def _send_chunks(
    client: RegistryClient,
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
        resp = _upload_request(
            client,
            "PATCH",
            location,
            f"upload chunk {start}-{end - 1} to {repository}",
            scopes,
            headers={
                "Content-Type": "application/octet-stream",
                "Content-Range": f"{start}-{end - 1}",
                "Content-Length": str(end - start),
            },
            content=_body(opener, start, end),
        )
        if resp.status_code != 202:
            client.check(resp, f"upload chunk to {repository}", BlobUploadError)
        location = client.absolute(resp.headers.get("location") or location)
        offset = end
    return location


def _commit(
    client: RegistryClient,
    repository: str,
    location: str,
    digest: str,
    opener: Callable[[], IO[bytes]] | None,
    size: int,
    scopes: list[str],
) -> None:
    headers = {"Content-Type": "application/octet-stream", "Content-Length": str(size)}
    resp = _upload_request(
        client,
        "PUT",
        location,
        f"upload {digest[:19]} to {repository}",
        scopes,
        headers=headers,
        content=_body(opener, 0, size) if opener else b"",
        params={"digest": digest},
    )
    _expect(client, resp, 201, f"upload {digest} to {repository}")


def _expect(client: RegistryClient, resp: httpx.Response, status: int, what: str) -> None:
    """BlobUploadError (or what check() says) unless the answer is ``status``."""
    if resp.status_code != status:
        client.check(resp, what, BlobUploadError)
        raise client.fail(
            BlobUploadError, f"{client.host}: {what}: expected {status}, got {resp.status_code}"
        )


def _resume_point(
    client: RegistryClient,
    repository: str,
    location: str | None,
    scopes: list[str],
    exc: _UploadRetry,
) -> tuple[str | None, int]:
    """Where to go on after a failed attempt: the registry's Range of a live upload."""
    if location is None or exc.restart:
        return None, 0
    try:
        resp = client.request("GET", location, scopes=scopes, retry=False, what="upload status")
    except RegistryError:
        return None, 0
    rng = resp.headers.get("range", "")
    if resp.status_code != 204 or not rng.startswith("0-"):
        return None, 0
    end = int(rng[2:]) if rng[2:].isdigit() else -1
    # "0-0" is ambiguous (nothing or one byte): start over rather than guess.
    if end <= 0:
        return None, 0
    return client.absolute(resp.headers.get("location") or location), end + 1


class _UploadRetry(Exception):
    """One attempt of an upload failed: try again (``restart``: from scratch)."""

    def __init__(
        self, error: RegistryError, retry_after: str | None = None, *, restart: bool = False
    ) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after
        self.restart = restart


def _body(opener: Callable[[], IO[bytes]], start: int, end: int) -> Replayable:
    return Replayable(lambda: _read_range(opener, start, end))


def _read_range(opener: Callable[[], IO[bytes]], start: int, end: int) -> Iterator[bytes]:
    """Bytes ``start`` to ``end`` of the blob, read in 1 MiB pieces (never all in memory)."""
    with opener() as handle:
        handle.seek(start)
        left = end - start
        while left > 0:
            piece = handle.read(min(_READ, left))
            if not piece:
                raise BlobUploadError(f"the blob ended {left} bytes early")
            left -= len(piece)
            yield piece
