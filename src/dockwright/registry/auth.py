"""Registry credentials and the auth challenges of the distribution spec (Basic, Bearer tokens)."""

from __future__ import annotations

import base64
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from dockwright.errors import AuthError


@dataclass(frozen=True)
class BasicCredentials:
    """A user name and a password (or, from ``docker login`` to an OAuth registry, an identity
    token used as the refresh token of the Bearer flow). Secrets never show in ``repr``."""

    username: str
    password: str = field(repr=False)
    identity_token: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:  # never show the secret, even in tracebacks
        return f"BasicCredentials(username={self.username!r}, password=<hidden>)"

    def header(self) -> str:
        raw = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(raw).decode()

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.password, self.identity_token) if s)


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


def credentials_from_env(username_env: str, password_env: str, *, where: str) -> BasicCredentials:
    """Read credentials from the environment variables a config names; say which is missing."""
    missing = [name for name in (username_env, password_env) if not os.environ.get(name)]
    if missing:
        raise AuthError(
            f"{where}: credentials come from the environment variable"
            f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}, which "
            f"{'are' if len(missing) > 1 else 'is'} not set"
        )
    return BasicCredentials(os.environ[username_env], os.environ[password_env])


def credentials_from_docker_config(
    host: str, config_dir: str | None = None
) -> BasicCredentials | None:
    """Credentials Docker's ``config.json`` holds for ``host`` (inline or through a helper)."""
    from dockwright.registry.dockerconfig import DockerConfig

    return DockerConfig.load(config_dir).credentials(host)


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

    def drop(self, scopes: Sequence[str]) -> None:
        with self._lock:
            self._tokens.pop(tuple(sorted(scopes)), None)
