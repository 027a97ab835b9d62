"""DL3042: ``pip install`` (and ``python -m pip install``) gets ``--no-cache-dir``.

Unsafe: later installs in the same layer can no longer reuse downloaded wheels.
"""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.fix import Applicability, Fix, FixAvailability, insert
from dockwright.lint.fixes.source import Command, Word, flag_after_verb
from dockwright.lint.rule import LintContext

TITLE = "Add `--no-cache-dir` to `pip install`"
APPLICABILITY = Applicability.UNSAFE
AVAILABILITY = FixAvailability.SOMETIMES


def _install_word(cmd: Command) -> Word | None:
    name = cmd.name_word.value.rsplit("/", 1)[-1]
    args = cmd.args
    values = [w.value for w in args]
    if name.startswith("pip") and not name.startswith(("pipenv", "pipx")):
        return next((w for w in args if w.value == "install"), None)
    if name.startswith("python"):
        for i in range(len(values) - 2):
            if values[i : i + 3] == ["-m", "pip", "install"]:
                return args[i + 2]
    return None


def _verb(cmd: Command) -> Word | None:
    verb = _install_word(cmd)
    return None if any(w.value == "--no-cache-dir" for w in cmd.args) else verb


def fix(ins: Instruction, ctx: LintContext) -> Fix | None:
    edits = [insert(*e) for e in flag_after_verb(ins, _verb, "--no-cache-dir")]
    return Fix(TITLE, APPLICABILITY, tuple(edits)) if edits else None
