"""Fix value types: what a fix changes, how safe it is, and how to apply it.

Modelled on ruff: a rule's fix module declares whether a fix is always or only sometimes
available; each fix carries a title and an applicability. ``--fix`` applies ``SAFE``
fixes, ``--unsafe-fixes`` adds ``UNSAFE`` ones, ``DISPLAY_ONLY`` fixes are never applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Sequence


class Applicability(Enum):
    """How sure we are that applying the fix keeps what the Dockerfile means."""

    DISPLAY_ONLY = "display-only"  # shown as a suggestion, never applied
    UNSAFE = "unsafe"  # changes behaviour (what gets installed, cached, ...)
    SAFE = "safe"  # keeps behaviour; applied by --fix

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Applicability.DISPLAY_ONLY: 0, Applicability.UNSAFE: 1, Applicability.SAFE: 2}


class FixAvailability(Enum):
    """Whether every finding of a rule gets a fix, or only the unambiguous ones."""

    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


@dataclass(frozen=True)
class Edit:
    """Replace ``source[start:end]`` of one instruction's source text with ``content``."""

    start: int
    end: int
    content: str


@dataclass(frozen=True)
class Fix:
    """The edits (within one instruction) that resolve one finding."""

    title: str
    applicability: Applicability
    edits: tuple[Edit, ...]

    def apply(self, source: str) -> str:
        return apply_edits(source, self.edits)


def apply_edits(source: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits (any order given); insertions at one offset keep order."""
    out: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < pos:
            raise ValueError(f"overlapping edits at offset {edit.start}")
        out.append(source[pos : edit.start])
        out.append(edit.content)
        pos = edit.end
    out.append(source[pos:])
    return "".join(out)


def insert(offset: int, text: str) -> Edit:
    return Edit(offset, offset, text)
