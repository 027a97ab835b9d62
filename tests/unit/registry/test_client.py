"""The registry client against an in-process /v2/ handler (httpx.MockTransport)."""

from __future__ import annotations

import base64
import hashlib
import json

import httpx
import pytest

from dockwright.errors import AuthError, RegistryError
from dockwright.registry import BasicCredentials, RegistryClient
from dockwright.registry.auth import parse_challenge

MANIFEST = json.dumps({"schemaVersion": 2, "config": {"digest": "sha256:" + "c" * 64}}).encode()
DIGEST = "sha256:" + hashlib.sha256(MANIFEST).hexdigest()
SECRET = "s3cret-Pa55"


def basic_registry(request: httpx.Request) -> httpx.Response:
    want = "Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()
    if request.headers.get("authorization") != want:
        return httpx.Response(401, headers={"WWW-Authenticate": 'Basic realm="r"'})
    if request.url.path == "/v2/acme/app/manifests/1.0.0":
        return httpx.Response(
            200,
            content=MANIFEST,
            headers={
                "Content-Type": "application/vnd.docker.distribution.manifest.v2+json",
                "Docker-Content-Digest": DIGEST,
            },
        )
    return httpx.Response(404, json={"errors": [{"code": "MANIFEST_UNKNOWN"}]})


def test_basic_challenge_is_answered_with_credentials() -> None:
    client = RegistryClient(
        "reg.test",
        credentials=BasicCredentials("alice", SECRET),
        transport=httpx.MockTransport(basic_registry),
    )
    manifest = client.manifest("acme/app", "1.0.0")
    assert manifest is not None
    assert manifest.digest == DIGEST
    assert manifest.config_digest == "sha256:" + "c" * 64
    assert client.manifest("acme/app", "nope") is None


def test_wrong_password_is_an_auth_error_without_the_password() -> None:
    client = RegistryClient(
        "reg.test",
        credentials=BasicCredentials("alice", "wrong-" + SECRET),
        transport=httpx.MockTransport(basic_registry),
    )
    with pytest.raises(AuthError) as info:
        client.manifest("acme/app", "1.0.0")
    assert SECRET not in str(info.value)
    assert "401" in str(info.value)


def test_bearer_token_is_fetched_once_per_scope_and_reused() -> None:
    token_calls: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.test":
            token_calls.append(request.url)
            return httpx.Response(200, json={"token": "tok-1"})
        if request.headers.get("authorization") != "Bearer tok-1":
            return httpx.Response(
                401,
                headers={
                    "WWW-Authenticate": 'Bearer realm="https://auth.test/token",service="reg.test"'
                },
            )
        return httpx.Response(200, json={"name": "acme/app", "tags": ["1", "latest"]})

    client = RegistryClient("reg.test", transport=httpx.MockTransport(handler))
    assert client.tags("acme/app") == ["1", "latest"]
    assert client.tags("acme/app") == ["1", "latest"]
    assert len(token_calls) == 1
    assert token_calls[0].params["scope"] == "repository:acme/app:pull"
    assert token_calls[0].params["service"] == "reg.test"


def test_connection_failure_is_a_registry_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = RegistryClient("reg.test", transport=httpx.MockTransport(handler))
    with pytest.raises(RegistryError, match=r"reg\.test: GET /v2/: ConnectError"):
        client.ping()


def test_credentials_repr_hides_the_password() -> None:
    assert SECRET not in repr(BasicCredentials("alice", SECRET))


@pytest.mark.parametrize(
    ("header", "scheme", "params"),
    [
        ('Basic realm="Registry Realm"', "basic", {"realm": "Registry Realm"}),
        (
            'Bearer realm="https://a/token",service="reg",scope="repository:x/y:pull,push"',
            "bearer",
            {"realm": "https://a/token", "service": "reg", "scope": "repository:x/y:pull,push"},
        ),
    ],
)
def test_parse_challenge(header: str, scheme: str, params: dict[str, str]) -> None:
    challenge = parse_challenge(header)
    assert challenge.scheme == scheme
    assert challenge.params == params
