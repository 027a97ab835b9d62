"""DL4000: ``MAINTAINER x`` becomes ``LABEL maintainer="x"``, the label Docker documents."""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.fix import Applicability, Edit, Fix, FixAvailability
from dockwright.lint.fixes.source import leading_words
from dockwright.lint.rule import LintContext

TITLE = 'Replace `MAINTAINER` with `LABEL maintainer="..."`'
APPLICABILITY = Applicability.SAFE
AVAILABILITY = FixAvailability.SOMETIMES


def fix(ins: Instruction, ctx: LintContext) -> Fix | None:
    if ins.keyword != "MAINTAINER" or ins.comments or ins.escape != "\\":
        return None
    words = [w for w in leading_words(ins).items if not isinstance(w, str)]
    value = ins.rest.strip()
    if not words or not value:
        return None
    # LABEL expands variables and unquotes; MAINTAINER did neither: escape both.
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    keyword = "label" if ins.raw_keyword.islower() else "LABEL"
    start, end = words[0].start, words[-1].end
    return Fix(TITLE, APPLICABILITY, (Edit(start, end, f'{keyword} maintainer="{escaped}"'),))
