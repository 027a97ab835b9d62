from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.packages import installs_without_yes
from dockwright.lint.rule import LintContext, ShellRule


class YumYes(ShellRule):
    """Use the -y switch with yum install.

    What: ``yum install`` (or ``groupinstall``/``localinstall``) without ``-y`` or
    ``--assumeyes``. RUNs inside ONBUILD are checked too.

    Why: a build has no terminal to answer yum's confirmation prompt.

    Bad::

        RUN yum install httpd-2.4.6

    Good::

        RUN yum install -y httpd-2.4.6
    """

    code = "DL3030"
    severity = Severity.WARNING
    message = "Use the -y switch to avoid manual input `yum install -y <package>`"

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        return installs_without_yes(script, "yum")
