from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellCommand, ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, ShellRule


def _assumes_yes(cmd: ShellCommand) -> bool:
    return (
        cmd.has_flag("y", "yes", "qq", "assume-yes")
        or cmd.count_flag("q") == 2
        or cmd.count_flag("quiet") == 2
        or cmd.has_arg("-q=2")
    )


class AptGetYes(ShellRule):
    """Use the -y switch with apt-get install.

    What: ``apt-get install`` without ``-y``/``--yes``/``--assume-yes`` (or quiet level
    two, ``-qq``, which implies it). RUNs inside ONBUILD are checked too.

    Why: a build has no terminal; apt-get asks for confirmation and the build fails (or
    hangs) on the prompt.

    Bad::

        RUN apt-get install curl=7.88.1-10+deb12u5

    Good::

        RUN apt-get install -y curl=7.88.1-10+deb12u5
    """

    code = "DL3014"
    severity = Severity.WARNING
    message = "Use the `-y` switch to avoid manual input `apt-get -y install <package>`"

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        return any(c.has_arg("install") and not _assumes_yes(c) for c in script.named("apt-get"))
