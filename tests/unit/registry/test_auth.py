"""The registry auth flow (httpx.Auth): Basic, Bearer tokens from a token service, refreshes,
refusals, and no secret in any message. A fake registry and token service on MockTransport."""

from __future__ import annotations

import base64
import hashlib
import io
import threading
from collections.abc import Callable

import httpx
import pytest

from dockwright.errors import AuthError, RegistryUnavailable
from dockwright.registry import BasicCredentials, RegistryClient, RetryPolicy
from dockwright.registry.auth import AuthSession
from dockwright.registry.errors import Secrets

SECRET = "pa55-Secret-9"
FAST = RetryPolicy(attempts=3, base=0.0, cap=0.0)
REALM = "https://auth.test/token"
CHALLENGE = f'Bearer realm="{REALM}",service="reg.test"'


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class Registry:
    """A registry that wants ``scheme`` ("basic" or "bearer") and its token service.

    Tokens name the scopes they were issued for; ``revoked`` ones are refused. The token
    service grants any scope to ``user``/SECRET and pull scopes to anonymous callers.
    """

    def __init__(self, scheme: str = "bearer", user: str | None = "alice") -> None:
        self.scheme = scheme
        self.user = user
        self.token_requests: list[httpx.Request] = []
        self.seen: list[tuple[str, str | None]] = []  # (method, Authorization) as received
        self.issued: dict[str, tuple[str, ...]] = {}
        self.revoked: set[str] = set()
        self.token_faults: list[Callable[[httpx.Request], httpx.Response | None]] = []
        self.expires_in: int | None = None
        self.bodies: list[bytes] = []
        self.refuse_next_patch = False  # as if the token were revoked just then

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "auth.test":
            return self.token(request)
        body = request.read()
        self.seen.append((request.method, request.headers.get("authorization")))
        auth = request.headers.get("authorization", "")
        if self.scheme == "basic":
            if auth != basic(self.user or "", SECRET):
                return httpx.Response(401, headers={"WWW-Authenticate": 'Basic realm="reg"'})
        else:
            token = auth.removeprefix("Bearer ")
            if token not in self.issued or token in self.revoked:
                return httpx.Response(401, headers={"WWW-Authenticate": CHALLENGE})
            if request.method == "PATCH" and self.refuse_next_patch:
                self.refuse_next_patch = False
                self.revoked.add(token)
                return httpx.Response(401, headers={"WWW-Authenticate": CHALLENGE})
            needed = self.scope_of(request)
            if needed and needed not in self.issued[token]:
                return httpx.Response(401, headers={"WWW-Authenticate": CHALLENGE})
        if request.method == "PATCH":
            self.bodies.append(body)
            return httpx.Response(202, headers={"Location": "/v2/a/b/blobs/uploads/1"})
        if request.method == "POST":
            return httpx.Response(202, headers={"Location": "/v2/a/b/blobs/uploads/1"})
        if request.method == "PUT":
            return httpx.Response(201)
        return httpx.Response(200, json={"tags": []})

    @staticmethod
    def scope_of(request: httpx.Request) -> str | None:
        parts = request.url.path.split("/")
        if len(parts) < 4:
            return None
        name = "/".join(parts[2:-2]) if parts[-2] != "uploads" else "/".join(parts[2:-3])
        if request.method in ("GET", "HEAD"):
            return f"repository:{name}:pull"
        return f"repository:{name}:pull,push"

    def token(self, request: httpx.Request) -> httpx.Response:
        self.token_requests.append(request)
        for fault in self.token_faults:
            answer = fault(request)
            if answer is not None:
                return answer
        auth = request.headers.get("authorization")
        if auth is not None and auth != basic(self.user or "", SECRET):
            return httpx.Response(401, json={"details": "incorrect username or password"})
        if request.method == "POST":
            form = dict(httpx.QueryParams(request.content.decode()))
            if form.get("refresh_token") != "refresh-" + SECRET:
                return httpx.Response(401)
            scopes = form["scope"].split()
        else:
            scopes = request.url.params.get_list("scope")
        if auth is None and request.method != "POST":
            scopes = [s for s in scopes if s.endswith(":pull")]
        token = f"tok{len(self.token_requests)}-{SECRET}"
        self.issued[token] = tuple(scopes)
        body: dict[str, object] = {"token" if request.method == "GET" else "access_token": token}
        if self.expires_in is not None:
            body["expires_in"] = self.expires_in
        return httpx.Response(200, json=body)


def client(reg: Registry, creds: BasicCredentials | None = None) -> RegistryClient:
    return RegistryClient(
        "reg.test", credentials=creds, transport=reg.transport(), retry=FAST, sleep=lambda s: None
    )


ALICE = BasicCredentials("alice", SECRET)


def test_basic_is_sent_once_the_registry_asks_for_it() -> None:
    reg = Registry("basic")
    with client(reg, ALICE) as c:
        c.ping()
        c.tags("a/b")
    assert [auth for _, auth in reg.seen] == [None, basic("alice", SECRET), basic("alice", SECRET)]


def test_the_flow_serves_any_httpx_client() -> None:
    reg = Registry("basic")
    with httpx.Client(transport=reg.transport()) as http:
        session = AuthSession("reg.test", ALICE, http, retry=FAST, sleep=lambda s: None,
                              secrets=Secrets())  # fmt: skip
        answer = http.get("https://reg.test/v2/", auth=session.flow(()))
    assert answer.status_code == 200
    assert [auth for _, auth in reg.seen] == [None, basic("alice", SECRET)]


def test_bearer_anonymous_pull() -> None:
    reg = Registry()
    with client(reg) as c:
        c.ping()
        assert c.tags("a/b") == []
        assert c.tags("a/b") == []
    # the ping's token, then one for the pull scope, reused
    assert [r.url.params.get_list("scope") for r in reg.token_requests] == [
        [],
        ["repository:a/b:pull"],
    ]
    assert all("authorization" not in r.headers for r in reg.token_requests)
    assert all(r.url.params["service"] == "reg.test" for r in reg.token_requests)


def test_bearer_with_credentials_fetches_one_token_per_scope_set() -> None:
    reg = Registry()
    with client(reg, ALICE) as c:
        c.ping()
        c.upload_blob("a/b", "sha256:" + hashlib.sha256(b"x").hexdigest(), 1,
                      lambda: io.BytesIO(b"x"))  # fmt: skip
        c.tags("a/b")
    assert [r.url.params.get_list("scope") for r in reg.token_requests] == [
        [],
        ["repository:a/b:pull,push"],
        ["repository:a/b:pull"],
    ]
    assert all(r.headers["authorization"] == basic("alice", SECRET) for r in reg.token_requests)
    # once the token service is known, a new scope set costs no 401
    assert [method for method, _ in reg.seen] == ["GET", "GET", "POST", "PUT", "GET"]


def test_concurrent_requests_share_one_token_fetch() -> None:
    reg = Registry()
    with client(reg, ALICE) as c:
        c.ping()
        threads = [threading.Thread(target=c.tags, args=("a/b",)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert [r.url.params.get_list("scope") for r in reg.token_requests] == [
        [],
        ["repository:a/b:pull"],
    ]


def test_identity_token_refresh_grant() -> None:
    reg = Registry()
    creds = BasicCredentials("", "", identity_token="refresh-" + SECRET)
    with client(reg, creds) as c:
        c.tags("a/b")
    (grant,) = reg.token_requests
    assert grant.method == "POST" and "authorization" not in grant.headers
    assert dict(httpx.QueryParams(grant.content.decode())) == {
        "grant_type": "refresh_token",
        "refresh_token": "refresh-" + SECRET,
        "service": "reg.test",
        "client_id": "dockwright",
        "scope": "repository:a/b:pull",
    }


def test_a_revoked_token_is_replaced_and_the_request_sent_again() -> None:
    reg = Registry()
    with client(reg, ALICE) as c:
        c.tags("a/b")
        reg.revoked.update(reg.issued)
        assert c.tags("a/b") == []
    assert len(reg.token_requests) == 2


def test_an_expired_token_is_not_sent() -> None:
    reg = Registry()
    reg.expires_in = 60
    now = [1000.0]
    with httpx.Client(transport=reg.transport()) as http:
        session = AuthSession("reg.test", ALICE, http, retry=FAST, sleep=lambda s: None,
                              secrets=Secrets(), clock=lambda: now[0])  # fmt: skip
        url = "https://reg.test/v2/a/b/tags/list"
        scopes = ["repository:a/b:pull"]
        assert http.get(url, auth=session.flow(scopes)).status_code == 200
        assert http.get(url, auth=session.flow(scopes)).status_code == 200
        assert len(reg.token_requests) == 1
        now[0] += 55  # within the margin before its expiry: a new token, without a 401
        assert http.get(url, auth=session.flow(scopes)).status_code == 200
    assert len(reg.token_requests) == 2
    # the first request learns of the token service from its 401
    assert [auth for _, auth in reg.seen] == [
        None,
        "Bearer tok1-" + SECRET,
        "Bearer tok1-" + SECRET,
        "Bearer tok2-" + SECRET,
    ]


def test_a_streamed_upload_gets_its_token_first_and_is_resent_whole_after_a_refusal() -> None:
    reg = Registry()
    chunks = [b"one-", b"two-", b"three"]
    with client(reg, ALICE) as c:
        c.ping()
        location = c.stream_blob("a/b", lambda: iter(chunks))
        assert location.endswith("/v2/a/b/blobs/uploads/1")
        # the PATCH went with the token fetched for the POST that opened the upload
        assert [method for method, _ in reg.seen] == ["GET", "GET", "POST", "PATCH"]
        reg.refuse_next_patch = True
        c.stream_blob("a/b", lambda: iter(chunks))
    assert [method for method, _ in reg.seen][4:] == ["POST", "PATCH", "PATCH"]
    # the refused PATCH is sent again with a fresh token and its whole body, read anew
    assert reg.bodies == [b"one-two-three"] * 2
    assert len(reg.token_requests) == 3


def test_refused_credentials_are_a_clear_auth_error() -> None:
    reg = Registry()
    with (
        client(reg, BasicCredentials("alice", "wrong-" + SECRET)) as c,
        pytest.raises(AuthError) as info,
    ):
        c.ping()
    assert str(info.value) == "reg.test: the token service refused user 'alice' (401)"
    reg = Registry("basic")
    with (
        client(reg, BasicCredentials("alice", "wrong-" + SECRET)) as c,
        pytest.raises(AuthError) as info,
    ):
        c.ping()
    assert str(info.value) == "reg.test: GET /v2/ was refused (401 Unauthorized)"


def test_anonymous_push_is_refused_clearly() -> None:
    reg = Registry()
    with client(reg) as c, pytest.raises(AuthError) as info:
        c.put_manifest("a/b", "1", b"{}", "application/json")
    assert str(info.value) == (
        "reg.test: PUT manifest a/b:1 was refused (401 Unauthorized); no credentials were given"
    )


def test_a_login_the_registry_asks_for_and_no_credentials() -> None:
    with client(Registry("basic")) as c, pytest.raises(AuthError) as info:
        c.ping()
    assert str(info.value) == "reg.test asks for a login and no credentials were given"


def test_unsupported_scheme_and_challenge_without_realm() -> None:
    def handler(header: str) -> httpx.MockTransport:
        return httpx.MockTransport(
            lambda r: httpx.Response(401, headers={"WWW-Authenticate": header})
        )

    for header, message in [
        ('Negotiate realm="x"', "reg.test asks for unsupported auth scheme 'negotiate'"),
        ('Bearer service="reg.test"', "reg.test: Bearer challenge without a realm"),
    ]:
        with (
            RegistryClient("reg.test", transport=handler(header)) as c,
            pytest.raises(AuthError) as info,
        ):
            c.ping()
        assert str(info.value) == message


def test_the_token_fetch_is_retried_like_any_request() -> None:
    reg = Registry()
    script = iter(["reset", "503"])

    def flaky(request: httpx.Request) -> httpx.Response | None:
        step = next(script, None)
        if step == "reset":
            raise httpx.ReadError("connection reset by peer", request=request)
        return httpx.Response(503, headers={"Retry-After": "0"}) if step == "503" else None

    reg.token_faults.append(flaky)
    sleeps: list[float] = []
    c = RegistryClient("reg.test", credentials=ALICE, transport=reg.transport(), retry=FAST,
                       sleep=sleeps.append)  # fmt: skip
    with c:
        c.ping()
    assert len(reg.token_requests) == 3 and len(sleeps) == 2


def test_a_token_service_that_stays_down() -> None:
    reg = Registry()
    reg.token_faults.append(
        lambda r: httpx.Response(503, json={"errors": [{"code": "UNAVAILABLE"}]})
    )
    with client(reg, ALICE) as c, pytest.raises(AuthError) as info:
        c.ping()
    assert str(info.value) == "reg.test: the token service failed (503): UNAVAILABLE"
    assert len(reg.token_requests) == FAST.attempts

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    reg.token_faults[:] = [down]
    with client(reg, ALICE) as c, pytest.raises(RegistryUnavailable) as unavailable:
        c.ping()
    assert str(unavailable.value) == (
        "reg.test: token from auth.test: cannot connect (connection refused)"
    )


def test_secrets_never_show_in_messages() -> None:
    reg = Registry()
    echo = httpx.Response(400, text=f"bad request: password {SECRET}")
    reg.token_faults.append(lambda r: echo)
    with client(reg, ALICE) as c, pytest.raises(AuthError) as info:
        c.ping()
    assert str(info.value) == "reg.test: the token service failed (400): bad request: password ***"
    # a registry that echoes the token it refused
    reg = Registry()
    with client(reg, ALICE) as c:
        c.tags("a/b")
        (token,) = [t for t, scopes in reg.issued.items() if scopes]
        reg.revoked.add(token)
        reg.token_faults.append(lambda r: httpx.Response(200, json={"token": token}))
        with pytest.raises(AuthError) as refused:
            c.tags("a/b")
    assert token not in str(refused.value) and SECRET not in str(refused.value)
    assert repr(ALICE) == "BasicCredentials(username='alice', password=<hidden>)"
