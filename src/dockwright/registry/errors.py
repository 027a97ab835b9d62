"""How this backend's failures read: every httpx failure mapped onto :mod:`dockwright.errors`
(in :func:`map_transport_error`, the one boundary), the registry's own error bodies, and the
secrets scrubbed from every message."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterable

import httpx

from dockwright.errors import RegistryError, RegistryUnavailable, TLSVerifyError

_PLAIN_HINT = "; if this registry speaks plain HTTP, set `insecure: true` for it"


def is_cert_failure(exc: BaseException) -> bool:
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
    if is_cert_failure(exc):
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


def errors_text(resp: httpx.Response) -> str:
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


class Secrets:
    """The secrets of one client (passwords, identity and bearer tokens), taken out of every
    message it raises; thread-safe."""

    def __init__(self, known: Iterable[str] = ()) -> None:
        self._known = {s for s in known if s}
        self._lock = threading.Lock()

    def add(self, secret: str) -> None:
        with self._lock:
            self._known.add(secret)

    def scrub(self, text: str) -> str:
        with self._lock:
            known = list(self._known)
        for secret in known:
            text = text.replace(secret, "***")
        return text
