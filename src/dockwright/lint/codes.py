"""Code -> rule table (data). Modules are imported only when a rule is needed.

Codes are hadolint's and are never reused for another meaning.
"""

from __future__ import annotations

import importlib

from dockwright.lint.rule import Rule

# code -> "module:Class" under dockwright.lint.rules
RULES: dict[str, str] = {
    "DL3000": "dl3000:AbsoluteWorkdir",
    "DL3002": "dl3002:LastUserNotRoot",
    "DL3004": "dl3004:NoSudo",
    "DL3006": "dl3006:TaggedImage",
    "DL3007": "dl3007:NoLatestTag",
    "DL3008": "dl3008:PinnedAptPackages",
    "DL3009": "dl3009:AptListsRemoved",
    "DL3015": "dl3015:NoInstallRecommends",
    "DL3020": "dl3020:CopyNotAdd",
    "DL3025": "dl3025:JsonCmd",
    "DL4000": "dl4000:NoMaintainer",
    "DL4006": "dl4006:PipefailBeforePipe",
}

# Codes hadolint knows that are not implemented here; named so configs using them are valid.
KNOWN_ELSEWHERE: frozenset[str] = frozenset(
    {f"DL{n}" for n in range(3000, 3068)} | {"DL1001", "DL4001", "DL4003", "DL4004", "DL4005"}
) - {"DL3005", "DL3017", "DL3031", "DL3039"}


def load(code: str) -> Rule:
    """Instantiate the rule for ``code`` (KeyError when unknown)."""
    module, _, cls = RULES[code].partition(":")
    mod = importlib.import_module(f"dockwright.lint.rules.{module}")
    rule: Rule = getattr(mod, cls)()
    return rule


def all_rules() -> list[Rule]:
    return [load(code) for code in RULES]
