from __future__ import annotations

from dockwright.lint.model import Severity
from dockwright.lint.packages import YumJudge, versioned_install_violations
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class PinnedYumPackages(Rule):
    """Specify versions with yum install.

    What: ``yum install`` of a package that is not ``name-version`` (each part after the
    first ``-`` made of version characters, one starting with a digit) and not an
    ``.rpm`` file. A ``${VAR}`` version counts when VAR is an ENV of the stage or an ARG.
    ``yum module install`` needs ``module:stream``. RUNs inside ONBUILD are checked too.

    Why: an unpinned package changes between builds; pinning makes the image
    reproducible and updates deliberate.

    Bad::

        RUN yum install -y httpd && yum clean all

    Good::

        RUN yum install -y httpd-2.4.6 && yum clean all
    """

    code = "DL3033"
    severity = Severity.WARNING
    message = "Specify version with `yum install -y <package>-<version>`."
    judge = YumJudge("yum")

    def check(self, ctx: LintContext) -> Iterator[int]:
        plain = ((i.start_line, i) for i in ctx.instructions if i.inner is None)
        yield from versioned_install_violations(ctx, plain, self.judge)
        # The ONBUILD copy has its own state and sees only ONBUILD's ENV/ARG.
        yield from versioned_install_violations(ctx, ctx.onbuild_instructions, self.judge)
