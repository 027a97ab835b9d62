from __future__ import annotations

from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class OnbuildTrigger(Rule):
    """`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.

    What: ``ONBUILD FROM``, ``ONBUILD MAINTAINER`` (and ``ONBUILD ONBUILD``).

    Why: Docker does not allow these as triggers; the child image's build fails.

    Bad::

        ONBUILD MAINTAINER ops@example.com

    Good::

        ONBUILD COPY . /app
    """

    code = "DL3043"
    severity = Severity.ERROR
    message = "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction."

    def check(self, ctx: LintContext) -> Iterator[int]:
        for ins in ctx.instructions:
            if ins.inner is not None and ins.inner.keyword in ("ONBUILD", "FROM", "MAINTAINER"):
                yield ins.start_line
