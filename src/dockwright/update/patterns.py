"""Renovate's lists of names and versions: each entry a glob, or a ``/regular expression/``
(Python's ``re``, searched)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence


def is_regex(pattern: str) -> bool:
    return len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/")


def pattern_error(pattern: str) -> str | None:
    """Why ``pattern``, a ``/regular expression/``, does not compile; None when it does, and
    for a name or glob (any text is one)."""
    if not is_regex(pattern):
        return None
    try:
        re.compile(pattern[1:-1])
    except re.error as exc:
        return str(exc)
    return None


def matches_any(value: str, patterns: Sequence[str]) -> bool:
    """Renovate's regex-or-glob lists: ``/re/`` searches, anything else is a glob."""
    for pattern in patterns:
        if is_regex(pattern):
            if re.search(pattern[1:-1], value):
                return True
        elif fnmatch.fnmatchcase(value, pattern):
            return True
    return False
