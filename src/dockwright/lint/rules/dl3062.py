from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


def _pinned(word: str) -> bool:
    if word == "." or word.startswith(("/", ".")):
        return True
    return "@" in word and not word.endswith(("@latest", "@none"))


class PinnedGoPackages(InstructionRule):
    """Pin versions in go.

    What: ``go install``/``go get`` of a module without ``@version`` (``@latest`` and
    ``@none`` are not versions), and ``go run`` of a package not pinned the same way.
    Local paths (``.``, ``./cmd/x``, ``/src``) are fine.

    Why: an unpinned module resolves to whatever is newest at build time.

    Bad::

        RUN go install golang.org/x/tools/gopls@latest

    Good::

        RUN go install golang.org/x/tools/gopls@v0.16.2
    """

    code = "DL3062"
    severity = Severity.WARNING
    message = (
        "Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`"
    )
    onbuild: ClassVar[bool] = True

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "RUN":
            return False
        go = ctx.script(ins).named("go")
        runs = [c for c in go if c.has_arg("run")]
        if runs:
            for cmd in runs:
                words = cmd.args_no_flags()
                after = words[words.index("run") + 1 :] if "run" in words else []
                if after and not _pinned(after[0]):
                    return True
            return False
        return any(
            not _pinned(w)
            for c in go
            if c.has_arg("install", "get")
            for w in c.args_no_flags()
            if w not in ("install", "get", "tool")
        )
