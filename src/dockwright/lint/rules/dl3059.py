from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


def _flags(ins: Instruction) -> tuple[tuple[str, str | None], ...]:
    return tuple(sorted((f.name, f.value) for f in ins.flags))


class ConsecutiveRuns(Rule):
    """Multiple consecutive `RUN` instructions. Consider consolidation.

    What: a RUN of a single command right after another single-command RUN with the same
    flags (comments in between do not matter). RUNs that chain two or more commands are
    taken as deliberate and not reported; nor are RUNs with different ``--mount`` or other
    flags.

    Why: each RUN adds a layer; merging simple steps keeps the image smaller and the
    build faster.

    Bad::

        RUN apt-get update
        RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5

    Good::

        RUN apt-get update \\
            && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
    """

    code = "DL3059"
    severity = Severity.INFO
    message = "Multiple consecutive `RUN` instructions. Consider consolidation."

    def check(self, ctx: LintContext) -> Iterator[int]:
        previous: tuple[tuple[tuple[str, str | None], ...], int] | None = None
        for ins in ctx.instructions:
            if ins.keyword != "RUN":
                previous = None
                continue
            flags, count = _flags(ins), len(ctx.script(ins).commands)
            if previous is None or previous[0] != flags or count > 1 or previous[1] > 1:
                previous = (flags, count)
            else:
                yield ins.start_line
