from __future__ import annotations

from dockwright.dockerfile import Comment
from dockwright.lint.model import Severity
from dockwright.lint.pragmas import is_inline_ignore
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class NoInlineIgnore(Rule):
    """Please refrain from using inline ignore pragmas.

    What: a ``# hadolint ignore=...`` comment that silences the next instruction.
    ``global ignore``, ``stage ignore`` and ``shell`` pragmas are not reported. Off by
    default (severity ignore): turn it on with an override, e.g. ``--warning DL1001``.

    Why: some teams want every exception in one reviewed place (the config file) instead
    of scattered through Dockerfiles.

    Bad::

        # hadolint ignore=DL3008
        RUN apt-get install -y curl

    Good::

        # .hadolint.yaml: ignored: [DL3008]
        RUN apt-get install -y curl
    """

    code = "DL1001"
    severity = Severity.IGNORE
    message = "Please refrain from using inline ignore pragmas  `# hadolint ignore=DLxxxx`."

    def check(self, ctx: LintContext) -> Iterator[int]:
        for node in ctx.df.nodes:
            if isinstance(node, Comment) and is_inline_ignore(node.text):
                yield node.line
