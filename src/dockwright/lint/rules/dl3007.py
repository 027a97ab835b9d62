from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.images import from_image
from dockwright.lint.model import Severity
from dockwright.lint.rule import InstructionRule, LintContext

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from typing import ClassVar


class NoLatestTag(InstructionRule):
    """Using latest is prone to errors.

    What: a FROM image tagged exactly ``latest`` without a digest.

    Why: ``latest`` is whatever was pushed last; builds stop being reproducible and
    can break without any change to the Dockerfile.

    Bad::

        FROM node:latest

    Good::

        FROM node:20.11.1-bookworm
    """

    code = "DL3007"
    severity = Severity.WARNING
    message = (
        "Using latest is prone to errors if the image will ever update. Pin the version "
        "explicitly to a release tag"
    )
    onbuild: ClassVar[bool] = False

    def violates(self, ctx: LintContext, ins: Instruction) -> bool:
        if ins.keyword != "FROM":
            return False
        image = from_image(ins)
        return image.tag == "latest" and image.digest is None
