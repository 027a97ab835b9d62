"""Registry auth as an httpx auth flow: HTTP Basic, and the Bearer token flow of the
distribution spec (the registry's challenge, a token per scope set from its token service,
reused until shortly before it expires and fetched afresh when the registry refuses it).

:class:`AuthSession` holds what one client learned of its registry's auth, shared by its
threads; :class:`RegistryAuth` is the flow of one request, with the scopes it needs.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator, Sequence
from dataclasses import dataclass, field

import httpx

from dockwright.errors import AuthError, RegistryError
from dockwright.registry.credentials import BasicCredentials
from dockwright.registry.errors import Secrets, errors_text, map_transport_error
from dockwright.registry.retry import RetryPolicy, send_with_retries


@dataclass(frozen=True)
class Challenge:
    scheme: str  # "basic" or "bearer", lower-cased
    params: dict[str, str]


_PARAM = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def parse_challenge(header: str) -> Challenge:
    """Parse a ``WWW-Authenticate`` header value (one challenge, as registries send)."""
    scheme, _, rest = header.strip().partition(" ")
    params = {
        m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _PARAM.finditer(rest)
    }
    return Challenge(scheme.lower(), params)


@dataclass(frozen=True)
class Token:
    value: str = field(repr=False)
    expires: float  # time.monotonic() deadline


# Seconds before expiry at which a token counts as stale, so a request never races its expiry.
_EXPIRY_MARGIN = 10.0
# The distribution spec's default lifetime when the token service gives none.
_DEFAULT_LIFETIME = 60.0


class TokenCache:
    """Bearer tokens by scope set, with expiry; thread-safe (blobs upload concurrently)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._tokens: dict[tuple[str, ...], Token] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def get(self, scopes: Sequence[str]) -> str | None:
        key = tuple(sorted(scopes))
        with self._lock:
            token = self._tokens.get(key)
            if token is None:
                return None
            if token.expires - _EXPIRY_MARGIN <= self._clock():
                del self._tokens[key]
                return None
            return token.value

    def put(self, scopes: Sequence[str], value: str, expires_in: float | None) -> None:
        lifetime = expires_in if expires_in and expires_in > 0 else _DEFAULT_LIFETIME
        # A token shorter-lived than the margin is still used once rather than never.
        lifetime = max(lifetime, _EXPIRY_MARGIN + 1.0)
        with self._lock:
            self._tokens[tuple(sorted(scopes))] = Token(value, self._clock() + lifetime)

    def drop(self, scopes: Sequence[str], value: str | None = None) -> None:
        """Forget the token of ``scopes`` (only if it is still ``value``, when given: another
        thread may have fetched a fresh one meanwhile)."""
        key = tuple(sorted(scopes))
        with self._lock:
            token = self._tokens.get(key)
            if token is not None and (value is None or token.value == value):
                del self._tokens[key]


class AuthSession:
    """What one client knows of its registry's auth: whether it wants Basic, its Bearer
    challenge (the token service), and the tokens fetched so far. Thread-safe: one token fetch
    per scope set at a time, the others wait for its token."""

    def __init__(
        self,
        host: str,
        credentials: BasicCredentials | None,
        http: httpx.Client,
        *,
        retry: RetryPolicy,
        sleep: Callable[[float], None],
        secrets: Secrets,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.host = host
        self.credentials = credentials
        self._http = http
        self._retry = retry
        self._sleep = sleep
        self._secrets = secrets
        self._tokens = TokenCache(clock)
        self._basic = False
        self._bearer: Challenge | None = None  # the registry's Bearer challenge, once seen
        self._lock = threading.Lock()
        self._fetching: dict[tuple[str, ...], threading.Lock] = {}

    def flow(self, scopes: Sequence[str]) -> RegistryAuth:
        """The auth of one request that needs ``scopes`` (none for the ``/v2/`` ping)."""
        return RegistryAuth(self, tuple(scopes))

    def authorize(self, request: httpx.Request, scopes: Sequence[str]) -> None:
        """Put the best credential known so far on ``request``: Basic once the registry asked
        for it, else the token of ``scopes``, fetched first when the token service is known
        (sparing a 401 per scope set)."""
        request.headers.pop("Authorization", None)
        if self._basic and self.credentials is not None:
            request.headers["Authorization"] = self.credentials.header()
            return
        token = self._token(scopes, fetch=bool(scopes))
        if token:
            request.headers["Authorization"] = f"Bearer {token}"

    def challenged(self, challenge: Challenge, scopes: Sequence[str], sent: str | None) -> bool:
        """Learn from a 401's challenge to a request that carried ``sent`` (its Authorization);
        True when sending it again with :meth:`authorize` may pass, AuthError when it never
        can."""
        if challenge.scheme == "basic":
            creds = self.credentials
            if creds is None or not creds.username:
                raise AuthError(f"{self.host} asks for a login and no credentials were given")
            if sent is not None and sent.startswith("Basic "):
                return False  # these credentials were refused
            self._basic = True
            return True
        if challenge.scheme == "bearer":
            with self._lock:
                self._bearer = challenge
            if sent is not None and sent.startswith("Bearer "):
                # Refused (expired or revoked): forget it, unless a fresh one came meanwhile.
                self._tokens.drop(scopes, sent.removeprefix("Bearer "))
            self._token(scopes, fetch=True)
            return True
        raise AuthError(f"{self.host} asks for unsupported auth scheme {challenge.scheme!r}")

    def check_login(self) -> None:
        """With credentials for a Bearer registry, make sure the token service accepts them
        (the ping carries no scope: its token proves the login, as ``docker login`` does)."""
        if self.credentials is not None and self._bearer is not None:
            self._token((), fetch=True)

    def _token(self, scopes: Sequence[str], *, fetch: bool) -> str | None:
        token = self._tokens.get(scopes)
        if token is not None or not fetch:
            return token
        key = tuple(sorted(scopes))
        with self._lock:
            challenge = self._bearer
            lock = self._fetching.setdefault(key, threading.Lock())
        if challenge is None:
            return None
        with lock:
            token = self._tokens.get(scopes)  # fetched by another thread while we waited
            return token if token is not None else self._fetch(challenge, scopes)

    def _fail(self, cls: type[RegistryError], message: str) -> RegistryError:
        return cls(self._secrets.scrub(message))

    def _fetch(self, challenge: Challenge, scopes: Sequence[str]) -> str:
        """A token for ``scopes`` from the token service the challenge names, cached."""
        realm = challenge.params.get("realm")
        if not realm:
            raise AuthError(f"{self.host}: Bearer challenge without a realm")
        service = challenge.params.get("service", "")
        wanted = list(scopes) or (
            [challenge.params["scope"]] if challenge.params.get("scope") else []
        )
        creds = self.credentials
        if creds is not None and creds.identity_token:
            # OAuth2 refresh-token grant, as docker does with an identity token.
            form = {
                "grant_type": "refresh_token",
                "refresh_token": creds.identity_token,
                "service": service,
                "client_id": "dockwright",
                "scope": " ".join(wanted),
            }

            def send() -> httpx.Response:
                return self._http.post(realm, data=form)
        else:
            params: list[tuple[str, str | int | float | bool | None]] = [
                ("service", service),
                *(("scope", s) for s in wanted),
            ]
            login = creds is not None and bool(creds.username)
            headers = {"Authorization": creds.header()} if creds is not None and login else {}

            def send() -> httpx.Response:
                return self._http.get(realm, params=params, headers=headers)

        try:
            resp = send_with_retries(send, self._retry, self._sleep)
        except httpx.HTTPError as exc:
            what = f"token from {httpx.URL(realm).host}"
            mapped = map_transport_error(self.host, what, exc)
            raise self._fail(type(mapped), str(mapped)) from exc
        if resp.status_code in (401, 403):
            who = f"user {creds.username!r}" if creds and creds.username else "anonymous access"
            raise self._fail(
                AuthError, f"{self.host}: the token service refused {who} ({resp.status_code})"
            )
        if resp.status_code != 200:
            raise self._fail(
                AuthError,
                f"{self.host}: the token service failed ({resp.status_code}): {errors_text(resp)}",
            )
        try:
            body = resp.json()
        except ValueError:
            body = None
        token = (body.get("token") or body.get("access_token")) if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise AuthError(f"{self.host}: the token service answered without a token")
        self._secrets.add(token)
        expires = body.get("expires_in") if isinstance(body, dict) else None
        self._tokens.put(
            scopes, token, float(expires) if isinstance(expires, int | float) else None
        )
        return token


class RegistryAuth(httpx.Auth):
    """The auth flow of one request: send it with the best credential known, and after a 401
    learn from the registry's challenge (switch to Basic, or fetch a token) and send it once
    more; a second 401 is the caller's to report.

    The flow asks the token service itself and takes locks, so, as httpx asks of such flows, it
    is written as :meth:`sync_auth_flow` (for ``httpx.Client``; there is no async client here).

    Sending a request again re-sends its body. Every body the client sends can be sent twice:
    bytes, or an upload body read afresh from its source each time
    (:class:`~dockwright.registry.uploads.Replayable`), never a one-shot generator. A 401 comes
    before the registry takes anything from an upload, so nothing is appended twice.
    """

    def __init__(self, session: AuthSession, scopes: tuple[str, ...]) -> None:
        self._session = session
        self._scopes = scopes

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        session = self._session
        session.authorize(request, self._scopes)
        response = yield request
        header = response.headers.get("www-authenticate")
        if response.status_code != 401 or not header:
            return
        response.read()  # frees the connection before the token service is asked
        sent = request.headers.get("authorization")
        if session.challenged(parse_challenge(header), self._scopes, sent):
            session.authorize(request, self._scopes)
            yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        raise NotImplementedError("registry auth is for httpx.Client")
        yield request  # an async generator, as httpx expects
