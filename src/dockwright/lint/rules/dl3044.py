from __future__ import annotations

from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule
from dockwright.lint.values import unquote, unquoted_pairs

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def _refers_to(value: str, name: str) -> bool:
    """``${name}``, or ``$name`` not followed by a name character."""
    if "${" + name + "}" in value:
        return True
    needle = "$" + name
    i = value.find(needle)
    while i >= 0:
        end = i + len(needle)
        if end == len(value) or value[end] not in _NAME_CHARS:
            return True
        i = value.find(needle, i + 1)
    return False


class EnvSelfReference(Rule):
    """Do not refer to an environment variable within the same `ENV` statement where it is
    defined.

    What: ``ENV A=1 B=$A`` where ``A`` was not defined by an earlier ENV or ARG. Docker
    expands ``$A`` with the value from *before* this ENV, not with ``1``. A variable's own
    old value (``PATH=$PATH:/x``) is fine.

    Why: the result is not what the line appears to say.

    Bad::

        ENV APP_HOME=/app APP_BIN=$APP_HOME/bin

    Good::

        ENV APP_HOME=/app
        ENV APP_BIN=$APP_HOME/bin
    """

    code = "DL3044"
    severity = Severity.ERROR
    message = (
        "Do not refer to an environment variable within the same `ENV` statement where it "
        "is defined."
    )

    def check(self, ctx: LintContext) -> Iterator[int]:
        defined: set[str] = set()
        for ins in ctx.instructions:
            if ins.keyword == "ARG":
                defined.update(unquote(a, ins.escape).partition("=")[0] for a in ins.args)
            elif ins.keyword == "ENV":
                pairs = unquoted_pairs(ins)
                names = [k for k, _ in pairs]
                if any(
                    n not in defined and _refers_to(v, n) for n in names for k, v in pairs if k != n
                ):
                    yield ins.start_line
                defined.update(names)
