from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator


class WgetOrCurl(Rule):
    """Either use Wget or Curl but not both

    What: a stage whose RUNs use both ``wget`` and ``curl``; every RUN using either is
    reported from the point where both have been seen.

    Why: two HTTP clients do the same job; installing both wastes space.

    Bad::

        RUN curl -fsSLO https://example.com/a.tgz
        RUN wget -q https://example.com/b.tgz

    Good::

        RUN curl -fsSLO https://example.com/a.tgz \\
            && curl -fsSLO https://example.com/b.tgz
    """

    code = "DL4001"
    severity = Severity.WARNING
    message = "Either use Wget or Curl but not both"

    def _fold(self, ctx: LintContext, items: Iterable[tuple[int, Instruction]]) -> Iterator[int]:
        seen: set[str] = set()
        for line, ins in items:
            if ins.keyword == "FROM":
                seen = set()
            elif ins.keyword == "RUN":
                used = {c.name for c in ctx.script(ins).named("curl", "wget")}
                seen |= used
                if used and len(seen) == 2:
                    yield line

    def check(self, ctx: LintContext) -> Iterator[int]:
        plain = ((i.start_line, i) for i in ctx.instructions if i.inner is None)
        yield from self._fold(ctx, plain)
        yield from self._fold(ctx, ctx.onbuild_instructions)
