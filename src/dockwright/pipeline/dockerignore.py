""".dockerignore as Docker reads it: which files of a build context the builder receives.

The rules are those of moby's ``patternmatcher`` and ``ignorefile`` (what BuildKit and the
docker CLI use): lines starting with ``#`` are comments; each pattern is trimmed, cleaned like a
path (``./a//b/`` is ``a/b``) and loses a leading ``/``; ``*`` and ``?`` stop at ``/``, ``**``
crosses directories, ``[...]`` is a character class and ``\\`` escapes; a pattern that matches a
directory excludes all under it; a later ``!pattern`` takes back what an earlier one excluded,
and the last pattern that matches a path decides. With BuildKit, ``<Dockerfile>.dockerignore``
beside the Dockerfile is used instead of the context's ``.dockerignore`` when it exists.

``**`` followed by a name (``**foo``) matches that name in any directory, as Docker 20.10's
builder reads it; newer patternmatcher versions match any name ending in ``foo`` there.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

IGNORE_FILE = ".dockerignore"


def read_patterns(text: str) -> list[str]:
    """The patterns of an ignore file's text, as ``ignorefile.ReadAll`` returns them."""
    out = []
    for index, raw in enumerate(text.splitlines()):
        line = raw.removeprefix("\ufeff") if index == 0 else raw
        if line.startswith("#"):
            continue
        pattern = line.strip()
        if not pattern:
            continue
        invert = pattern.startswith("!")
        if invert:
            pattern = pattern[1:].strip()
        if pattern:
            pattern = posixpath.normpath(pattern)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern[1:]
        out.append("!" + pattern if invert else pattern)
    return out


def ignore_file(context: Path, dockerfile: Path) -> Path | None:
    """The ignore file a BuildKit build of ``dockerfile`` in ``context`` reads, if any."""
    specific = dockerfile.with_name(dockerfile.name + IGNORE_FILE)
    if specific.is_file():
        return specific
    default = context / IGNORE_FILE
    return default if default.is_file() else None


@dataclass(frozen=True)
class _Pattern:
    text: str  # cleaned, without the leading "!"
    exclusion: bool
    regex: re.Pattern[str]


class Matcher:
    """``MatchesOrParentMatches`` of moby's patternmatcher, for slash-separated paths."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns: list[_Pattern] = []
        for raw in patterns:
            text = raw.strip()
            if not text:
                continue
            text = posixpath.normpath(text)
            exclusion = text.startswith("!")
            if exclusion:
                text = text[1:]
                if not text:
                    raise ValueError('illegal exclusion pattern: "!"')
            self.patterns.append(_Pattern(text, exclusion, re.compile(_regex(text))))

    @property
    def has_exclusions(self) -> bool:
        """Whether a ``!`` pattern may bring back files under an excluded directory."""
        return any(p.exclusion for p in self.patterns)

    def excluded(self, path: str) -> bool:
        """Whether the builder leaves ``path`` (relative to the context) out."""
        path = posixpath.normpath(path)
        if path == ".":
            return False
        parent = posixpath.dirname(path)
        parents = parent.split("/") if parent else []
        matched = False
        for pattern in self.patterns:
            if pattern.exclusion != matched:  # nothing this pattern could change
                continue
            hit = pattern.regex.match(path) is not None
            if not hit:
                hit = any(
                    pattern.regex.match("/".join(parents[: i + 1])) is not None
                    for i in range(len(parents))
                )
            if hit:
                matched = not pattern.exclusion
        return matched


def _regex(pattern: str) -> str:
    """The pattern as a regular expression over the whole path (patternmatcher's compile)."""
    out = "^"
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                i += 2
                if i < n and pattern[i] == "/":
                    i += 1
                # "**" at the end matches everything; elsewhere any number of directories
                out += ".*" if i >= n else "(.*/)?"
                continue
            out += "[^/]*"
        elif ch == "?":
            out += "[^/]"
        elif ch == "\\":
            if i + 1 < n:
                i += 1
                out += re.escape(pattern[i])
            else:
                out += "\\\\"
        elif ch in "[]":
            out += ch
        elif ch in ".+()|{}$^":
            out += "\\" + ch
        else:
            out += ch
        i += 1
    return out + "$"
