from __future__ import annotations

from dockwright.lint.images import from_image
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule
from dockwright.lint.values import stage_name

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class MissingHealthcheck(Rule):
    """`HEALTHCHECK` instruction missing.

    What: a stage without a HEALTHCHECK (``HEALTHCHECK NONE`` counts), reported at its
    FROM, unless it is built from a stage that has one. Off by default (severity
    ``ignore``); turn it on with an ``override``.

    Why: without a health check the engine and orchestrators only know whether the
    process runs, not whether it serves.

    Bad::

        FROM nginx:1.27

    Good::

        FROM nginx:1.27
        HEALTHCHECK CMD wget -q -O /dev/null http://localhost/ || exit 1
    """

    code = "DL3057"
    severity = Severity.IGNORE
    message = "`HEALTHCHECK` instruction missing."

    def check(self, ctx: LintContext) -> Iterator[int]:
        current: tuple[str, int] | None = None
        good: set[tuple[str, int]] = set()
        bad: set[tuple[str, int]] = set()
        for ins in ctx.instructions:
            if ins.keyword == "FROM":
                current = (stage_name(ins), ins.start_line)
                parent = from_image(ins).name
                if any(name == parent for name, _ in good):
                    good.add(current)
                else:
                    bad.add(current)
            elif ins.keyword == "HEALTHCHECK" and current is not None:
                good.add(current)
                bad.discard(current)
        for _, line in bad:
            yield line
