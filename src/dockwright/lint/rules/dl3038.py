from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.packages import installs_without_yes
from dockwright.lint.rule import LintContext, ShellRule


class DnfYes(ShellRule):
    """Use the -y switch with dnf install.

    What: ``dnf`` or ``microdnf`` with ``install``/``groupinstall``/``localinstall`` and
    without ``-y`` or ``--assumeyes``. RUNs inside ONBUILD are checked too.

    Why: a build has no terminal to answer dnf's confirmation prompt.

    Bad::

        RUN dnf install httpd-2.4.57

    Good::

        RUN dnf install -y httpd-2.4.57
    """

    code = "DL3038"
    severity = Severity.WARNING
    message = "Use the -y switch to avoid manual input `dnf install -y <package>`"

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        return installs_without_yes(script, "dnf", "microdnf")
