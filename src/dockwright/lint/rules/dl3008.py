from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.packages import apt_get_installs
from dockwright.lint.rule import InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


def _pinned(package: str) -> bool:
    return "=" in package or "/" in package or package.endswith(".deb")


class PinnedAptPackages(InstructionRule):
    """Pin versions in apt-get install.

    What: ``apt-get install`` with a package that has no ``=version`` (a ``/release``
    or a ``.deb`` file also counts as pinned). Values of ``-t``/``--target-release`` are
    not packages. A variable (``$PKGS``) is not a pin.

    Why: without a version the package changes under you between builds; pinning makes
    the image reproducible and updates deliberate.

    Bad::

        RUN apt-get install -y curl

    Good::

        RUN apt-get install -y curl=7.88.1-10+deb12u5
    """

    code = "DL3008"
    severity = Severity.WARNING
    message = (
        "Pin versions in apt get install. Instead of `apt-get install <package>` use "
        "`apt-get install <package>=<version>`"
    )
    onbuild: ClassVar[bool] = True

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "RUN":
            return False
        for cmd in apt_get_installs(ctx, ins):
            packages = cmd.drop_flag_arg(("t", "target-release")).args_no_flags()
            if any(not _pinned(p) for p in packages if p != "install"):
                return True
        return False
