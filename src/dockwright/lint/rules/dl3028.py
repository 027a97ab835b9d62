from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellCommand, ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, ShellRule


def _gems(cmd: ShellCommand) -> list[str]:
    """Words before ``--`` that are not options; every ``-x`` word also takes the next."""
    out: list[str] = []
    words = list(cmd.args[: cmd.args.index("--")] if "--" in cmd.args else cmd.args)
    i = 0
    while i < len(words):
        if words[i].startswith("-"):
            i += 2
            continue
        if words[i] not in ("install", "i"):
            out.append(words[i])
        i += 1
    return out


class PinnedGems(ShellRule):
    """Pin versions in gem install.

    What: ``gem install`` (or ``gem i``) of a gem without ``:version`` and without a
    ``-v``/``--version`` option. RUNs inside ONBUILD are checked too.

    Why: an unpinned gem changes between builds; pinning makes the image reproducible.

    Bad::

        RUN gem install bundler

    Good::

        RUN gem install bundler:2.5.6
    """

    code = "DL3028"
    severity = Severity.WARNING
    message = (
        "Pin versions in gem install. Instead of `gem install <gem>` use "
        "`gem install <gem>:<version>`"
    )

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        for cmd in script.named("gem"):
            if not cmd.has_arg("install", "i") or cmd.has_arg("-v", "--version"):
                continue
            if any(a.startswith("--version=") for a in cmd.args):
                continue
            if any(":" not in g for g in _gems(cmd)):
                return True
        return False
