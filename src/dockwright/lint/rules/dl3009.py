from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule
from dockwright.lint.values import cache_targets

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator

# A stage as hadolint compares them: image text, alias, platform.
_StageKey = tuple[str, str | None, str | None]
_NO_STAGE: _StageKey = ("scratch", None, None)


def _stage_key(ins: Instruction) -> _StageKey:
    platform = ins.flag("platform")
    alias = ins.args[2] if len(ins.args) == 3 else None
    return (ins.args[0], alias, platform.value if platform else None)


class AptListsRemoved(Rule):
    """Delete the apt lists after installing something.

    What: a RUN with ``apt-get update`` (or ``apt``/``aptitude update``) and no ``rm`` of
    the lists in the same RUN (``rm -rf ...`` or ``rm /var/lib/apt/lists/*``). Only the
    final stage and stages used as a base by a later FROM are reported. A cache or tmpfs
    mount on ``/var/lib/apt/lists`` (or on both ``/var/lib/apt`` and ``/var/cache/apt``)
    exempts the RUN.

    Why: the package lists are tens of megabytes that stay in the layer and are stale the
    moment the image is built.

    Bad::

        RUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u5

    Good::

        RUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u5 \\
            && rm -rf /var/lib/apt/lists/*
    """

    code = "DL3009"
    severity = Severity.INFO
    message = "Delete the apt lists (/var/lib/apt/lists) after installing something"

    def _violates(self, ctx: LintContext, ins: Instruction) -> bool:
        script = ctx.script(ins)
        updates = any(c.has_arg("update") for c in script.named("apt-get", "apt", "aptitude"))
        if not updates:
            return False
        if any(c.has_arg("-rf", "/var/lib/apt/lists/*") for c in script.named("rm")):
            return False
        targets = cache_targets(ins)
        if any("/var/lib/apt/lists" in t for t in targets):
            return False
        return not (
            any("/var/lib/apt" in t for t in targets)
            and any("/var/cache/apt" in t for t in targets)
        )

    def check(self, ctx: LintContext) -> Iterator[int]:
        last: _StageKey | None = None
        images: set[str] = set()
        pending: list[tuple[int, _StageKey]] = []
        for ins in ctx.instructions:
            if ins.keyword == "FROM":
                last = _stage_key(ins)
                images.add(ins.args[0])
            elif ins.keyword == "RUN" and self._violates(ctx, ins):
                pending.append((ins.start_line, last or _NO_STAGE))
        last = last or _NO_STAGE
        for line, stage in pending:
            if stage == last or (stage[1] is not None and stage[1] in images):
                yield line
        # The ONBUILD copy sees no FROM: every violation is in its (only) stage.
        for line, inner in ctx.onbuild_instructions:
            if inner.keyword == "RUN" and self._violates(ctx, inner):
                yield line
