"""DL3009: a RUN that runs ``apt-get update`` ends with ``rm -rf /var/lib/apt/lists/*``.

The cleanup is appended as the RUN's last command, on a new continuation line when the
RUN already spans lines (indented like its last line), else on the same line. Unsafe: a
later RUN that installs without its own ``apt-get update`` then finds no package lists.
"""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.fix import Applicability, Fix, FixAvailability, insert
from dockwright.lint.fixes.source import first_line_end, shell_commands
from dockwright.lint.rule import LintContext

TITLE = "Append `rm -rf /var/lib/apt/lists/*` to the RUN"
APPLICABILITY = Applicability.UNSAFE
AVAILABILITY = FixAvailability.SOMETIMES
CLEANUP = "rm -rf /var/lib/apt/lists/*"


def fix(ins: Instruction, ctx: LintContext) -> Fix | None:
    found = shell_commands(ins)
    if found is None:
        return None
    commands, sc = found
    if sc.comment or not commands:
        return None
    if not any(c.name_word.value in ("apt-get", "apt", "aptitude") for c in commands):
        return None
    if any(w.value == "/var/lib/apt/lists/*" for c in commands for w in c.args):
        return None
    last = sc.items[-1] if sc.items else None
    if isinstance(last, str) and last not in (";", "\n"):
        return None  # ends in `&&`, `|`, `&` or `)`: appending would change the grouping
    source = ins.source
    if ins.effective.heredocs:
        # the script is the heredoc body: a new last line before the terminator
        term = source.rstrip("\n").rfind("\n") + 1
        indent = _indent(source[source.rfind("\n", 0, term - 1) + 1 : term])
        return Fix(TITLE, APPLICABILITY, (insert(term, f"{indent}{CLEANUP}\n"),))
    end = first_line_end(ins)
    text = source[:end]
    joiner = "" if isinstance(last, str) else " &&"
    if "\n" not in text.rstrip("\r"):
        return Fix(TITLE, APPLICABILITY, (insert(sc.end, f"{joiner} {CLEANUP}"),))
    last_line = text[text.rfind("\n") + 1 :]
    indent = _indent(last_line)
    addition = f" \\\n{indent}{joiner.strip()}{' ' if joiner else ''}{CLEANUP}"
    return Fix(TITLE, APPLICABILITY, (insert(sc.end, addition),))


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]
