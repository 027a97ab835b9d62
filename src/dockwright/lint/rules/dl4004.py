from __future__ import annotations

from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule, repeated_in_stage

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class MultipleEntrypoint(Rule):
    """Multiple `ENTRYPOINT` instructions found.

    What: a stage with more than one ENTRYPOINT; all but the first are reported.

    Why: only the last ENTRYPOINT takes effect, so the others mislead the reader.

    Bad::

        ENTRYPOINT ["/init"]
        ENTRYPOINT ["/app"]

    Good::

        ENTRYPOINT ["/app"]
    """

    code = "DL4004"
    severity = Severity.ERROR
    message = (
        "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` "
        "then only the last `ENTRYPOINT` will take effect"
    )

    def check(self, ctx: LintContext) -> Iterator[int]:
        return repeated_in_stage(ctx, "ENTRYPOINT")
