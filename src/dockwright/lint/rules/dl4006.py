from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator

NON_POSIX_SHELLS = ("pwsh", "powershell", "cmd")
PIPEFAIL_SHELLS = frozenset({"/bin/bash", "/bin/zsh", "/bin/ash", "bash", "zsh", "ash"})


def _safe_shell(ctx: LintContext, ins: Instruction) -> bool:
    text = " ".join(ins.args)
    if text.startswith(NON_POSIX_SHELLS):
        return True
    return any(
        c.name in PIPEFAIL_SHELLS and c.has_flag("o") and c.has_arg("pipefail")
        for c in ctx.script(ins).commands
    )


class PipefailBeforePipe(Rule):
    """Set the SHELL option -o pipefail before RUN with a pipe in it.

    What: a RUN whose script has a pipe (``|``), in a stage whose SHELL does not run bash,
    zsh or ash with ``-o pipefail`` (a PowerShell or cmd SHELL is fine too). Only the exact
    names ``bash``, ``zsh``, ``ash`` and ``/bin/bash``, ``/bin/zsh``, ``/bin/ash`` count.

    Why: a pipeline's status is that of its last command, so ``curl ... | tar x`` succeeds
    even when the download fails, and the build goes on with a broken layer.

    Bad::

        RUN curl -fsSL https://example.com/x.tgz | tar -xz

    Good::

        SHELL ["/bin/bash", "-o", "pipefail", "-c"]
        RUN curl -fsSL https://example.com/x.tgz | tar -xz
    """

    code = "DL4006"
    severity = Severity.WARNING
    message = (
        "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using "
        "/bin/sh in an alpine image or if your shell is symlinked to busybox then consider "
        "explicitly setting your SHELL to /bin/ash, or disable this check"
    )

    def check(self, ctx: LintContext) -> Iterator[int]:
        safe = False
        for ins in ctx.instructions:
            if ins.keyword == "FROM":
                safe = False
            elif ins.keyword == "SHELL":
                safe = _safe_shell(ctx, ins)
            elif ins.keyword == "RUN" and not safe and ctx.script(ins).has_pipe:
                yield ins.start_line
