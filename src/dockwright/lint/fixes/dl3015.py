"""DL3015: ``apt-get install`` gets ``--no-install-recommends``.

Unsafe: recommended packages the image relied on are no longer installed.
"""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.fix import Applicability, Fix, FixAvailability, insert
from dockwright.lint.fixes.source import Command, Word, flag_after_verb, has_flag, subcommand
from dockwright.lint.rule import LintContext

TITLE = "Add `--no-install-recommends` to `apt-get install`"
APPLICABILITY = Applicability.UNSAFE
AVAILABILITY = FixAvailability.SOMETIMES


def _verb(cmd: Command) -> Word | None:
    verb = subcommand(cmd, ("apt-get",), "install")
    if verb is None or has_flag(cmd, "no-install-recommends"):
        return None
    if any(w.value.endswith("APT::Install-Recommends=false") for w in cmd.args):
        return None
    return verb


def fix(ins: Instruction, ctx: LintContext) -> Fix | None:
    edits = [insert(*e) for e in flag_after_verb(ins, _verb, "--no-install-recommends")]
    return Fix(TITLE, APPLICABILITY, tuple(edits)) if edits else None
