from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellCommand, ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.packages import cleaned_after
from dockwright.lint.rule import LintContext, ShellRule, has_cache_mount_with


def _install(c: ShellCommand) -> bool:
    return c.name == "zypper" and c.has_arg("install", "in")


def _clean(c: ShellCommand) -> bool:
    return c.name == "zypper" and c.has_arg("clean", "cc")


class ZypperClean(ShellRule):
    """``zypper clean`` after zypper install.

    What: a RUN with ``zypper install`` (``in``) and no later ``zypper clean`` (``cc``)
    in the same RUN. A cache or tmpfs mount on ``/var/cache/zypp`` exempts the RUN. RUNs
    inside ONBUILD are checked too.

    Why: zypper's caches stay in the layer; cleaning in a later RUN does not shrink it.

    Bad::

        RUN zypper install -y httpd=2.4.58

    Good::

        RUN zypper install -y httpd=2.4.58 && zypper clean
    """

    code = "DL3036"
    severity = Severity.WARNING
    message = "`zypper clean` missing after zypper use."

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        if has_cache_mount_with(ins, "/var/cache/zypp"):
            return False
        return not cleaned_after(script, _install, _clean)
