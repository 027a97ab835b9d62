"""Renovate's lists of names and versions: each entry a glob, or a ``/regular expression/``."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence


def matches_any(value: str, patterns: Sequence[str]) -> bool:
    """Renovate's regex-or-glob lists: ``/re/`` searches, anything else is a glob."""
    for pattern in patterns:
        if len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/"):
            if re.search(pattern[1:-1], value):
                return True
        elif fnmatch.fnmatchcase(value, pattern):
            return True
    return False
