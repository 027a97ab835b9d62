"""DL3015: ``apt-get install`` gets ``--no-install-recommends``.

Unsafe: recommended packages the image relied on are no longer installed.
"""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.fix import Applicability, Fix, FixAvailability, insert
from dockwright.lint.fixes.source import has_flag, shell_commands, subcommand
from dockwright.lint.rule import LintContext

TITLE = "Add `--no-install-recommends` to `apt-get install`"
APPLICABILITY = Applicability.UNSAFE
AVAILABILITY = FixAvailability.SOMETIMES


def fix(ins: Instruction, ctx: LintContext) -> Fix | None:
    found = shell_commands(ins)
    if found is None:
        return None
    edits = []
    for cmd in found[0]:
        verb = subcommand(cmd, ("apt-get",), "install")
        if verb is None or has_flag(cmd, "no-install-recommends"):
            continue
        if any(w.value.endswith("APT::Install-Recommends=false") for w in cmd.args):
            continue
        edits.append(insert(verb.end, " --no-install-recommends"))
    return Fix(TITLE, APPLICABILITY, tuple(edits)) if edits else None
