"""A plain-HTTP registry's client loads CAs only at its first TLS handshake (a redirect)."""

from __future__ import annotations

import ssl
from pathlib import Path

import certifi
import pytest

from dockwright.registry import RegistryClient
from dockwright.registry.tls import deferred_ssl_context


def test_deferred_context_loads_trust_at_the_first_handshake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    ctx = deferred_ssl_context("reg.test:5000", certs_d=tmp_path)
    assert (ctx.verify_mode, ctx.check_hostname) == (ssl.CERT_REQUIRED, True)
    assert ctx.cert_store_stats()["x509_ca"] == 0
    ctx.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="reg.test")
    loaded = ctx.cert_store_stats()["x509_ca"]
    assert loaded > 0
    ctx.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="reg.test")
    assert ctx.cert_store_stats()["x509_ca"] == loaded  # loaded once


def test_insecure_client_starts_without_loading_cas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    with RegistryClient("127.0.0.1:5000", insecure=True) as client:
        ctx = client._http._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert isinstance(ctx, ssl.SSLContext)
        assert ctx.cert_store_stats()["x509_ca"] == 0
