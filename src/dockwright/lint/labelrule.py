"""The shape shared by the label-schema rules: one check per schema label and LABEL."""

from __future__ import annotations

from dockwright.lint.rule import LintContext, Rule
from dockwright.lint.values import unquoted_pairs

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import ClassVar


class LabelValueRule(Rule):
    """Reports a LABEL that sets a schema label of ``label_type`` to a bad value.

    ``message`` holds ``{label}``; the finding names the label. ``label_type`` ``*`` checks
    every schema label.
    """

    label_type: ClassVar[str]

    def valid(self, value: str) -> bool:
        raise NotImplementedError

    def check(self, ctx: LintContext) -> Iterator[int]:
        for line, _ in self.violations(ctx):
            yield line

    def violations(self, ctx: LintContext) -> Iterator[tuple[int, str]]:
        labels = [name for name, kind in ctx.config.label_schema if self.label_type in (kind, "*")]
        if not labels:
            return
        for ins in ctx.instructions:
            if ins.keyword != "LABEL":
                continue
            pairs = unquoted_pairs(ins)
            for label in labels:
                if any(k == label and not self.valid(v) for k, v in pairs):
                    yield ins.start_line, self.message.format(label=label)
