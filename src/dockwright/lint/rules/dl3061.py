from __future__ import annotations

from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class InstructionOrder(Rule):
    """Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.

    What: any instruction other than ARG before the first FROM (comments and parser
    directives are fine).

    Why: Docker rejects such a Dockerfile; only ARG may come before FROM.

    Bad::

        ENV LANG=C.UTF-8
        FROM debian:bookworm

    Good::

        FROM debian:bookworm
        ENV LANG=C.UTF-8
    """

    code = "DL3061"
    severity = Severity.ERROR
    message = "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment."

    def check(self, ctx: LintContext) -> Iterator[int]:
        for ins in ctx.instructions:
            if ins.keyword == "FROM":
                return
            if ins.keyword != "ARG":
                yield ins.start_line
