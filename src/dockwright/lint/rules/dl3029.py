from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


class NoFromPlatform(InstructionRule):
    """Do not use --platform with FROM.

    What: ``FROM --platform=...`` with a fixed platform. ``$BUILDPLATFORM`` and
    ``$TARGETPLATFORM`` (anywhere in the value) are fine.

    Why: a hard-coded platform breaks multi-platform builds and silently runs emulated
    binaries on other hosts; let the builder choose, or use the build platform variables.

    Bad::

        FROM --platform=linux/amd64 debian:bookworm

    Good::

        FROM --platform=$BUILDPLATFORM golang:1.22 AS build
    """

    code = "DL3029"
    severity = Severity.WARNING
    message = "Do not use --platform flag with FROM"
    onbuild: ClassVar[bool] = False

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "FROM":
            return False
        platform = ins.flag("platform")
        if platform is None:
            return False
        value = platform.value or ""
        return "BUILDPLATFORM" not in value and "TARGETPLATFORM" not in value
