from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.images import from_image
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule
from dockwright.lint.values import cache_targets

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class YarnCacheClean(Rule):
    """`yarn cache clean` missing after `yarn install` was run.

    What: a RUN with ``yarn install`` and no ``yarn cache clean`` after it. Only the final stage and
    stages used as a base by a later FROM are reported; a cache or tmpfs mount on the yarn
    cache (``.cache/yarn``) exempts the RUN.

    Why: yarn's package cache stays in the layer otherwise.

    Bad::

        RUN yarn install --frozen-lockfile

    Good::

        RUN yarn install --frozen-lockfile && yarn cache clean
    """

    code = "DL3060"
    severity = Severity.INFO
    message = "`yarn cache clean` missing after `yarn install` was run."

    def _violates(self, ctx: LintContext, ins: Instruction) -> bool:
        commands = ctx.script(ins).commands
        install = next(
            (i for i, c in enumerate(commands) if c.name == "yarn" and c.has_arg("install")), None
        )
        if install is None or any(".cache/yarn" in t for t in cache_targets(ins)):
            return False
        clean = next(
            (i for i, c in enumerate(commands) if c.name == "yarn" and c.has_arg("cache", "clean")),
            None,
        )
        return clean is None or install >= clean

    def check(self, ctx: LintContext) -> Iterator[int]:
        # Stages compare as hadolint compares them: image text, alias, platform.
        stage: tuple[str, str | None, str | None] = ("scratch", None, None)
        images: set[str] = set()
        pending: list[tuple[int, tuple[str, str | None, str | None]]] = []
        for ins in ctx.instructions:
            if ins.keyword == "FROM":
                image = from_image(ins)
                stage = (ins.args[0] if ins.args else "", image.alias, image.platform)
                images.add(stage[0])
            elif ins.keyword == "RUN" and self._violates(ctx, ins):
                pending.append((ins.start_line, stage))
        for line, owner in pending:
            if owner == stage or (owner[1] is not None and owner[1] in images):
                yield line
        # The ONBUILD copy sees no FROM: every violation is in its (only) stage.
        for line, inner in ctx.onbuild_instructions:
            if inner.keyword == "RUN" and self._violates(ctx, inner):
                yield line
