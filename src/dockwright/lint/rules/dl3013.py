from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellCommand, ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.packages import is_pip_install
from dockwright.lint.rule import LintContext, ShellRule

# pip options that take a value in the next word (their values are not packages).
VALUE_OPTIONS = (
    "abi", "b", "build", "e", "editable", "extra-index-url", "f", "find-links", "i",
    "index-url", "implementation", "no-binary", "only-binary", "platform", "prefix",
    "progress-bar", "proxy", "python", "python-version", "root", "root-user-action", "src",
    "t", "target", "trusted-host", "upgrade-strategy",
)  # fmt: skip
VCS_SCHEMES = (
    "git+file", "git+https", "git+ssh", "git+http", "git+git", "git", "hg+file", "hg+http",
    "hg+https", "hg+ssh", "hg+static-http", "svn", "svn+svn", "svn+http", "svn+https",
    "svn+ssh", "bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp",
)  # fmt: skip
_VERSION_SYMBOLS = ("==", ">=", "<=", ">", "<", "!=", "~=", "===")


def _packages(cmd: ShellCommand) -> list[str]:
    words = cmd.drop_flag_arg(VALUE_OPTIONS).args_no_flags()
    if "install" not in words:
        return []
    rest = words[words.index("install") :]
    while rest and rest[0] == "install":
        rest = rest[1:]
    return rest


def _pinned(package: str) -> bool:
    vcs = package.startswith(VCS_SCHEMES)
    return (
        any(s in package for s in _VERSION_SYMBOLS)
        or (vcs and "@" in package)
        or package.endswith((".whl", ".tar.gz"))
        or (not vcs and "/" in package)
    )


class PinnedPipPackages(ShellRule):
    """Pin versions in pip install.

    What: ``pip install`` (``pip3``, ``python -m pip install``...) of a package without a
    version specifier (``==``, ``>=``, ``~=``...). A VCS URL with ``@ref``, a wheel or
    sdist file and a path are pinned. Installs from a requirements file (``-r``), of the
    current project (``.``) or under a constraints file (``-c``) are not checked. RUNs
    inside ONBUILD are checked too.

    Why: an unpinned package changes between builds; pinning makes the image
    reproducible and updates deliberate.

    Bad::

        RUN pip install --no-cache-dir requests

    Good::

        RUN pip install --no-cache-dir requests==2.31.0
    """

    code = "DL3013"
    severity = Severity.WARNING
    message = (
        "Pin versions in pip. Instead of `pip install <package>` use `pip install "
        "<package>==<version>` or `pip install --requirement <requirements file>`"
    )

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        return any(
            is_pip_install(c)
            and not c.has_flag("constraint", "c")
            and not c.has_arg("--requirement", "-r", ".")
            and not all(_pinned(p) for p in _packages(c))
            for c in script.commands
        )
