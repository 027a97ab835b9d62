"""DL3027: ``apt <verb>`` becomes ``apt-get <verb>`` where apt-get has the same verb.

``apt list``, ``apt search``, ``apt show`` and the like stay: their apt-get/apt-cache
counterparts differ, so they are left to the reader.
"""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.fix import Applicability, Edit, Fix, FixAvailability
from dockwright.lint.fixes.source import shell_commands
from dockwright.lint.rule import LintContext

TITLE = "Replace `apt` with `apt-get`"
APPLICABILITY = Applicability.SAFE
AVAILABILITY = FixAvailability.SOMETIMES

_SAME_VERBS = frozenset(
    {"install", "update", "upgrade", "remove", "purge", "autoremove", "dist-upgrade",
     "clean", "autoclean", "build-dep", "source", "download", "satisfy"}
)  # fmt: skip


def fix(ins: Instruction, ctx: LintContext) -> Fix | None:
    found = shell_commands(ins)
    if found is None:
        return None
    edits: list[Edit] = []
    for cmd in found[0]:
        name = cmd.name_word
        if name.raw != "apt":
            continue
        verbs = [w.value for w in cmd.args if not w.value.startswith("-")]
        if not verbs or verbs[0] not in _SAME_VERBS:
            return None  # one apt that stays means the finding stays: change nothing
        edits.append(Edit(name.start, name.end, "apt-get"))
    return Fix(TITLE, APPLICABILITY, tuple(edits)) if edits else None
