from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.images import from_image
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule
from dockwright.lint.values import stage_name, unquote, unquoted_pairs

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class MissingLabel(Rule):
    """Label `{label}` is missing.

    What: for each label in ``label-schema``, a stage that never sets it, reported at its
    FROM. A stage built ``FROM`` a stage that has the label inherits it; a stage only used
    by ``COPY --from`` is not reported. Only active with a label schema.

    Why: required metadata (source, version, licence) should be on every image built.

    Bad::

        # label-schema: {org.opencontainers.image.source: url}
        FROM debian:bookworm

    Good::

        FROM debian:bookworm
        LABEL org.opencontainers.image.source=https://github.com/acme/app
    """

    code = "DL3049"
    severity = Severity.INFO
    message = "Label `{label}` is missing."

    def check(self, ctx: LintContext) -> Iterator[int]:
        for line, _ in self.violations(ctx):
            yield line

    def violations(self, ctx: LintContext) -> Iterator[tuple[int, str]]:
        for label, _ in ctx.config.label_schema:
            for line in self._missing(ctx, label):
                yield line, self.message.format(label=label)

    @staticmethod
    def _missing(ctx: LintContext, label: str) -> list[int]:
        # Stages are FROM instructions; "good" ones set the label (or inherit it).
        current: Instruction | None = None
        good: list[Instruction] = []
        bad: dict[int, Instruction] = {}

        def silence(name: str) -> None:
            for line, stage in list(bad.items()):
                if from_image(stage).alias == name:
                    del bad[line]

        for ins in ctx.instructions:
            if ins.keyword == "FROM":
                current = ins
                parent = from_image(ins).name
                if any(from_image(g).alias == parent for g in good):
                    good.append(ins)
                else:
                    bad[ins.start_line] = ins
            elif current is None:
                continue
            elif ins.keyword == "COPY":
                source = ins.flag("from")
                if source is not None and source.value is not None:
                    silence(unquote(source.value))
            elif ins.keyword == "LABEL" and any(k == label for k, _ in unquoted_pairs(ins)):
                silence(stage_name(current))
                good.append(current)
                bad.pop(current.start_line, None)
        return list(bad)
