"""Tag rules and flavor, as docker/metadata-action's ``tags`` and ``flavor`` inputs define them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

LatestMode = Literal["auto", "true", "false"]
RefEvent = Literal["branch", "tag", "pr"]
ShaFormat = Literal["short", "long"]

# type -> default priority; the one table of rule types (the config schema derives from it).
DEFAULT_PRIORITY: dict[str, int] = {
    "schedule": 1000,
    "semver": 900,
    "pep440": 900,
    "match": 800,
    "edge": 700,
    "ref": 600,
    "raw": 200,
    "sha": 100,
}
RULE_TYPES: tuple[str, ...] = tuple(sorted(DEFAULT_PRIORITY))
REF_EVENTS: tuple[RefEvent, ...] = ("branch", "pr", "tag")


@dataclass(frozen=True)
class TagRule:
    """One entry of ``tags:``.

    ``prefix``/``suffix`` are ``None`` when not written, which is not the same as ``""``: an
    entry that sets either (even empty) overrides the flavor's.
    """

    type: str
    pattern: str = ""
    value: str = ""
    match: str = ""
    group: int = 0
    event: RefEvent | None = None
    branch: str = ""
    format: ShaFormat = "short"
    prefix: str | None = None
    suffix: str | None = None
    enable: str = "true"
    priority: int | None = None

    @property
    def effective_priority(self) -> int:
        return DEFAULT_PRIORITY[self.type] if self.priority is None else self.priority

    @property
    def effective_prefix(self) -> str | None:
        if self.prefix is not None:
            return self.prefix
        if self.type == "sha":
            return "sha-"
        if self.type == "ref" and self.event == "pr":
            return "pr-"
        return None


@dataclass(frozen=True)
class Flavor:
    latest: LatestMode = "auto"
    prefix: str = ""
    prefix_onlatest: bool = False
    suffix: str = ""
    suffix_onlatest: bool = False


# The design's default rules: release versions, the branch name and the commit.
DEFAULT_RULES: tuple[TagRule, ...] = (
    TagRule(type="semver", pattern="{{version}}"),
    TagRule(type="semver", pattern="{{major}}.{{minor}}"),
    TagRule(type="semver", pattern="{{major}}"),
    TagRule(type="ref", event="branch"),
    TagRule(type="sha"),
)


def compile_regex(text: str) -> re.Pattern[str]:
    """Compile ``text``; ``/source/flags`` is read as JavaScript writes it."""
    m = re.fullmatch(r"/(.*)/([a-z]*)", text, re.S)
    if m is None:
        return re.compile(text)
    flags = 0
    for letter in m.group(2):
        flags |= {"i": re.I, "m": re.M, "s": re.S}.get(letter, 0)
    return re.compile(m.group(1), flags)
