from __future__ import annotations

from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule, repeated_in_stage

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


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
