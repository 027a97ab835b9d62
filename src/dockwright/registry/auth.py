"""The auth challenges of the distribution spec (Basic, Bearer tokens) and the token cache."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


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

    def drop(self, scopes: Sequence[str]) -> None:
        with self._lock:
            self._tokens.pop(tuple(sorted(scopes)), None)
