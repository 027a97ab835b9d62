"""When and how long to retry: 429, 5xx and dropped connections, with backoff and Retry-After.

:func:`send_with_retries` is the one retry loop, used by every request that is safe to repeat
(the token fetch included); blob uploads retry at the upload level instead.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

from dockwright.registry.errors import is_cert_failure

# 501 (Not Implemented) and 505 are answers, not hiccups: never retried.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` tries in all; the n-th wait is ``base * 2**n`` capped at ``cap`` (with up to
    25 % jitter), or what ``Retry-After`` asks, up to ``max_retry_after``."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 8.0
    max_retry_after: float = 60.0

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        asked = parse_retry_after(retry_after) if retry_after else None
        if asked is not None:
            return min(asked, self.max_retry_after)
        wait: float = min(self.cap, self.base * 2.0**attempt)
        return wait * (1 + random.random() / 4)


def parse_retry_after(value: str, now: float | None = None) -> float | None:
    """``Retry-After``: delta seconds or an HTTP date; None when unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, float(when.timestamp()) - (time.time() if now is None else now))


def retryable(exc: httpx.HTTPError) -> bool:
    """A dropped connection or a timeout is worth another try; an untrusted certificate is not."""
    if is_cert_failure(exc):
        return False
    return isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError)


def send_with_retries(
    send: Callable[[], httpx.Response],
    policy: RetryPolicy,
    sleep: Callable[[float], None] = time.sleep,
) -> httpx.Response:
    """``send()`` until it answers other than 408/429/5xx or ``policy.attempts`` are spent,
    waiting between tries; returns the last answer for the caller to judge, or raises the last
    httpx error (at once when it is not :func:`retryable`)."""
    attempt = 0
    while True:
        try:
            resp = send()
        except httpx.HTTPError as exc:
            if not retryable(exc) or attempt + 1 >= policy.attempts:
                raise
            wait = policy.delay(attempt)
        else:
            if resp.status_code not in RETRY_STATUSES or attempt + 1 >= policy.attempts:
                return resp
            wait = policy.delay(attempt, resp.headers.get("retry-after"))
            resp.close()
        sleep(wait)
        attempt += 1
