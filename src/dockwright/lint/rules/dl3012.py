from __future__ import annotations

from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class OneHealthcheck(Rule):
    """Only one HEALTHCHECK per stage.

    What: the second and later HEALTHCHECK instructions of a stage (``HEALTHCHECK NONE``
    counts).

    Why: only the last HEALTHCHECK takes effect; the earlier ones are dead code that
    misleads readers.

    Bad::

        HEALTHCHECK CMD curl -f http://localhost/ || exit 1
        HEALTHCHECK CMD wget -q -O /dev/null http://localhost/ || exit 1

    Good::

        HEALTHCHECK CMD curl -f http://localhost/ || exit 1
    """

    code = "DL3012"
    severity = Severity.ERROR
    message = "Multiple `HEALTHCHECK` instructions"

    def check(self, ctx: LintContext) -> Iterator[int]:
        seen = False
        for ins in ctx.instructions:
            if ins.keyword == "FROM":
                seen = False
            elif ins.keyword == "HEALTHCHECK":
                if seen:
                    yield ins.start_line
                seen = True
