"""DL3047: ``wget`` gets ``--progress=dot:giga`` so build logs are not flooded.

BusyBox's wget (Alpine's default) has no ``--progress``: in a stage whose base image
looks like Alpine or BusyBox, in ONBUILD (the base is not known) and for ``busybox wget``,
the fix adds ``-q`` instead, which both wgets understand.
"""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.fix import Applicability, Fix, FixAvailability, insert
from dockwright.lint.fixes.source import Command, has_flag, shell_commands
from dockwright.lint.rule import LintContext

TITLE = "Add `--progress=dot:giga` (or `-q` for BusyBox wget) to `wget`"
APPLICABILITY = Applicability.SAFE
AVAILABILITY = FixAvailability.SOMETIMES

# Flags that already quiet the progress output (case-sensitive: -O does not).
_QUIET = ("progress", "q", "quiet", "o", "output-file", "a", "append-output", "no-verbose")
_BUSYBOX_BASES = ("alpine", "busybox")


def _busybox_stage(ctx: LintContext, target: Instruction) -> bool:
    if target.inner is not None:
        return True
    image = ""
    for ins in ctx.instructions:
        if ins is target:
            break
        if ins.keyword == "FROM" and ins.args:
            image = ins.args[0].lower()
    name = image.rsplit("/", 1)[-1]
    return any(b in name for b in _BUSYBOX_BASES)


def _wrapped_by_busybox(cmd: Command) -> bool:
    return cmd.name > 0 and cmd.words[cmd.name - 1].value == "busybox"


def fix(ins: Instruction, ctx: LintContext) -> Fix | None:
    found = shell_commands(ins)
    if found is None:
        return None
    busybox = _busybox_stage(ctx, ins)
    edits = [
        insert(
            cmd.name_word.end,
            " -q" if busybox or _wrapped_by_busybox(cmd) else " --progress=dot:giga",
        )
        for cmd in found[0]
        if cmd.name_word.value == "wget"
        and not has_flag(cmd, *_QUIET)
        and not any(w.value == "-nv" for w in cmd.args)
    ]
    return Fix(TITLE, APPLICABILITY, tuple(edits)) if edits else None
