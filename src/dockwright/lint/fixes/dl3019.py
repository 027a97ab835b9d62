"""DL3019: ``apk add`` gets ``--no-cache``.

Unsafe: a later ``apk`` call in the same image that relied on the index cache must now
fetch it again (or pass ``--update``).
"""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.fix import Applicability, Fix, FixAvailability, insert
from dockwright.lint.fixes.source import has_flag, shell_commands, subcommand
from dockwright.lint.rule import LintContext

TITLE = "Add `--no-cache` to `apk add`"
APPLICABILITY = Applicability.UNSAFE
AVAILABILITY = FixAvailability.SOMETIMES


def fix(ins: Instruction, ctx: LintContext) -> Fix | None:
    found = shell_commands(ins)
    if found is None:
        return None
    edits = []
    for cmd in found[0]:
        verb = subcommand(cmd, ("apk",), "add")
        if verb is not None and not has_flag(cmd, "no-cache"):
            edits.append(insert(verb.end, " --no-cache"))
    return Fix(TITLE, APPLICABILITY, tuple(edits)) if edits else None
