from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, ShellRule

PROMPTING = ("install", "in", "remove", "rm", "source-install", "si", "patch")


class ZypperNonInteractive(ShellRule):
    """Use zypper non-interactively.

    What: ``zypper`` installing, removing or patching (``install in remove rm
    source-install si patch``) without ``-n``/``--non-interactive`` or
    ``-y``/``--no-confirm``. RUNs inside ONBUILD are checked too.

    Why: a build has no terminal to answer zypper's prompts.

    Bad::

        RUN zypper install httpd=2.4.58

    Good::

        RUN zypper install -y httpd=2.4.58
    """

    code = "DL3034"
    severity = Severity.WARNING
    message = "Non-interactive switch missing from `zypper` command: `zypper install -y`"

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        return any(
            c.has_arg(*PROMPTING) and not c.has_flag("non-interactive", "n", "no-confirm", "y")
            for c in script.named("zypper")
        )
