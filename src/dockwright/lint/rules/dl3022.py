from __future__ import annotations

from dockwright.dockerfile.pattern import LazyPattern
from dockwright.lint.images import from_image
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule, drop_quotes, raw_flag_value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator

_LEADING_INT = LazyPattern(r"[0-9]+")


class CopyFromKnownStage(Rule):
    """``COPY --from`` should name an earlier stage.

    What: ``COPY --from=X`` where X is not the alias of a FROM seen so far (the current one
    included), not a stage index below the number of FROMs so far, and not an image
    reference with a tag (``name:tag``). A bare image name (``--from=nginx``) and a
    forward reference are reported. The value is compared as written, quotes included.

    Why: a typo in a stage name silently pulls an image of that name from a registry
    instead of using the stage.

    Bad::

        FROM golang:1.22 AS build
        FROM debian:bookworm
        COPY --from=biuld /out/app /usr/local/bin/

    Good::

        COPY --from=build /out/app /usr/local/bin/
    """

    code = "DL3022"
    severity = Severity.WARNING
    message = "`COPY --from` should reference a previously defined `FROM` alias"

    def check(self, ctx: LintContext) -> Iterator[int]:
        aliases: set[str] = set()
        stages = 0
        for ins in ctx.instructions:
            if ins.keyword == "FROM":
                stages += 1
                alias = from_image(ins).alias
                if alias is not None:
                    aliases.add(alias)
            elif ins.keyword == "COPY":
                source = raw_flag_value(ins, "from")
                if source is None or ":" in drop_quotes(source) or source in aliases:
                    continue
                m = _LEADING_INT.match(source)
                if m is None or int(m.group()) >= stages:
                    yield ins.start_line
