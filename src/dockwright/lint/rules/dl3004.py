from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


class NoSudo(InstructionRule):
    """Do not use sudo.

    What: a RUN (also inside ONBUILD) that runs a ``sudo`` command anywhere in its script.

    Why: builds already run as the current USER; sudo adds a TTY and PAM dependent layer
    whose behaviour varies between images. Switch users with USER, or with gosu/su-exec in
    an entrypoint.

    Bad::

        RUN sudo apt-get install -y curl

    Good::

        USER root
        RUN apt-get install -y curl
    """

    code = "DL3004"
    severity = Severity.ERROR
    message = (
        "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to "
        "enforce root"
    )
    onbuild: ClassVar[bool] = True

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        return ins.keyword == "RUN" and bool(ctx.script(ins).named("sudo"))
