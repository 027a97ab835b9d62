from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


class JsonCmd(InstructionRule):
    """Use arguments JSON notation for CMD and ENTRYPOINT arguments.

    What: CMD, ENTRYPOINT or HEALTHCHECK CMD in shell form.

    Why: shell form runs the program under ``/bin/sh -c``, so it is not PID 1 and does not
    receive SIGTERM; ``docker stop`` then waits and kills it.

    Bad::

        CMD python -m app

    Good::

        CMD ["python", "-m", "app"]
    """

    code = "DL3025"
    severity = Severity.WARNING
    message = "Use arguments JSON notation for CMD and ENTRYPOINT arguments"
    onbuild: ClassVar[bool] = False

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword in ("CMD", "ENTRYPOINT"):
            return not ins.json
        if ins.keyword == "HEALTHCHECK" and ins.args and ins.args[0].upper() == "CMD":
            return not ins.json
        return False
