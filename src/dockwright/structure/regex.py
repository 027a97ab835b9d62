"""The regular expressions of structure tests: RE2 with Go's options, as container-structure-test
compiles them. The checks match with :func:`compile_regex`; the config reader rejects what it
cannot compile, with :func:`regex_error`, before any container starts."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

Matcher = Callable[[str], bool]


@lru_cache(maxsize=512)
def _compile(pattern: str) -> tuple[Matcher | None, str | None]:
    import re2

    options = re2.Options()
    options.log_errors = False
    try:
        compiled = re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "invalid"
        return None, reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
    return (lambda text: compiled.search(text) is not None), None


def compile_regex(pattern: str) -> Matcher | None:
    """RE2, unanchored search over the whole text (Go's MatchString); None if invalid."""
    return _compile(pattern)[0]


def regex_error(pattern: str) -> str | None:
    """Why ``pattern`` does not compile (RE2's words), or None."""
    return _compile(pattern)[1]
