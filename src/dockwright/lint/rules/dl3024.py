from __future__ import annotations

from dockwright.lint.images import from_image
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class UniqueStageNames(Rule):
    """FROM aliases (stage names) must be unique.

    What: a FROM whose ``AS`` name was already used by an earlier FROM (compared
    case-sensitively).

    Why: ``--from=name`` and ``--target name`` then refer to only one of the stages, and
    readers cannot tell which.

    Bad::

        FROM golang:1.22 AS build
        FROM node:20 AS build

    Good::

        FROM golang:1.22 AS build-go
        FROM node:20 AS build-web
    """

    code = "DL3024"
    severity = Severity.ERROR
    message = "FROM aliases (stage names) must be unique"

    def check(self, ctx: LintContext) -> Iterator[int]:
        seen: set[str] = set()
        for ins in ctx.instructions:
            if ins.keyword != "FROM":
                continue
            alias = from_image(ins).alias
            if alias is None:
                continue
            if alias in seen:
                yield ins.start_line
            seen.add(alias)
