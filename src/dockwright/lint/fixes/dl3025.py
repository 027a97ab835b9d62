"""DL3025: shell-form CMD, ENTRYPOINT and HEALTHCHECK CMD become JSON (exec) form.

Only when the conversion cannot change what runs: the stage uses the default shell (no
SHELL before), and every word is plain (no quotes, variables, globs, operators or
redirections), and the program is not a shell builtin or keyword. Each word is wrapped in
place, so continuation lines and comments stay. For ENTRYPOINT the fix is unsafe: in exec
form it receives CMD and ``docker run`` arguments, which the shell form ignored.
"""

from __future__ import annotations

import re

from dockwright.dockerfile import Instruction
from dockwright.lint.fix import Applicability, Edit, Fix, FixAvailability, insert
from dockwright.lint.fixes.source import argument_words
from dockwright.lint.rule import LintContext

TITLE = "Convert to JSON (exec) form"
APPLICABILITY = Applicability.SAFE
AVAILABILITY = FixAvailability.SOMETIMES

_PLAIN = re.compile(r"[A-Za-z0-9_./:=,@%+-]+\Z")
_SHELL_ONLY = frozenset(
    {
        ".", ":", "alias", "break", "case", "cd", "continue", "eval", "exec", "exit",
        "export", "for", "function", "if", "readonly", "return", "select", "set", "shift",
        "source", "trap", "ulimit", "umask", "unset", "until", "wait", "while", "{", "!",
    }
)  # fmt: skip


def _default_shell(ctx: LintContext, target: Instruction) -> bool:
    shell_set = False
    for ins in ctx.instructions:
        if ins is target:
            return not shell_set
        if ins.keyword == "FROM":
            shell_set = False
        elif ins.keyword == "SHELL":
            shell_set = True
    return False


def fix(ins: Instruction, ctx: LintContext) -> Fix | None:
    if ins.inner is not None or ins.json or ins.heredocs:
        return None
    if ins.keyword not in ("CMD", "ENTRYPOINT", "HEALTHCHECK"):
        return None
    words = argument_words(ins)
    if not words:
        return None
    if ins.keyword == "HEALTHCHECK":
        if words[0].raw.upper() != "CMD":
            return None
        words = words[1:]
    if not words or not all(_PLAIN.match(w.raw) for w in words):
        return None
    if words[0].raw in _SHELL_ONLY or "=" in words[0].raw:
        return None
    if not _default_shell(ctx, ins):
        return None
    edits: list[Edit] = [insert(words[0].start, '["')]
    for i, w in enumerate(words):
        if i:
            edits.append(insert(w.start, '"'))
        edits.append(insert(w.end, '"]' if i == len(words) - 1 else '",'))
    if ins.keyword == "ENTRYPOINT":
        title = f"{TITLE} (ENTRYPOINT then receives CMD and `docker run` arguments)"
        return Fix(title, Applicability.UNSAFE, tuple(edits))
    return Fix(TITLE, APPLICABILITY, tuple(edits))
