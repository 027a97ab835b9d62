from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, ShellRule


def _pinned(package: str) -> bool:
    return any(s in package for s in "=<>") or package.endswith(".rpm")


class PinnedZypperPackages(ShellRule):
    """Pin versions in zypper install.

    What: ``zypper install`` (``in``) with a package that has no ``=``, ``>`` or ``<``
    version constraint and is not an ``.rpm`` file. RUNs inside ONBUILD are checked too.

    Why: an unpinned package changes between builds; pinning makes the image
    reproducible and updates deliberate.

    Bad::

        RUN zypper install -y httpd

    Good::

        RUN zypper install -y httpd=2.4.58
    """

    code = "DL3037"
    severity = Severity.WARNING
    message = "Specify version with `zypper install -y <package>=<version>`."

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        return any(
            not _pinned(p)
            for c in script.named("zypper")
            if c.has_arg("install", "in")
            for p in c.args_no_flags()
            if p not in ("install", "in")
        )
