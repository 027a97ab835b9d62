"""TLS trust for a registry: system CAs, SSL_CERT_FILE, /etc/docker/certs.d/HOST/, an extra CA."""

from __future__ import annotations

import os
import ssl
import threading
from pathlib import Path
from typing import Any

from dockwright.errors import ConfigError

CERTS_D = Path("/etc/docker/certs.d")


def ssl_context(host: str, extra_ca: str | None = None, certs_d: Path = CERTS_D) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE") or None)
    _load_extra(ctx, host, extra_ca, certs_d)
    return ctx


def _load_extra(ctx: ssl.SSLContext, host: str, extra_ca: str | None, certs_d: Path) -> None:
    host_dir = certs_d / host
    if host_dir.is_dir():
        # Docker's convention: every *.crt in the host's directory is a CA.
        for ca in sorted(host_dir.glob("*.crt")):
            ctx.load_verify_locations(cafile=str(ca))
    if extra_ca:
        try:
            ctx.load_verify_locations(cafile=extra_ca)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"cannot load the CA certificate {extra_ca}: {exc}") from exc


class _DeferredTrust(ssl.SSLContext):
    """Verifies exactly as :func:`ssl_context`, but loads the CAs at the first handshake.

    Loading the system CAs costs about 20 ms; a plain-HTTP registry only ever needs them if it
    redirects to https (e.g. blob storage), so they are not loaded up front.
    """

    _trust_host: str
    _trust_certs_d: Path
    _trust_lock: threading.Lock
    _trust_loaded: bool

    def _load_trust(self) -> None:
        with self._trust_lock:
            if self._trust_loaded:
                return
            cafile = os.environ.get("SSL_CERT_FILE") or None
            if cafile:
                self.load_verify_locations(cafile=cafile)
            else:
                self.load_default_certs(ssl.Purpose.SERVER_AUTH)
            _load_extra(self, self._trust_host, None, self._trust_certs_d)
            self._trust_loaded = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self._load_trust()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self._load_trust()
        return super().wrap_bio(*args, **kwargs)


def deferred_ssl_context(host: str, certs_d: Path = CERTS_D) -> ssl.SSLContext:
    """:func:`ssl_context` (without an extra CA) that loads its CAs only when first used."""
    ctx = _DeferredTrust(ssl.PROTOCOL_TLS_CLIENT)  # verifies certificates and host names
    ctx._trust_host = host
    ctx._trust_certs_d = certs_d
    ctx._trust_lock = threading.Lock()
    ctx._trust_loaded = False
    return ctx
