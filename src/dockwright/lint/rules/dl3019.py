from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.shell import ShellScript
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, ShellRule, has_cache_mount_with


class ApkNoCache(ShellRule):
    """Use ``apk add --no-cache``.

    What: ``apk add`` without ``--no-cache``. A cache or tmpfs mount on
    ``/var/cache/apk`` exempts the RUN. RUNs inside ONBUILD are checked too.

    Why: without it the package index is downloaded into ``/var/cache/apk`` and stays in
    the layer unless you remember ``--update`` plus an ``rm`` in the same RUN.

    Bad::

        RUN apk add curl=8.5.0-r0

    Good::

        RUN apk add --no-cache curl=8.5.0-r0
    """

    code = "DL3019"
    severity = Severity.INFO
    message = (
        "Use the `--no-cache` switch to avoid the need to use `--update` and remove "
        "`/var/cache/apk/*` when done installing packages"
    )

    def bad_run(self, ctx: LintContext, ins: Instruction, script: ShellScript) -> bool:
        if has_cache_mount_with(ins, "/var/cache/apk"):
            return False
        return any(c.has_arg("add") and not c.has_flag("no-cache") for c in script.named("apk"))
