from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, ShellRule

# ``ifconfig`` is named in the message but, as in hadolint, not checked.
POINTLESS = frozenset({"free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"})


class PointlessCommand(ShellRule):
    """Commands that make no sense in a Docker build.

    What: a RUN (also inside ONBUILD) that runs ``free``, ``kill``, ``mount``, ``ps``,
    ``service``, ``shutdown``, ``ssh``, ``top`` or ``vim``. Only command names count:
    installing the ``ssh`` package is fine.

    Why: a build step has no services, no terminal and no other processes to look at;
    these commands either do nothing useful or hang the build.

    Bad::

        RUN service nginx start

    Good::

        CMD ["nginx", "-g", "daemon off;"]
    """

    code = "DL3001"
    severity = Severity.INFO
    message = (
        "For some bash commands it makes no sense running them in a Docker container like "
        "`ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`"
    )

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        return any(c.name in POINTLESS for c in script.commands)
