from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellCommand
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


def _uid_word(cmd: ShellCommand) -> str | None:
    """The word after a short-flag word holding ``u`` (``-u``, ``-mu``): hadolint measures
    only that form, not ``--uid N`` or ``-uN``."""
    for i, a in enumerate(cmd.args[:-1]):
        if a.startswith("-") and not a.startswith("--") and "u" in a[1:]:
            return cmd.args[i + 1]
    return None


class UseraddLowUid(InstructionRule):
    """`useradd` without flag `-l` and high UID will result in excessively large Image.

    What: ``useradd -u <uid>`` with a UID of more than five digits and without ``-l``
    (``--no-log-init``).

    Why: useradd reserves space in ``/var/log/faillog`` and ``lastlog`` proportional to
    the UID, so a high UID writes a huge sparse file into the layer.

    Bad::

        RUN useradd -u 1000000 app

    Good::

        RUN useradd -l -u 1000000 app
    """

    code = "DL3046"
    severity = Severity.WARNING
    message = "`useradd` without flag `-l` and high UID will result in excessively large Image."
    onbuild: ClassVar[bool] = True

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "RUN":
            return False
        for cmd in ctx.script(ins).named("useradd"):
            if not cmd.has_flag("u", "uid") or cmd.has_flag("l", "no-log-init"):
                continue
            uid = _uid_word(cmd)
            if uid is not None and len(uid) > 5:
                return True
        return False
