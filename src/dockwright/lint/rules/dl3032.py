from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellCommand, ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.packages import cleaned_after
from dockwright.lint.rule import LintContext, ShellRule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable

    Predicate = Callable[[ShellCommand], bool]


def _yum_install(c: ShellCommand) -> bool:
    return c.name == "yum" and c.has_arg("install")


def _yum_clean(c: ShellCommand) -> bool:
    # Any of the words counts, as in hadolint: ``yum clean metadata`` and ``rm -rf x`` pass.
    return (c.name == "yum" and c.has_arg("clean", "all")) or (
        c.name == "rm" and c.has_arg("-rf", "/var/cache/yum/*")
    )


class YumCleanAll(ShellRule):
    """``yum clean all`` after yum install.

    What: a RUN with ``yum install`` and no later ``yum clean all`` (or ``rm -rf
    /var/cache/yum/*``) in the same RUN. RUNs inside ONBUILD are checked too.

    Why: yum's metadata and package cache stay in the layer and can be hundreds of
    megabytes; cleaning in a later RUN does not shrink the earlier layer.

    Bad::

        RUN yum install -y httpd-2.4.6

    Good::

        RUN yum install -y httpd-2.4.6 && yum clean all
    """

    code = "DL3032"
    severity = Severity.WARNING
    message = "`yum clean all` missing after yum command."

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        return not cleaned_after(script, _yum_install, _yum_clean)
