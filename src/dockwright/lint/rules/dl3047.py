from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


class WgetProgress(InstructionRule):
    """Avoid use of wget without progress bar.

    What: ``wget`` without ``--progress=...``, ``-q``/``--quiet``, ``-nv``/``--no-verbose``,
    or a log file (``-o``/``--output-file``, ``-a``/``--append-output``).

    Why: wget's default progress bar writes thousands of lines into the build log.

    Bad::

        RUN wget https://example.com/app.tar.gz

    Good::

        RUN wget --progress=dot:giga https://example.com/app.tar.gz
    """

    code = "DL3047"
    severity = Severity.INFO
    message = (
        "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. "
        "Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`)."
    )
    onbuild: ClassVar[bool] = True

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "RUN":
            return False
        return any(
            not (
                c.has_flag(
                    "progress",
                    "q",
                    "quiet",
                    "o",
                    "output-file",
                    "a",
                    "append-output",
                    "no-verbose",
                )
                or c.has_arg("-nv")
            )
            for c in ctx.script(ins).named("wget")
        )
