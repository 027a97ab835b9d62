"""DL3047: ``wget`` gets ``--progress=dot:giga`` so build logs are not flooded."""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.fix import Applicability, Fix, FixAvailability, insert
from dockwright.lint.fixes.source import has_flag, shell_commands
from dockwright.lint.rule import LintContext

TITLE = "Add `--progress=dot:giga` to `wget`"
APPLICABILITY = Applicability.SAFE
AVAILABILITY = FixAvailability.SOMETIMES

# Flags that already quiet the progress output (case-sensitive: -O does not).
_QUIET = ("progress", "q", "quiet", "o", "output-file", "a", "append-output", "no-verbose")


def fix(ins: Instruction, ctx: LintContext) -> Fix | None:
    found = shell_commands(ins)
    if found is None:
        return None
    edits = [
        insert(cmd.name_word.end, " --progress=dot:giga")
        for cmd in found[0]
        if cmd.name_word.value == "wget"
        and not has_flag(cmd, *_QUIET)
        and not any(w.value == "-nv" for w in cmd.args)
    ]
    return Fix(TITLE, APPLICABILITY, tuple(edits)) if edits else None
