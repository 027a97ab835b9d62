"""hadolint's pragmas: ``# hadolint ignore=``, ``global ignore=``, ``stage ignore=``, ``shell=``.

The grammar must match the whole comment and is case-sensitive; a code list with a code
that is neither hadolint's ``[DLSC0-9]+`` nor a plugin rule's (upper-case letters then
digits, ``ACME001``) is not a pragma at all.
"""

from __future__ import annotations

from bisect import bisect_right

from dockwright.dockerfile import Comment, Dockerfile
from dockwright.dockerfile.pattern import LazyPattern

# Both need the word "hadolint"; comments without it are not matched at all, so a file
# whose comments are not pragmas never compiles them (nor imports re).
# A code is hadolint's ``[DLSC0-9]+`` or, beyond hadolint, a plugin rule's code (upper-case
# letters then digits, e.g. ACME001).
_CODE = r"(?:[A-Z]+[0-9]+|[DLSC0-9]+)"
_IGNORE = LazyPattern(
    r"(?s)[ \t]*hadolint[ \t]+(?:(global|stage)[ \t]+)?ignore[ \t]*=[ \t]*"
    rf"({_CODE}(?:[ \t]*,[ \t]*{_CODE})*)[ \t]*(?:#.*)?"
)
_SHELL = LazyPattern(r"(?s)[ \t]*hadolint[ \t]+shell[ \t]*=[ \t]*([^ \t\n]+)[ \t]*(?:#.*)?")


def shell_pragma(text: str) -> str | None:
    """The shell named by a ``# hadolint shell=NAME`` comment (text after ``#``), else None."""
    m = _SHELL.fullmatch(text) if "hadolint" in text else None
    return m.group(1) if m else None


def is_inline_ignore(text: str) -> bool:
    """Whether a comment (text after ``#``) is an inline ``# hadolint ignore=`` pragma."""
    m = _IGNORE.fullmatch(text) if "hadolint" in text else None
    return m is not None and m.group(1) is None


class Pragmas:
    __slots__ = ("global_", "inline", "stage_keys", "stage_sets")

    def __init__(self) -> None:
        self.inline: dict[int, frozenset[str]] = {}  # finding line -> codes
        self.global_: set[str] = set()
        self.stage_keys: list[int] = []
        self.stage_sets: list[frozenset[str]] = []

    def ignores(self, code: str, line: int) -> bool:
        if code in self.global_ or code in self.inline.get(line, frozenset()):
            return True
        i = bisect_right(self.stage_keys, line - 1) - 1
        return i >= 0 and code in self.stage_sets[i]


def collect(df: Dockerfile) -> Pragmas:
    pragmas = Pragmas()
    stage: dict[int, frozenset[str]] = {}
    for node in df.nodes:
        if isinstance(node, Comment):
            m = _IGNORE.fullmatch(node.text) if "hadolint" in node.text else None
            if m is None:
                continue
            codes = frozenset(c.strip() for c in m.group(2).split(","))
            kind = m.group(1)
            if kind == "global":
                pragmas.global_ |= codes
            elif kind == "stage":
                stage[node.line + 1] = codes
            else:
                pragmas.inline[node.line + 1] = codes
    for ins in df.instructions:
        if ins.keyword == "FROM":
            stage.setdefault(ins.start_line, frozenset())
    for key in sorted(stage):
        pragmas.stage_keys.append(key)
        pragmas.stage_sets.append(stage[key])
    return pragmas
