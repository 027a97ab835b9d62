from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.packages import apt_get_installs
from dockwright.lint.rule import InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


class NoInstallRecommends(InstructionRule):
    """Avoid additional packages by specifying ``--no-install-recommends``.

    What: ``apt-get install`` without ``--no-install-recommends`` (or
    ``-o APT::Install-Recommends=false``).

    Why: recommended packages are rarely needed in a container and can double the size
    of the layer.

    Bad::

        RUN apt-get install -y curl=7.88.1-10+deb12u5

    Good::

        RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
    """

    code = "DL3015"
    severity = Severity.INFO
    message = "Avoid additional packages by specifying `--no-install-recommends`"
    onbuild: ClassVar[bool] = True

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "RUN":
            return False
        return any(
            not c.has_flag("no-install-recommends")
            and not c.has_arg("APT::Install-Recommends=false")
            for c in apt_get_installs(ctx, ins)
        )
