from __future__ import annotations

from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


def repeated_in_stage(ctx: LintContext, keyword: str) -> Iterator[int]:
    """Lines of the second and later ``keyword`` instructions of each stage."""
    seen = False
    for ins in ctx.instructions:
        if ins.keyword == "FROM":
            seen = False
        elif ins.keyword == keyword:
            if seen:
                yield ins.start_line
            seen = True


class MultipleCmd(Rule):
    """Multiple `CMD` instructions found.

    What: a stage with more than one CMD; all but the first are reported.

    Why: only the last CMD takes effect, so the others mislead the reader.

    Bad::

        CMD ["nginx"]
        CMD ["nginx", "-g", "daemon off;"]

    Good::

        CMD ["nginx", "-g", "daemon off;"]
    """

    code = "DL4003"
    severity = Severity.WARNING
    message = (
        "Multiple `CMD` instructions found. If you list more than one `CMD` then only the "
        "last `CMD` will take effect"
    )

    def check(self, ctx: LintContext) -> Iterator[int]:
        return repeated_in_stage(ctx, "CMD")
