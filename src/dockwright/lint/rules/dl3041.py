from __future__ import annotations

from dockwright.dockerfile.shell import ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.packages import KnownVariables, YumJudge, versioned_install_violations
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


class _DnfJudge(YumJudge):
    """As for yum, but ``dnf group ...`` commands are not package installs."""

    def __call__(self, script: ShellScript, known: KnownVariables) -> bool:
        kept = tuple(
            c for c in script.commands if not (c.has_arg("group") and not c.has_arg("module"))
        )
        return super().__call__(ShellScript(kept, script.has_pipe), known)


class PinnedDnfPackages(Rule):
    """Specify version with `dnf install -y <package>-<version>`.

    What: ``dnf install`` (or ``microdnf``) of a package that is not ``name-version`` (each
    part after the first ``-`` made of version characters, one starting with a digit) and
    not an ``.rpm`` file. A ``${VAR}`` version counts when VAR is an ENV of the stage or an
    ARG. ``dnf module install`` needs ``module:stream``; ``dnf group`` is not checked.

    Why: unpinned packages change between builds without anyone deciding so.

    Bad::

        RUN dnf install -y httpd && dnf clean all

    Good::

        RUN dnf install -y httpd-2.4.62 && dnf clean all
    """

    code = "DL3041"
    severity = Severity.WARNING
    message = "Specify version with `dnf install -y <package>-<version>`."
    judge = _DnfJudge("dnf", "microdnf")

    def check(self, ctx: LintContext) -> Iterator[int]:
        plain = ((i.start_line, i) for i in ctx.instructions if i.inner is None)
        yield from versioned_install_violations(ctx, plain, self.judge)
        # The ONBUILD copy has its own state and sees only ONBUILD's ENV/ARG.
        yield from versioned_install_violations(ctx, ctx.onbuild_instructions, self.judge)
