from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext
from dockwright.lint.values import strip_quotes


class CopyWholeFilesystem(InstructionRule):
    """Do not copy an entire filesystem from another stage

    What: ``COPY --from=<stage> / /``.

    Why: it copies the other stage's whole root, package databases and all, over this one;
    copy the files you need.

    Bad::

        COPY --from=build / /

    Good::

        COPY --from=build /out/app /usr/local/bin/app
    """

    code = "DL3067"
    severity = Severity.WARNING
    message = "Do not copy an entire filesystem from another stage"

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "COPY" or ins.flag("from") is None or len(ins.args) < 2:
            return False
        sources = [strip_quotes(a) for a in ins.args[:-1]]
        return "/" in sources and strip_quotes(ins.args[-1]) == "/"
