"""The registry client and `dockwright login` against real registries: plain, TLS + htpasswd,
and token auth (docker-registry's `auth: token` with the token server of servers.py)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.conftest import ROOT, Registries
from tests.integration.servers import TOKEN_USER, RegistryProcess, TokenServer

from dockwright.errors import AuthError, TLSVerifyError
from dockwright.registry import BasicCredentials, RegistryClient

pytestmark = pytest.mark.integration

TOKEN_PASSWORD = "tok-" + hashlib.sha256(os.urandom(8)).hexdigest()[:16]


@pytest.fixture(scope="module")
def token_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, TokenServer]]:
    work = tmp_path_factory.mktemp("token-registry")
    server = TokenServer(work, TOKEN_PASSWORD)
    reg = RegistryProcess(work / "registry", server.auth_yaml())
    reg.start()
    yield reg.address, server
    reg.stop()
    server.close()


def blob(client: RegistryClient, repo: str, data: bytes) -> str:
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    client.upload_blob(repo, digest, len(data), lambda: io.BytesIO(data))
    return digest


def test_plain_registry_round_trip(registries: Registries) -> None:
    with RegistryClient(registries.plain, insecure=True) as client:
        client.ping()
        data = os.urandom(3000)
        digest = blob(client, "itest/client", data)
        assert client.blob_exists("itest/client", digest)
        assert client.mount_blob("itest/client-mounted", digest, "itest/client")
        # chunked, resuming code path against the real registry
        big = os.urandom(5000)
        big_digest = "sha256:" + hashlib.sha256(big).hexdigest()
        client.upload_blob(
            "itest/client", big_digest, len(big), lambda: io.BytesIO(big), chunk_size=1024
        )
        assert client.blob_exists("itest/client", big_digest)


def test_tls_registry_needs_its_ca_and_the_password(registries: Registries, tmp_path: Path) -> None:
    creds = BasicCredentials(registries.username, registries.password)
    # the CA comes from /etc/docker/certs.d/127.0.0.1:5443 (scripts/registry.sh), or `ca`
    with RegistryClient(registries.tls, credentials=creds, ca=str(registries.ca)) as client:
        client.ping()
        blob(client, "itest/tls", b"tls blob")
    empty = tmp_path / "certs.d"
    empty.mkdir()
    from dockwright.registry import tls

    ctx = tls.ssl_context(registries.tls, None, certs_d=empty)
    with pytest.raises(TLSVerifyError, match="certificate is not trusted"):
        import httpx

        with RegistryClient(
            registries.tls, credentials=creds, transport=httpx.HTTPTransport(verify=ctx)
        ) as c:
            c.ping()
    with (
        RegistryClient(registries.tls, credentials=BasicCredentials("dockwright", "wrong")) as bad,
        pytest.raises(AuthError),
    ):
        bad.ping()


def test_token_registry_anonymous_pull_only(token_registry: tuple[str, TokenServer]) -> None:
    address, server = token_registry
    with RegistryClient(address, insecure=True) as anon:
        anon.ping()
        assert anon.tags("public/none") == []
        with pytest.raises(AuthError):
            blob(anon, "anon/push", b"x")
    assert all(r["user"] is None for r in server.requests)


def test_token_registry_push_with_token_reuse(token_registry: tuple[str, TokenServer]) -> None:
    address, server = token_registry
    before = len(server.requests)
    creds = BasicCredentials(TOKEN_USER, TOKEN_PASSWORD)
    with RegistryClient(address, insecure=True, credentials=creds) as client:
        client.ping()
        digests = [blob(client, "team/app", os.urandom(100)) for _ in range(3)]
        assert all(client.blob_exists("team/app", d) for d in digests)
        assert client.mount_blob("team/other", digests[0], "team/app")
    scopes = [tuple(r["scope"]) for r in server.requests[before:]]  # type: ignore[arg-type]
    # one token per scope set, reused for every request under it
    assert len(scopes) == len(set(scopes))
    with (
        RegistryClient(
            address, insecure=True, credentials=BasicCredentials(TOKEN_USER, "nope")
        ) as bad,
        pytest.raises(AuthError, match="token service refused user 'tokenuser'"),
    ):
        bad.ping()


def dockwright(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockwright", *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_login_stores_like_docker_and_never_prints_the_password(
    registries: Registries, tmp_path: Path, token_registry: tuple[str, TokenServer]
) -> None:
    env = {"DOCKER_CONFIG": str(tmp_path)}
    done = dockwright("login", registries.tls, "-u", registries.username, "--password-stdin",
                      stdin=registries.password + "\n", env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Login Succeeded" in done.stdout
    auth = json.loads((tmp_path / "config.json").read_text())["auths"][registries.tls]["auth"]
    assert base64.b64decode(auth).decode() == f"{registries.username}:{registries.password}"
    bad = dockwright("login", registries.tls, "-u", registries.username, "--password-stdin",
                     stdin="wrong-" + registries.password, env=env)  # fmt: skip
    assert bad.returncode != 0
    assert "refused" in bad.stderr
    address, _ = token_registry
    tok = dockwright("login", address, "--insecure", "-u", TOKEN_USER, "--password-stdin",
                     stdin=TOKEN_PASSWORD, env=env)  # fmt: skip
    assert tok.returncode == 0, tok.stderr
    for out in (done, bad, tok):
        text = out.stdout + out.stderr
        assert registries.password not in text and TOKEN_PASSWORD not in text
        assert "Traceback" not in text
