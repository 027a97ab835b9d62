from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.images import from_image
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext


class ReservedStageName(InstructionRule):
    """stage name should not be a reserved word

    What: ``FROM ... AS scratch`` or ``AS context``.

    Why: ``scratch`` is the empty image and ``context`` names the build context in
    ``COPY --from``; a stage with either name is ambiguous.

    Bad::

        FROM golang:1.22 AS context

    Good::

        FROM golang:1.22 AS build
    """

    code = "DL3063"
    severity = Severity.WARNING
    message = "stage name should not be a reserved word"

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        return ins.keyword == "FROM" and from_image(ins).alias in ("scratch", "context")
