from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


class ShellNotLinked(InstructionRule):
    """Use SHELL to change the default shell

    What: a RUN that runs ``ln`` on ``/bin/sh``.

    Why: relinking ``/bin/sh`` changes the shell for everything in the image; the SHELL
    instruction changes it for the build only, and visibly.

    Bad::

        RUN ln -sf /bin/bash /bin/sh

    Good::

        SHELL ["/bin/bash", "-c"]
    """

    code = "DL4005"
    severity = Severity.WARNING
    message = "Use SHELL to change the default shell"
    onbuild: ClassVar[bool] = True

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        return ins.keyword == "RUN" and any(
            c.has_arg("/bin/sh") for c in ctx.script(ins).named("ln")
        )
