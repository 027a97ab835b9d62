"""Regular expressions compiled on first use instead of at import.

Compiling a pattern costs 0.05-0.4 ms, and importing ``re`` (with ``enum``) about 4 ms; the
lint path defines a dozen patterns at module level and a one-file run often needs none of
them. A ``LazyPattern`` is used like the ``re.Pattern`` it stands for; flags go inline in
the source (``(?s)``, ``(?i)``) so that defining one does not import ``re``.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    import re
    from typing import Any

_END = sys.maxsize  # re.Pattern's default endpos


class LazyPattern:
    """``re.compile(source, flags)``, done on the first match/search/split."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            import re

            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    @property
    def pattern(self) -> str:
        return self._source

    def match(self, string: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        return self.compiled.match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        return self.compiled.search(string, pos, endpos)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled.split(string, maxsplit)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source!r}, {self._flags!r})"
