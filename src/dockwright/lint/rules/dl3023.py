from __future__ import annotations

from dockwright.lint.images import from_image
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule, raw_flag_value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class CopyFromNotSelf(Rule):
    """``COPY --from`` cannot name its own stage.

    What: ``COPY --from=X`` where X is the alias of the stage the COPY is in.

    Why: a stage cannot read from itself; the build fails with a dependency cycle.

    Bad::

        FROM debian:bookworm AS app
        COPY --from=app /etc/os-release /tmp/

    Good::

        FROM debian:bookworm AS base
        FROM base AS app
        COPY --from=base /etc/os-release /tmp/
    """

    code = "DL3023"
    severity = Severity.ERROR
    message = "`COPY --from` cannot reference its own `FROM` alias"

    def check(self, ctx: LintContext) -> Iterator[int]:
        alias: str | None = None
        for ins in ctx.instructions:
            if ins.keyword == "FROM":
                alias = from_image(ins).alias
            elif (
                ins.keyword == "COPY" and alias is not None and raw_flag_value(ins, "from") == alias
            ):
                yield ins.start_line
