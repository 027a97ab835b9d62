from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext
from dockwright.lint.values import cache_targets

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar

_INSTALLS = ("install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei")


class DnfCleanAll(InstructionRule):
    """`dnf clean all` missing after dnf command.

    What: a RUN where ``dnf`` (or ``microdnf``) installs or upgrades packages and no later
    command of the same tool cleans (``clean all``) and no ``rm -rf`` of the cache follows.
    A cache or tmpfs mount on ``/var/cache/libdnf5`` exempts the RUN.

    Why: the package metadata and downloaded RPMs stay in the layer otherwise.

    Bad::

        RUN dnf install -y httpd-2.4.57

    Good::

        RUN dnf install -y httpd-2.4.57 && dnf clean all
    """

    code = "DL3040"
    severity = Severity.WARNING
    message = "`dnf clean all` missing after dnf command."
    onbuild: ClassVar[bool] = True

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "RUN":
            return False
        if any("/var/cache/libdnf5" in t or ".cache/libdnf5" in t for t in cache_targets(ins)):
            return False
        commands = ctx.script(ins).commands
        for tool in ("dnf", "microdnf"):
            install = next(
                (i for i, c in enumerate(commands) if c.name == tool and c.has_arg(*_INSTALLS)),
                None,
            )
            if install is None:
                continue
            clean = next(
                (
                    i
                    for i, c in enumerate(commands)
                    if (c.name == tool and c.has_arg("clean", "all"))
                    or (c.name == "rm" and c.has_arg("-rf", "/var/cache/libdnf5*"))
                ),
                None,
            )
            if clean is None or install >= clean:
                return True
        return False
