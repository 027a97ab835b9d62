from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellCommand, ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, ShellRule

_GIT = ("git://", "git+ssh://", "git+http://", "git+https://")
_TARBALL = (".tar", ".tar.gz", ".tgz")
_PATH = ("/", "./", "../", "~/")


def _pinned(package: str) -> bool:
    if package.startswith(_GIT):
        return "#" in package
    if package.endswith(_TARBALL) or package.startswith(_PATH):
        return True
    if package.startswith("@"):
        # hadolint drops the scope as every leading character above ``/`` in ASCII, so
        # ``@scope/name@1`` keeps ``/name@1`` (and ``@my-scope/x`` keeps ``-scope/x``).
        i = 0
        while i < len(package) and package[i] > "/":
            i += 1
        package = package[i:]
    return "@" in package


def _unpinned_install(cmd: ShellCommand) -> bool:
    if not cmd.has_arg("install"):
        return False
    words = cmd.drop_flag_arg(("loglevel", "registry")).args_no_flags()
    if not words or words[0] != "install":
        return False  # ``npm run install`` and the like
    packages = words[1:]
    while packages and packages[0] == "install":
        packages = packages[1:]
    return not all(_pinned(p) for p in packages)


class PinnedNpmPackages(ShellRule):
    """Pin versions in npm install.

    What: ``npm install <package>`` where the package has no ``@version`` (a scope's
    ``@`` does not count). Git URLs need a ``#ref``; tarballs and paths are pinned.
    ``npm install`` without packages (from package.json) is fine. RUNs inside ONBUILD
    are checked too.

    Why: an unpinned package changes between builds; pinning makes the image
    reproducible and updates deliberate.

    Bad::

        RUN npm install express

    Good::

        RUN npm install express@4.18.2
    """

    code = "DL3016"
    severity = Severity.WARNING
    message = (
        "Pin versions in npm. Instead of `npm install <package>` use "
        "`npm install <package>@<version>`"
    )

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        return any(_unpinned_install(c) for c in script.named("npm"))
