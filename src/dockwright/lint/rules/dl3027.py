from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, ShellRule


class NoApt(ShellRule):
    """Do not use apt; use apt-get or apt-cache.

    What: a RUN (also inside ONBUILD) that runs the ``apt`` command.

    Why: ``apt`` is the interactive front end; its output and behaviour are not a stable
    interface and it warns so when scripted. ``apt-get`` and ``apt-cache`` are.

    Bad::

        RUN apt install -y curl

    Good::

        RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
    """

    code = "DL3027"
    severity = Severity.WARNING
    message = (
        "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead"
    )

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        return bool(script.named("apt"))
