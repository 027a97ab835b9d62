from __future__ import annotations

from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule
from dockwright.lint.values import unquote

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class NumericUser(Rule):
    """Non-numeric user-id may not be resolvable by host system

    What: a USER whose user part (before ``:``) is not a number, unless it is built from
    an ARG declared earlier (``USER ${APP_UID}``). Every USER is checked.

    Why: a name only means something inside the image's ``/etc/passwd``; the host and
    orchestrators (``runAsNonRoot``) can only check a numeric ID.

    Bad::

        USER app

    Good::

        USER 10001:10001
    """

    code = "DL3066"
    severity = Severity.INFO
    message = "Non-numeric user-id may not be resolvable by host system"

    def check(self, ctx: LintContext) -> Iterator[int]:
        args: set[str] = set()
        for ins in ctx.instructions:
            if ins.keyword == "ARG":
                args.update(unquote(a, ins.escape).partition("=")[0] for a in ins.args)
            elif ins.keyword == "USER":
                user = ins.rest.partition(":")[0]
                if user.isdigit() and user.isascii():
                    continue
                if any("${" + a + "}" in user or "$" + a in user for a in args):
                    continue
                yield ins.start_line
