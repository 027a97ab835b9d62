from __future__ import annotations

from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule
from dockwright.lint.values import unquoted_pairs

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class SuperfluousLabels(Rule):
    """Superfluous label(s) present.

    What: with ``strict-labels``, a LABEL that sets a key not declared in ``label-schema``
    (one finding per LABEL instruction).

    Why: a strict schema keeps image metadata to the keys a team agreed on.

    Bad::

        # label-schema: {org.opencontainers.image.version: semver}, strict-labels: true
        LABEL build-host=ci-runner-7

    Good::

        LABEL org.opencontainers.image.version=1.4.2
    """

    code = "DL3050"
    severity = Severity.INFO
    message = "Superfluous label(s) present."

    def check(self, ctx: LintContext) -> Iterator[int]:
        if not ctx.config.strict_labels:
            return
        allowed = {name for name, _ in ctx.config.label_schema}
        for ins in ctx.instructions:
            if ins.keyword == "LABEL" and any(k not in allowed for k, _ in unquoted_pairs(ins)):
                yield ins.start_line
