"""Minimal-diff rewrites: replace the characters of a version or digest where the lossless
parser says they are written, and nothing else.

An :class:`Edit` replaces ``text[start:end]`` of one file (an empty span inserts). Edits of
one file must not overlap; an insertion may sit at either end of a replacement. After the
edits a Dockerfile is parsed again, so a rewrite that would break it fails here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dockwright.dockerfile.model import Dockerfile
from dockwright.dockerfile.parser import parse
from dockwright.update.sourced import Loc


@dataclass(frozen=True, order=True)
class Edit:
    file: str
    start: int
    end: int
    text: str

    def overlaps(self, other: Edit) -> bool:
        if self.file != other.file:
            return False
        if self.start == self.end and other.start == other.end:
            return self.start == other.start
        if self.start == self.end:
            return other.start < self.start < other.end
        if other.start == other.end:
            return self.start < other.start < self.end
        return self.start < other.end and other.start < self.end


class EditConflict(Exception):
    """Two edits want different text at the same place."""

    def __init__(self, first: Edit, second: Edit) -> None:
        super().__init__(f"{first.file}: edits at {first.start} and {second.start} overlap")
        self.first = first
        self.second = second


def minimal_edit(old: str, locs: Sequence[Loc | None], new: str) -> Edit | None:
    """The one edit that turns ``old`` (whose characters are written at ``locs``) into
    ``new``: what the two share at the start and the end stays, the rest is replaced where
    it is written. None when those characters are not written in one place (an insertion
    goes after the character before it, else before the one after it)."""
    if old == new:
        return None
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    changed = locs[head : len(old) - tail]
    text = new[head : len(new) - tail]
    if changed:
        first = changed[0]
        if first is None or any(loc != (first[0], first[1] + i) for i, loc in enumerate(changed)):
            return None
        return Edit(first[0], first[1], first[1] + len(changed), text)
    before = locs[head - 1] if head > 0 else None
    if before is not None:
        return Edit(before[0], before[1] + 1, before[1] + 1, text)
    after = locs[head] if head < len(locs) else None
    if after is not None:
        return Edit(after[0], after[1], after[1], text)
    return None


def normalize(edits: Iterable[Edit]) -> list[Edit]:
    """The edits sorted, identical ones once; EditConflict for two that overlap."""
    unique = sorted(set(edits))
    for i, edit in enumerate(unique):
        for other in unique[i + 1 :]:
            if other.file != edit.file or other.start > edit.end:
                break
            if edit.overlaps(other):
                raise EditConflict(edit, other)
    return unique


def apply(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with ``edits`` (all of one file) made; EditConflict if they overlap."""
    out: list[str] = []
    at = 0
    for edit in normalize(edits):
        if not 0 <= edit.start <= edit.end <= len(text):
            raise ValueError(f"{edit.file}: edit {edit.start}..{edit.end} outside the text")
        out.append(text[at : edit.start])
        out.append(edit.text)
        at = edit.end
    out.append(text[at:])
    return "".join(out)


def rewrite_dockerfile(df: Dockerfile, edits: Sequence[Edit]) -> Dockerfile:
    """``df`` with ``edits`` made, parsed again (DockerfileParseError if it broke)."""
    return parse(apply(df.render(), edits), df.path)
