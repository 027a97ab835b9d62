"""TLS trust for a registry: system CAs, SSL_CERT_FILE, /etc/docker/certs.d/HOST/, an extra CA."""

from __future__ import annotations

import os
import ssl
from pathlib import Path

from dockwright.errors import ConfigError

CERTS_D = Path("/etc/docker/certs.d")


def ssl_context(host: str, extra_ca: str | None = None, certs_d: Path = CERTS_D) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE") or None)
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
    return ctx
