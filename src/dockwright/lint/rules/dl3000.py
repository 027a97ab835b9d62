from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


class AbsoluteWorkdir(InstructionRule):
    """Use absolute WORKDIR.

    What: a WORKDIR whose path (surrounding quotes ignored) does not start with ``/`` or
    ``$`` and is not a Windows absolute path (``C:...``).

    Why: a relative WORKDIR depends on the previous WORKDIR (or the base image's), so the
    directory a later instruction runs in is easy to get wrong.

    Bad::

        WORKDIR app

    Good::

        WORKDIR /srv/app

    Unlike hadolint 2.15.1 (which crashes on it), a one-character path such as
    ``WORKDIR a`` is reported.
    """

    code = "DL3000"
    severity = Severity.ERROR
    message = "Use absolute WORKDIR"
    onbuild: ClassVar[bool] = False

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "WORKDIR":
            return False
        path = ins.rest.strip("'\"")
        if path.startswith(("/", "$")):
            return False
        return not (len(path) >= 2 and path[0].isalpha() and path[1] == ":")
