from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext, drop_quotes

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


class CopyManyToDirectory(InstructionRule):
    """COPY with several sources needs a directory target ending in ``/``.

    What: a COPY with two or more sources whose destination does not end with ``/``.
    (``COPY a b ""`` crashes hadolint 2.15.1; it is reported here.)

    Why: several files cannot be copied onto one file; the trailing slash says the target
    is a directory and the build fails without it.

    Bad::

        COPY package.json package-lock.json /app

    Good::

        COPY package.json package-lock.json /app/
    """

    code = "DL3021"
    severity = Severity.ERROR
    message = "COPY with more than 2 arguments requires the last argument to end with /"
    onbuild: ClassVar[bool] = False

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "COPY" or len(ins.args) < 3:
            return False
        return not drop_quotes(ins.args[-1]).endswith("/")
