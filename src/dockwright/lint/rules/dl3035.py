from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, ShellRule


class NoZypperDistUpgrade(ShellRule):
    """Do not use zypper dist-upgrade.

    What: ``zypper dist-upgrade`` (or ``dup``) in a RUN, also inside ONBUILD.

    Why: a distribution upgrade inside an image build swaps the base image's release
    under you; pick a newer base image instead.

    Bad::

        RUN zypper dup -y

    Good::

        FROM opensuse/leap:15.6
    """

    code = "DL3035"
    severity = Severity.WARNING
    message = "Do not use `zypper dist-upgrade`."

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        return any(c.has_arg("dist-upgrade", "dup") for c in script.named("zypper"))
