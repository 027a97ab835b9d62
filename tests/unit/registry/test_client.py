"""The registry client's protocol logic against in-process /v2/ handlers (httpx.MockTransport)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import ssl

import httpx
import pytest
from tests.unit.registry.fakeregistry import FakeRegistry

from dockwright import errors
from dockwright.errors import AuthError, RateLimited, RegistryError, RegistryUnavailable
from dockwright.registry import BasicCredentials, RegistryClient, RetryPolicy
from dockwright.registry.auth import TokenCache, parse_challenge
from dockwright.registry.errors import map_transport_error
from dockwright.registry.manifest import DOCKER_MANIFEST
from dockwright.registry.retry import parse_retry_after

MANIFEST = json.dumps({"schemaVersion": 2, "config": {"digest": "sha256:" + "c" * 64}}).encode()
DIGEST = "sha256:" + hashlib.sha256(MANIFEST).hexdigest()
SECRET = "s3cret-Pa55"
FAST = RetryPolicy(attempts=4, base=0.01, cap=0.02)


def client_for(
    handler: httpx.MockTransport | FakeRegistry,
    creds: BasicCredentials | None = None,
    sleeps: list[float] | None = None,
) -> RegistryClient:
    transport = handler.transport() if isinstance(handler, FakeRegistry) else handler
    record = sleeps if sleeps is not None else []
    return RegistryClient(
        "reg.test", credentials=creds, transport=transport, retry=FAST, sleep=record.append
    )


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def opener(data: bytes):  # type: ignore[no-untyped-def]
    return lambda: io.BytesIO(data)


# -- auth ---------------------------------------------------------------------------------------


def test_basic_challenge_is_answered_with_credentials_then_sent_up_front() -> None:
    reg = FakeRegistry(user="alice", password=SECRET)
    client = client_for(reg, BasicCredentials("alice", SECRET))
    assert client.manifest("acme/app", "1.0.0") is None
    assert client.tags("acme/app") == []
    # one 401 for the first request only
    assert reg.log.count("GET /v2/acme/app/manifests/1.0.0") == 2
    assert reg.log.count("GET /v2/acme/app/tags/list") == 1


def test_wrong_password_is_an_auth_error_without_the_password() -> None:
    reg = FakeRegistry(user="alice", password=SECRET)
    client = client_for(reg, BasicCredentials("alice", "wrong-" + SECRET))
    with pytest.raises(AuthError) as info:
        client.manifest("acme/app", "1.0.0")
    assert SECRET not in str(info.value)
    assert "401" in str(info.value)


def test_basic_challenge_without_credentials() -> None:
    reg = FakeRegistry(user="alice", password=SECRET)
    with pytest.raises(AuthError, match="asks for a login and no credentials were given"):
        client_for(reg).ping()


class TokenRegistry:
    """Bearer flow: tokens per scope, which the registry can expire at will."""

    def __init__(self, *, user: str | None = None, expires_in: int | None = None) -> None:
        self.user = user
        self.expires_in = expires_in
        self.token_calls: list[httpx.Request] = []
        self.valid: set[str] = set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.test":
            self.token_calls.append(request)
            if self.user is not None:
                want = "Basic " + base64.b64encode(f"{self.user}:{SECRET}".encode()).decode()
                if request.headers.get("authorization") != want:
                    return httpx.Response(401, json={"details": "bad login"})
            token = f"tok-{len(self.token_calls)}-{SECRET}"
            self.valid.add(token)
            body: dict[str, object] = {"token": token}
            if self.expires_in is not None:
                body["expires_in"] = self.expires_in
            return httpx.Response(200, json=body)
        auth = request.headers.get("authorization", "")
        if auth.removeprefix("Bearer ") not in self.valid:
            return httpx.Response(
                401,
                headers={
                    "WWW-Authenticate": 'Bearer realm="https://auth.test/token",service="reg.test"'
                },
            )
        return httpx.Response(200, json={"name": "acme/app", "tags": ["1", "latest"]})


def test_bearer_token_is_fetched_once_per_scope_and_reused() -> None:
    reg = TokenRegistry()
    client = client_for(httpx.MockTransport(reg))
    assert client.tags("acme/app") == ["1", "latest"]
    assert client.tags("acme/app") == ["1", "latest"]
    assert len(reg.token_calls) == 1
    params = reg.token_calls[0].url.params
    assert params["scope"] == "repository:acme/app:pull"
    assert params["service"] == "reg.test"
    # anonymous: no Authorization to the token service
    assert "authorization" not in reg.token_calls[0].headers
    # a second scope: the realm is known, so the token is fetched without another 401
    client.tags("acme/other")
    assert len(reg.token_calls) == 2


def test_expired_token_is_refreshed() -> None:
    reg = TokenRegistry(user="alice")
    client = client_for(httpx.MockTransport(reg), BasicCredentials("alice", SECRET))
    client.tags("acme/app")
    reg.valid.clear()  # the registry no longer accepts the token
    assert client.tags("acme/app") == ["1", "latest"]
    assert len(reg.token_calls) == 2


def test_token_cache_expiry() -> None:
    now = [100.0]
    cache = TokenCache(clock=lambda: now[0])
    cache.put(["a"], "t", 60)
    assert cache.get(["a"]) == "t"
    now[0] += 55  # within the safety margin of the expiry
    assert cache.get(["a"]) is None


def test_token_service_refusing_the_login_is_an_auth_error_without_secrets() -> None:
    reg = TokenRegistry(user="alice")
    client = client_for(httpx.MockTransport(reg), BasicCredentials("alice", "nope-" + SECRET))
    with pytest.raises(AuthError, match="refused user 'alice'") as info:
        client.tags("acme/app")
    assert SECRET not in str(info.value)


def test_identity_token_uses_the_refresh_token_grant() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.test":
            seen.append(request)
            return httpx.Response(200, json={"access_token": "acc"})
        if request.headers.get("authorization") != "Bearer acc":
            return httpx.Response(
                401, headers={"WWW-Authenticate": 'Bearer realm="https://auth.test/t",service="s"'}
            )
        return httpx.Response(200, json={"tags": []})

    creds = BasicCredentials("", "", identity_token="refresh-" + SECRET)
    client_for(httpx.MockTransport(handler), creds).tags("x/y")
    assert seen[0].method == "POST"
    form = dict(httpx.QueryParams(seen[0].content.decode()))
    assert form["grant_type"] == "refresh_token"
    assert form["refresh_token"] == "refresh-" + SECRET


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


def test_credentials_repr_hides_the_password() -> None:
    creds = BasicCredentials("alice", SECRET, identity_token="tok" + SECRET)
    assert SECRET not in repr(creds)


# -- retries ------------------------------------------------------------------------------------


def test_429_is_retried_honouring_retry_after() -> None:
    reg = FakeRegistry()
    hits = []

    def limited(request: httpx.Request) -> httpx.Response | None:
        hits.append(1)
        if len(hits) <= 2:
            return httpx.Response(429, headers={"Retry-After": "0"})
        return None

    reg.faults.append(limited)
    sleeps: list[float] = []
    client_for(reg, sleeps=sleeps).ping()
    assert sleeps == [0.0, 0.0]


def test_persistent_429_is_rate_limited() -> None:
    reg = FakeRegistry(faults=[lambda r: httpx.Response(429)])
    with pytest.raises(RateLimited, match=r"429\) after 4 attempts"):
        client_for(reg).ping()


def test_5xx_and_dropped_connections_are_retried() -> None:
    reg = FakeRegistry()
    script = iter(["reset", "503", "ok"])

    def flaky(request: httpx.Request) -> httpx.Response | None:
        step = next(script, "ok")
        if step == "reset":
            raise httpx.ReadError("connection reset by peer", request=request)
        if step == "503":
            return httpx.Response(503)
        return None

    reg.faults.append(flaky)
    sleeps: list[float] = []
    client_for(reg, sleeps=sleeps).ping()
    assert len(sleeps) == 2


def test_connection_failure_is_registry_unavailable_after_retries() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    sleeps: list[float] = []
    client = client_for(httpx.MockTransport(handler), sleeps=sleeps)
    with pytest.raises(RegistryUnavailable, match=r"reg\.test: GET /v2/: cannot connect"):
        client.ping()
    assert len(sleeps) == FAST.attempts - 1


def test_retry_after_forms() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("soon") is None
    assert RetryPolicy(max_retry_after=5).delay(0, "120") == 5


def _httpx_error_classes() -> list[type[httpx.HTTPError]]:
    found: list[type[httpx.HTTPError]] = []
    todo: list[type[httpx.HTTPError]] = [httpx.HTTPError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


@pytest.mark.parametrize("cls", _httpx_error_classes(), ids=lambda c: c.__name__)
def test_every_httpx_error_maps_into_the_tree(cls: type[httpx.HTTPError]) -> None:
    request = httpx.Request("GET", "https://reg.test/v2/")
    if issubclass(cls, httpx.HTTPStatusError):
        exc: httpx.HTTPError = cls("x", request=request, response=httpx.Response(500))
    else:
        exc = cls("boom")
    mapped = map_transport_error("reg.test", "GET /v2/", exc)
    assert isinstance(mapped, RegistryError)
    assert mapped.exit_code == 1  # a registry failure, not a bug


def test_certificate_failure_maps_to_tls_error_with_the_hint() -> None:
    exc = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    exc.__cause__ = ssl.SSLCertVerificationError("self-signed")
    mapped = map_transport_error("reg.test:5443", "GET /v2/", exc)
    assert isinstance(mapped, errors.TLSVerifyError)
    assert "/etc/docker/certs.d/reg.test:5443/ca.crt" in str(mapped)


# -- blobs --------------------------------------------------------------------------------------


def test_monolithic_upload_and_existence() -> None:
    reg = FakeRegistry()
    client = client_for(reg)
    data = b"layer" * 100
    assert not client.blob_exists("a/b", digest_of(data))
    client.upload_blob("a/b", digest_of(data), len(data), opener(data))
    assert client.blob_exists("a/b", digest_of(data))
    assert reg.blobs["a/b"][digest_of(data)] == data


def test_chunked_upload_resumes_after_a_reset_mid_chunk() -> None:
    reg = FakeRegistry()
    patches = []

    def reset_second_patch(request: httpx.Request) -> httpx.Response | None:
        if request.method == "PATCH":
            patches.append(request.headers["content-range"])
            if len(patches) == 2:
                raise httpx.WriteError("connection reset", request=request)
        return None

    reg.faults.append(reset_second_patch)
    data = bytes(range(256)) * 40  # 10240 bytes in 4096-byte chunks
    client = client_for(reg)
    client.upload_blob("a/b", digest_of(data), len(data), opener(data), chunk_size=4096)
    assert reg.blobs["a/b"][digest_of(data)] == data
    # the failed chunk is sent again from where the registry says it stopped
    assert patches == ["0-4095", "4096-8191", "4096-8191", "8192-10239"]


def test_upload_restarts_when_the_session_is_lost() -> None:
    reg = FakeRegistry()
    lost = []

    def lose_session_once(request: httpx.Request) -> httpx.Response | None:
        if request.method == "PUT" and not lost:
            lost.append(1)
            reg.uploads.clear()  # as after a registry restart with a new secret
        return None

    reg.faults.append(lose_session_once)
    data = b"x" * 1000
    client_for(reg).upload_blob("a/b", digest_of(data), len(data), opener(data))
    assert reg.blobs["a/b"][digest_of(data)] == data
    assert reg.log.count("POST /v2/a/b/blobs/uploads/") == 2


def test_upload_500_every_time_fails_clearly() -> None:
    def broken(request: httpx.Request) -> httpx.Response | None:
        return httpx.Response(500) if request.method == "PUT" else None

    reg = FakeRegistry(faults=[broken])
    with pytest.raises(RegistryUnavailable, match="failed after 4 attempts"):
        client_for(reg).upload_blob("a/b", digest_of(b"x"), 1, opener(b"x"))


def test_upload_whose_blob_cannot_be_read_leaves_no_session() -> None:
    reg = FakeRegistry()

    def unreadable() -> io.BytesIO:
        raise OSError("the spool file is gone")

    with pytest.raises(OSError, match="the spool file is gone"):
        client_for(reg).upload_blob("a/b", digest_of(b"x"), 1, unreadable)
    assert reg.uploads == {}
    assert reg.log[-1].startswith("DELETE /v2/a/b/blobs/uploads/")


def test_mount_and_refused_mount() -> None:
    reg = FakeRegistry()
    client = client_for(reg)
    data = b"shared"
    client.upload_blob("a/one", digest_of(data), len(data), opener(data))
    assert client.mount_blob("a/two", digest_of(data), "a/one")
    assert client.blob_exists("a/two", digest_of(data))
    # the source lacks it: the registry opens an upload instead, which is cancelled
    assert not client.mount_blob("a/three", digest_of(b"other"), "a/one")
    assert reg.uploads == {}


# -- manifests and tags -------------------------------------------------------------------------


def _manifest_with(client: RegistryClient, repo: str) -> bytes:
    config, layer = b"{}", b"layer"
    for blob in (config, layer):
        client.upload_blob(repo, digest_of(blob), len(blob), opener(blob))
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST,
            "config": {"digest": digest_of(config), "size": 2},
            "layers": [{"digest": digest_of(layer), "size": 5}],
        }
    ).encode()


def test_manifest_put_get_head() -> None:
    reg = FakeRegistry()
    client = client_for(reg)
    raw = _manifest_with(client, "a/b")
    digest = client.put_manifest("a/b", "1.0.0", raw, DOCKER_MANIFEST)
    assert digest == digest_of(raw)
    assert client.manifest_digest("a/b", "1.0.0") == digest
    got = client.manifest("a/b", digest)
    assert got is not None and got.raw == raw and got.media_type == DOCKER_MANIFEST
    assert got.config_digest == digest_of(b"{}")
    assert [d for d, _ in got.blobs] == [digest_of(b"{}"), digest_of(b"layer")]
    assert client.manifest_digest("a/b", "nope") is None


def test_manifest_naming_a_missing_blob_is_rejected() -> None:
    reg = FakeRegistry()
    client = client_for(reg)
    raw = _manifest_with(client, "a/b")
    with pytest.raises(errors.ManifestRejected, match="MANIFEST_BLOB_UNKNOWN"):
        client.put_manifest("a/other", "1", raw, DOCKER_MANIFEST)


def test_tags_follow_link_pagination() -> None:
    reg = FakeRegistry(page=2)
    client = client_for(reg)
    raw = _manifest_with(client, "a/b")
    for tag in ["1", "1.2", "1.2.3", "latest", "sha-abc"]:
        client.put_manifest("a/b", tag, raw, DOCKER_MANIFEST)
    assert client.tags("a/b", page_size=2) == ["1", "1.2", "1.2.3", "latest", "sha-abc"]
    assert reg.log.count("GET /v2/a/b/tags/list") == 3
    assert client.tags("a/none") == []
