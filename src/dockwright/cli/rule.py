"""``dockwright rule CODE``: explain a lint rule (its documentation)."""

from __future__ import annotations

import argparse
import inspect

HELP = "explain a lint rule"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="a rule code, e.g. DL3008")
    parser.add_argument("--all", action="store_true", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from dockwright.errors import UsageError
    from dockwright.lint import codes

    code = args.code.upper()
    if code not in codes.RULES:
        known = ", ".join(codes.RULES)
        raise UsageError(f"unknown rule {args.code!r}; implemented rules: {known}")
    rule = codes.load(code)
    doc = inspect.cleandoc(type(rule).__doc__ or "")
    print(f"# {rule.code} ({rule.severity.value})\n")
    print(f"Message: {rule.message}\n")
    print(doc)
    return 0
