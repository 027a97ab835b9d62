from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, ShellRule


def _pinned(package: str) -> bool:
    return any(s in package for s in "=~><") or package.endswith(".apk")


class PinnedApkPackages(ShellRule):
    """Pin versions in apk add.

    What: ``apk add`` with a package that has no version constraint (``=``, ``~``, ``>``
    or ``<``) and is not an ``.apk`` file. Values of ``-t``/``--virtual``,
    ``--repository`` and ``-X`` are not packages. RUNs inside ONBUILD are checked too.

    Why: an unpinned package changes between builds; pinning makes the image
    reproducible and updates deliberate.

    Bad::

        RUN apk add --no-cache curl

    Good::

        RUN apk add --no-cache curl=8.5.0-r0
    """

    code = "DL3018"
    severity = Severity.WARNING
    message = (
        "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`"
    )

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        for cmd in script.named("apk"):
            if not cmd.has_arg("add"):
                continue
            packages = cmd.drop_flag_arg(("t", "virtual", "repository", "X")).args_no_flags()
            if any(not _pinned(p) for p in packages if p != "add"):
                return True
        return False
