from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


def _as_int64(number: int) -> int:
    """hadolint reads ports into a 64-bit Int, so huge numbers wrap around."""
    number &= (1 << 64) - 1
    return number - (1 << 64) if number >= 1 << 63 else number


def _number(port: str) -> bool:
    return port.isdigit() and port.isascii()


class ValidPort(InstructionRule):
    """Valid UNIX ports range from 0 to 65535.

    What: an EXPOSE port, or either end of a port range, above 65535. Ports given by a
    variable are not checked.

    Why: such a port cannot exist; the build or the run fails later with a less helpful
    error.

    Bad::

        EXPOSE 80800

    Good::

        EXPOSE 8080
    """

    code = "DL3011"
    severity = Severity.ERROR
    message = "Valid UNIX ports range from 0 to 65535"
    onbuild: ClassVar[bool] = False

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "EXPOSE":
            return False
        for spec in ins.args:
            ports = spec.split("/", 1)[0].split("-")
            # A spec with a variable anywhere (``$P-80000``) is not a port to check.
            numbers = len(ports) <= 2 and all(_number(p) for p in ports)
            if numbers and any(_as_int64(int(p)) > 65535 for p in ports):
                return True
        return False
