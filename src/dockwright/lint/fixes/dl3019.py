"""DL3019: ``apk add`` gets ``--no-cache``.

Unsafe: a later ``apk`` call in the same image that relied on the index cache must now
fetch it again (or pass ``--update``).
"""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.fix import Applicability, Fix, FixAvailability, insert
from dockwright.lint.fixes.source import Command, Word, flag_after_verb, has_flag, subcommand
from dockwright.lint.rule import LintContext

TITLE = "Add `--no-cache` to `apk add`"
APPLICABILITY = Applicability.UNSAFE
AVAILABILITY = FixAvailability.SOMETIMES


def _verb(cmd: Command) -> Word | None:
    verb = subcommand(cmd, ("apk",), "add")
    return None if verb is None or has_flag(cmd, "no-cache") else verb


def fix(ins: Instruction, ctx: LintContext) -> Fix | None:
    edits = [insert(*e) for e in flag_after_verb(ins, _verb, "--no-cache")]
    return Fix(TITLE, APPLICABILITY, tuple(edits)) if edits else None
