"""Fixes, one module per rule code; ``FIXES`` is the code -> module table (data).

A fix module declares::

    TITLE: str                        # what the fix does, e.g. "Replace `ADD` with `COPY`"
    APPLICABILITY: Applicability      # the applicability of its usual fix
    AVAILABILITY: FixAvailability     # ALWAYS, or SOMETIMES when some findings stay manual
    def fix(ins: Instruction, ctx: LintContext) -> Fix | None

``fix`` gets the instruction a finding is reported at (for ONBUILD, the ONBUILD line) and
returns edits inside that instruction's source, or None when no fix is certain. Fix
modules read the source text themselves (``fixes.source``) and never depend on how a
rule is implemented.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from dockwright.dockerfile import Instruction
    from dockwright.lint.fix import Applicability, Fix, FixAvailability
    from dockwright.lint.rule import LintContext

# code -> module under dockwright.lint.fixes (kept sorted by code)
FIXES: dict[str, str] = {
    "DL3009": "dl3009",
    "DL3015": "dl3015",
    "DL3019": "dl3019",
    "DL3020": "dl3020",
    "DL3025": "dl3025",
    "DL3027": "dl3027",
    "DL3042": "dl3042",
    "DL3047": "dl3047",
    "DL4000": "dl4000",
}


class FixModule(Protocol):
    TITLE: str
    APPLICABILITY: Applicability
    AVAILABILITY: FixAvailability

    def fix(self, ins: Instruction, ctx: LintContext) -> Fix | None: ...


def load(code: str) -> FixModule:
    """The fix module for ``code`` (KeyError when the rule has no fix)."""
    return cast(FixModule, importlib.import_module(f"dockwright.lint.fixes.{FIXES[code]}"))
