from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, ShellRule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


class WorkdirNotCd(ShellRule):
    """Use WORKDIR to switch to a directory.

    What: a RUN that runs ``cd`` anywhere in its script (exec form included). RUNs inside
    ONBUILD are not checked.

    Why: ``cd`` lasts for one RUN only; WORKDIR states the directory once for every later
    instruction and for the container.

    Bad::

        RUN cd /src && make

    Good::

        WORKDIR /src
        RUN make
    """

    code = "DL3003"
    severity = Severity.WARNING
    message = "Use WORKDIR to switch to a directory"
    onbuild: ClassVar[bool] = False

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        return bool(script.named("cd"))
