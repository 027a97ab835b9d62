"""When and how long to retry: 429, 5xx and dropped connections, with backoff and Retry-After."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

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
