"""The regular expressions of structure tests: RE2 with Go's options, as container-structure-test
compiles them."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=512)
def compile_regex(pattern: str) -> Callable[[str], bool] | None:
    """RE2, unanchored search over the whole text (Go's MatchString); None if invalid."""
    import re2

    options = re2.Options()
    options.log_errors = False
    try:
        compiled = re2.compile(pattern, options)
    except re2.error:
        return None
    return lambda text: compiled.search(text) is not None
