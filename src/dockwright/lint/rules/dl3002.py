from __future__ import annotations

from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


def is_root(user: str) -> bool:
    return user in ("root", "0") or user.startswith(("root:", "0:"))


class LastUserNotRoot(Rule):
    """Last USER should not be root.

    What: in each stage, the last USER is ``root`` or ``0`` (with or without a group). Every
    stage is checked, not only the final one; a stage with no USER is not reported.

    Why: a container that runs as root turns any escape from the application into root
    on the host's kernel interface; drop to an unprivileged user once setup is done.

    Bad::

        FROM debian:bookworm
        USER root
        RUN apt-get update

    Good::

        FROM debian:bookworm
        USER root
        RUN apt-get update
        USER 10001
    """

    code = "DL3002"
    severity = Severity.WARNING
    message = "Last USER should not be root"

    def check(self, ctx: LintContext) -> Iterator[int]:
        stage_root: dict[int, int] = {}  # FROM line -> line of a root USER still in force
        stage: int | None = None
        for ins in ctx.instructions:
            if ins.keyword == "FROM":
                stage = ins.start_line
            elif ins.keyword == "USER" and stage is not None:
                if is_root(ins.rest):
                    stage_root[stage] = ins.start_line
                else:
                    stage_root.pop(stage, None)
        yield from stage_root.values()
