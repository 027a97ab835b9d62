from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import ARCHIVE_EXTENSIONS, InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


class CopyNotAdd(InstructionRule):
    """Use COPY instead of ADD for files and folders.

    What: an ADD with a source that is neither a (local) archive nor an ``http://`` or
    ``https://`` URL. ``.zip`` is not an archive here: ADD does not unpack it.

    Why: ADD's extra powers (unpacking, downloading) surprise readers; COPY says exactly
    what happens.

    Bad::

        ADD app/ /srv/app/

    Good::

        COPY app/ /srv/app/
        ADD rootfs.tar.xz /
    """

    code = "DL3020"
    severity = Severity.ERROR
    message = "Use COPY instead of ADD for files and folders"
    onbuild: ClassVar[bool] = False

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "ADD" or len(ins.args) < 2:
            return False
        for source in ins.args[:-1]:
            s = source.strip("'\"")
            if not (s.endswith(ARCHIVE_EXTENSIONS) or s.startswith(("http://", "https://"))):
                return True
        return False
