"""Lint rules from other distributions, through the entry point group ``dockwright.lint_rules``.

A distribution declares, in its ``pyproject.toml``::

    [project.entry-points."dockwright.lint_rules"]
    ACME001 = "acme_lint.rules:NoCurlPipeShell"

The entry point's name is the rule code; the object is a ``dockwright.lint.rule.Rule``
subclass whose ``code`` equals that name. Codes are upper-case letters then digits and
must not start with ``DL`` or ``SC`` (hadolint's and ShellCheck's ranges, now or later).
See docs/lint-plugins.md.

Discovery looks for the group's name in the installed distributions' ``entry_points.txt``
before importing ``importlib.metadata`` (which costs tens of milliseconds), so a lint run
with no plugin installed pays well under a millisecond.
"""

from __future__ import annotations

import os
import sys

from dockwright.dockerfile.pattern import LazyPattern
from dockwright.errors import LintPluginError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from dockwright.lint.rule import Rule

GROUP = "dockwright.lint_rules"
RESERVED_PREFIXES = ("DL", "SC")
_CODE = LazyPattern(r"[A-Z]+[0-9]+\Z")
_MARKER = f"[{GROUP}]".encode()

_loaded: dict[str, Rule] | None = None


def _any_declared() -> bool:
    """True when some distribution on ``sys.path`` declares an entry point of the group."""
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(entry, name, "entry_points.txt"), "rb") as f:
                    if _MARKER in f.read():
                        return True
            except OSError:
                continue
    return False


def rules() -> dict[str, Rule]:
    """Plugin rules by code, loaded once per process. Raises LintPluginError."""
    global _loaded
    if _loaded is None:
        _loaded = _load() if _any_declared() else {}
    return _loaded


def reset() -> None:
    """Forget what was loaded (after installing a plugin in the same process)."""
    global _loaded
    _loaded = None


def _load() -> dict[str, Rule]:
    from importlib.metadata import entry_points

    from dockwright.lint.model import Severity
    from dockwright.lint.rule import Rule

    found: dict[str, Rule] = {}
    origin: dict[str, str] = {}
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        dist = ep.dist.name if ep.dist is not None else "an unknown distribution"
        where = f"lint rule plugin {ep.name} = {ep.value!r} (from {dist})"
        code = ep.name
        if not _CODE.match(code):
            raise LintPluginError(
                f"{where}: expected a code of upper-case letters then digits (e.g. ACME001), "
                f"found {code!r}"
            )
        if code.startswith(RESERVED_PREFIXES):  # every built-in code starts with DL
            raise LintPluginError(
                f"{where}: {code} collides with the built-in codes; codes starting with "
                f"{' or '.join(RESERVED_PREFIXES)} are reserved, choose another prefix"
            )
        if code in found:
            raise LintPluginError(f"{where}: {code} is already defined by {origin[code]}")
        try:
            obj = ep.load()
        except Exception as exc:  # a plugin's import error is the user's to fix, not a crash
            raise LintPluginError(f"{where}: cannot be loaded: {exc!r}") from None
        if not (isinstance(obj, type) and issubclass(obj, Rule)):
            raise LintPluginError(f"{where}: expected a subclass of dockwright.lint.rule.Rule")
        rule = obj()
        if getattr(rule, "code", None) != code:
            raise LintPluginError(
                f"{where}: the class says code {getattr(rule, 'code', None)!r}, expected {code!r}"
            )
        if not isinstance(getattr(rule, "severity", None), Severity) or not isinstance(
            getattr(rule, "message", None), str
        ):
            raise LintPluginError(f"{where}: expected a Severity `severity` and a str `message`")
        found[code] = rule
        origin[code] = where
    return found
