"""The Docker Engine API's transport: an httpx client on the daemon's socket, the API version
both sides speak, and every transport failure mapped onto :mod:`dockwright.errors` in
:func:`api_errors`, the one boundary of the Docker backend."""

from __future__ import annotations

import io
import json
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import httpx

from dockwright.engine.base import EngineVersion
from dockwright.errors import ApiError, DaemonUnavailable, EngineError, ImageNotFound, UsageError

DEFAULT_HOST = "unix:///var/run/docker.sock"
# Newest Engine API this client speaks; the daemon's own version caps it (20.10 -> 1.41).
MAX_API_VERSION = "1.43"
START_HINT = "run scripts/engine.sh, or start dockerd / set DOCKER_HOST"
STREAMING = httpx.Timeout(None, connect=5.0)  # pulls, saves, exports: as long as they take
NO_TIMEOUT = httpx.Timeout(None)  # pushes: the daemon may queue them before it answers


def api_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


@contextmanager
def api_errors(
    host: str, what: str, *, daemon: str = "Docker daemon", hint: str = START_HINT
) -> Iterator[None]:
    """Map transport failures of one Engine API call onto the dockwright error tree."""
    try:
        yield
    except (httpx.ConnectError, httpx.ConnectTimeout, ConnectionError) as exc:
        raise DaemonUnavailable(f"cannot reach the {daemon} at {host} ({exc}); {hint}") from exc
    except httpx.TimeoutException as exc:
        raise EngineError(f"{what}: the {daemon} at {host} did not answer in time") from exc
    except httpx.HTTPError as exc:
        raise EngineError(f"{what}: talking to the {daemon} at {host} failed: {exc}") from exc


def _message(response: httpx.Response) -> str:
    try:
        body = response.read()
        data = json.loads(body)
        if isinstance(data, dict) and isinstance(data.get("message"), str):
            return str(data["message"])
        return body.decode(errors="replace").strip()
    except (ValueError, httpx.HTTPError):
        return response.reason_phrase


def check(response: httpx.Response, what: str, *, image: str | None = None) -> None:
    """Raise the error an answer of 400 or more means (ImageNotFound for a 404 about ``image``)."""
    if response.status_code < 400:
        return
    message = _message(response)
    if response.status_code == 404 and image is not None:
        raise ImageNotFound(f"{what}: no such image: {image} ({message})")
    raise ApiError(what, response.status_code, message)


class ResponseReader(io.RawIOBase):
    """A file object over a streamed httpx response, for ``tarfile`` stream mode."""

    def __init__(self, response: httpx.Response) -> None:
        self._chunks = response.iter_bytes()
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(b), len(self._buffer))
        b[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


class EngineAPI:
    """The daemon at ``host`` (``unix:///PATH`` or ``tcp://HOST:PORT``; default
    ``$DOCKER_HOST``, else the local socket). Paths are given without the version prefix,
    which is negotiated on first use. ``daemon`` and ``hint`` name the service in errors.
    Thread-safe."""

    def __init__(
        self, host: str | None = None, *, daemon: str = "Docker daemon", hint: str = START_HINT
    ) -> None:
        self.host = host or os.environ.get("DOCKER_HOST") or DEFAULT_HOST
        self.daemon = daemon
        self.hint = hint
        # Both forms speak plain HTTP to the daemon: there is no certificate to verify.
        if self.host.startswith("unix://"):
            transport = httpx.HTTPTransport(uds=self.host[len("unix://") :], verify=False)
            base_url = "http://docker"
        elif self.host.startswith("tcp://"):
            transport = httpx.HTTPTransport(verify=False)
            base_url = "http://" + self.host[len("tcp://") :]
        else:
            raise UsageError(
                f"unsupported DOCKER_HOST {self.host!r}: expected unix:///PATH or tcp://HOST:PORT"
            )
        self._client = httpx.Client(
            transport=transport, base_url=base_url, timeout=httpx.Timeout(60.0, connect=5.0)
        )
        self._prefix: str | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def _errors(self, what: str) -> AbstractContextManager[None]:
        return api_errors(self.host, what, daemon=self.daemon, hint=self.hint)

    def version(self) -> EngineVersion:
        with self._errors("version"):
            response = self._client.get("/version")
            check(response, "version")
            data = response.json()
        return EngineVersion(
            version=str(data.get("Version", "")),
            api_version=str(data.get("ApiVersion", "")),
            min_api_version=str(data.get("MinAPIVersion", "")),
            os=str(data.get("Os", "")),
            arch=str(data.get("Arch", "")),
        )

    def ping(self) -> None:
        with self._errors("ping"):
            check(self._client.get("/_ping"), "ping")

    def url(self, path: str) -> str:
        """``path`` under the API version both sides speak (asked of the daemon once)."""
        with self._lock:
            if self._prefix is None:
                version = self.version().api_version
                chosen = min(version, MAX_API_VERSION, key=api_tuple)
                self._prefix = f"/v{chosen}"
            return self._prefix + path

    def request(
        self,
        method: str,
        path: str,
        what: str,
        *,
        image: str | None = None,
        params: Mapping[str, str | int] | None = None,
        json_body: object = None,
        timeout: float | httpx.Timeout | None = None,
        expect_json: bool = True,
    ) -> Any:
        """One call: the decoded JSON answer (or the raw bytes, or ``b""`` when empty)."""
        url = self.url(path)
        kwargs: dict[str, Any] = {"params": params, "json": json_body}
        if timeout is not None:
            kwargs["timeout"] = timeout
        with self._errors(what):
            response = self._client.request(method, url, **kwargs)
            check(response, what, image=image)
            if not expect_json or not response.content.strip():
                return response.content
            return response.json()

    def head(
        self, path: str, what: str, *, params: Mapping[str, str] | None = None
    ) -> httpx.Response:
        """A HEAD request; the caller reads its status and headers."""
        url = self.url(path)
        with self._errors(what):
            return self._client.head(url, params=params)

    @contextmanager
    def stream(
        self,
        method: str,
        path: str,
        what: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | None = None,
        content: Iterator[bytes] | None = None,
    ) -> Iterator[httpx.Response]:
        """A streamed answer, unchecked (the caller may treat some statuses as data); transport
        failures while the block reads it are mapped too. ``content`` streams a request body."""
        url = self.url(path)
        kwargs: dict[str, Any] = {"params": params, "headers": headers}
        if content is not None:
            kwargs["content"] = content
        if timeout is not None:
            kwargs["timeout"] = timeout
        with (
            self._errors(what),
            self._client.stream(method, url, **kwargs) as response,
        ):
            yield response
