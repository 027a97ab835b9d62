from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext


class RedundantTargetPlatform(InstructionRule):
    """Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is
    the default behavior

    What: ``FROM --platform=$TARGETPLATFORM`` (or ``${TARGETPLATFORM}``).

    Why: stages are built for the target platform anyway; the flag only adds noise.

    Bad::

        FROM --platform=$TARGETPLATFORM alpine:3.20

    Good::

        FROM alpine:3.20
    """

    code = "DL3065"
    severity = Severity.WARNING
    message = (
        "Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this "
        "is the default behavior"
    )

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "FROM":
            return False
        platform = ins.flag("platform")
        return platform is not None and platform.value in ("$TARGETPLATFORM", "${TARGETPLATFORM}")
