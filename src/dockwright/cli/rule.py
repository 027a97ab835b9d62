"""``dockwright rule CODE``: explain a lint rule (its documentation, severity and fix)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockwright.lint.rule import Rule

HELP = "explain a lint rule"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="a rule code, e.g. DL3008")
    parser.add_argument("--all", action="store_true", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from dockwright.errors import UsageError
    from dockwright.lint import codes, plugins

    code = args.code.upper()
    if code in codes.RETIRED:
        message, release = codes.RETIRED[code]
        print(
            f"# {code} (retired)\n\n"
            f"Message: {message}\n"
            f"Retired: removed in hadolint {release}\n\n"
            "The code is still accepted wherever a rule code is (--ignore, ignored:, override:,\n"
            "HADOLINT_* variables, pragmas), so configurations written for older releases keep\n"
            "working; nothing reports it."
        )
        return 0
    if code in codes.RULES:
        rule = codes.load(code)
        origin = "built-in"
    elif code in plugins.rules():
        rule = plugins.rules()[code]
        origin = f"plugin ({type(rule).__module__})"
    else:
        known = ", ".join([*codes.RULES, *plugins.rules()])
        raise UsageError(f"unknown rule {args.code!r}; implemented rules: {known}")
    print(describe(rule, origin))
    return 0


def describe(rule: Rule, origin: str) -> str:
    """The text `dockwright rule` prints for a rule."""
    import inspect

    from dockwright.lint import fixes

    doc = inspect.cleandoc(type(rule).__doc__ or "")
    if rule.code in fixes.FIXES:
        mod = fixes.load(rule.code)
        fix = (
            f"{mod.AVAILABILITY.value} available ({mod.APPLICABILITY.value}; "
            f"{_how(mod.APPLICABILITY.value)}): {mod.TITLE}"
        )
    else:
        fix = "none"
    return (
        f"# {rule.code} ({rule.severity.value})\n\n"
        f"Message: {rule.message}\n"
        f"Severity: {rule.severity.value}\n"
        f"Fix: {fix}\n"
        f"Source: {origin}\n\n"
        f"{doc}"
    )


def _how(applicability: str) -> str:
    return {
        "safe": "dockwright lint --fix",
        "unsafe": "dockwright lint --fix --unsafe-fixes",
    }.get(applicability, "shown only")
