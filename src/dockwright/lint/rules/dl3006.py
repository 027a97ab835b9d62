from __future__ import annotations

from dockwright.lint.images import from_image
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class TaggedImage(Rule):
    """Always tag the version of an image explicitly.

    What: a FROM image with neither a tag nor a digest. ``scratch``, an image given by a
    variable (``$IMAGE``, ``${IMAGE}``) and the name of an earlier stage are fine.

    Why: an untagged image means ``latest``, which moves: the same Dockerfile builds
    something different tomorrow.

    Bad::

        FROM debian

    Good::

        FROM debian:bookworm-20240211
    """

    code = "DL3006"
    severity = Severity.WARNING
    message = "Always tag the version of an image explicitly"

    def check(self, ctx: LintContext) -> Iterator[int]:
        aliases: set[str] = set()
        for ins in ctx.instructions:
            if ins.keyword != "FROM":
                continue
            image = from_image(ins)
            if (
                image.tag is None
                and image.digest is None
                and image.name != "scratch"
                and not image.name.startswith("$")
                and image.name not in aliases
            ):
                yield ins.start_line
            if image.alias is not None:
                aliases.add(image.alias)
