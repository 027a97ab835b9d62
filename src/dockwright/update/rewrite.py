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
