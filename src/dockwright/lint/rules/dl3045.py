from __future__ import annotations

from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule
from dockwright.lint.values import copy_target, image_name, stage_name, strip_quotes

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


def _absolute(dest: str) -> bool:
    d = strip_quotes(dest)
    return d.startswith(("/", "$")) or d[1:].startswith((":\\", ":/"))


class CopyRelativeWithoutWorkdir(Rule):
    """`COPY` to a relative destination without `WORKDIR` set.

    What: a COPY whose destination is relative (not ``/...``, not ``C:\\...``, not a
    variable) in a stage where no WORKDIR was set, neither in it nor in the stage it is
    built from.

    Why: a relative destination lands in whatever directory the base image left as working
    directory, which can change under you.

    Bad::

        FROM python:3.12
        COPY app.py .

    Good::

        FROM python:3.12
        WORKDIR /app
        COPY app.py .
    """

    code = "DL3045"
    severity = Severity.WARNING
    message = "`COPY` to a relative destination without `WORKDIR` set."

    def check(self, ctx: LintContext) -> Iterator[int]:
        current: str | None = None
        workdir: dict[str | None, bool] = {}
        for ins in ctx.instructions:
            if ins.keyword == "FROM":
                current = stage_name(ins)
                workdir[current] = workdir.get(image_name(ins), False)
            elif ins.keyword == "WORKDIR":
                workdir[current] = True
            elif (
                ins.keyword == "COPY"
                and not workdir.get(current, False)
                and not _absolute(copy_target(ins))
            ):
                yield ins.start_line
