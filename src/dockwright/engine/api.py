"""The Docker Engine API's transport: its errors mapped onto :mod:`dockwright.errors` (the one
boundary of the Docker backend) and a file object over a streamed response."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from dockwright.errors import ApiError, DaemonUnavailable, EngineError, ImageNotFound

DEFAULT_HOST = "unix:///var/run/docker.sock"
# Newest Engine API this client speaks; the daemon's own version caps it (20.10 -> 1.41).
MAX_API_VERSION = "1.43"
START_HINT = "run scripts/engine.sh, or start dockerd / set DOCKER_HOST"


def _api_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


@contextmanager
def _api_errors(host: str, what: str) -> Iterator[None]:
    """Map transport failures of one Engine API call onto the dockwright error tree."""
    try:
        yield
    except (httpx.ConnectError, httpx.ConnectTimeout, ConnectionError) as exc:
        raise DaemonUnavailable(
            f"cannot reach the Docker daemon at {host} ({exc}); {START_HINT}"
        ) from exc
    except httpx.TimeoutException as exc:
        raise EngineError(f"{what}: the Docker daemon at {host} did not answer in time") from exc
    except httpx.HTTPError as exc:
        raise EngineError(f"{what}: talking to the Docker daemon at {host} failed: {exc}") from exc


def _message(response: httpx.Response) -> str:
    try:
        body = response.read()
        data = json.loads(body)
        if isinstance(data, dict) and isinstance(data.get("message"), str):
            return str(data["message"])
        return body.decode(errors="replace").strip()
    except (ValueError, httpx.HTTPError):
        return response.reason_phrase


def _check(response: httpx.Response, what: str, *, image: str | None = None) -> None:
    if response.status_code < 400:
        return
    message = _message(response)
    if response.status_code == 404 and image is not None:
        raise ImageNotFound(f"{what}: no such image: {image} ({message})")
    raise ApiError(what, response.status_code, message)


class _ResponseReader(io.RawIOBase):
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
