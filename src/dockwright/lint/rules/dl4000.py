from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


class NoMaintainer(InstructionRule):
    """MAINTAINER is deprecated.

    What: any MAINTAINER instruction.

    Why: Docker deprecated it; a label carries the same information and tools read it.

    Bad::

        MAINTAINER Jane Doe <jane@example.com>

    Good::

        LABEL org.opencontainers.image.authors="jane@example.com"
    """

    code = "DL4000"
    severity = Severity.ERROR
    message = "MAINTAINER is deprecated"
    onbuild: ClassVar[bool] = False

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        return ins.keyword == "MAINTAINER"
