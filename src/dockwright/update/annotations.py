"""Versions annotated with Renovate's comment convention, read exactly as the
``customManagers:dockerfileVersions`` preset's expression reads them::

    # renovate: datasource=github-releases depName=hadolint/hadolint
    ARG HADOLINT_VERSION=v2.12.0

The comment must come right before an ``ENV`` or ``ARG`` whose name ends in ``_VERSION``;
the keys ``datasource``, ``depName``, ``packageName`` (or ``lookupName``), ``versioning``,
``extractVersion`` and ``registryUrl`` must appear in that order, one space apart. The
expression runs over the whole file, as Renovate runs it; a comment line ending in CRLF is
read as well (the preset's single ``\\s`` between comment and instruction misses those).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# The preset's expression, in Python's syntax: (?P<name>…) for (?<name>…), the '-' in the
# datasource class escaped; `(?:\s|\r\n)` before ENV/ARG for CRLF files; the variable name
# captured as well (its own group changes nothing of what matches).
PATTERN = re.compile(
    r"# renovate: datasource=(?P<datasource>[a-zA-Z0-9\-._]+?) depName=(?P<depName>[^\s]+?)"
    r"(?: (?:lookupName|packageName)=(?P<packageName>[^\s]+?))?"
    r"(?: versioning=(?P<versioning>[^\s]+?))?"
    r"(?: extractVersion=(?P<extractVersion>[^\s]+?))?"
    r"(?: registryUrl=(?P<registryUrl>[^\s]+?))?"
    r"(?:\r\n|\s)(?P<keyword>ENV|ARG)\s+(?P<variable>[A-Za-z0-9_]+?_VERSION)[ =][\"']?"
    r"(?P<currentValue>.+?)[\"']?\s"
)


@dataclass(frozen=True)
class Annotation:
    datasource: str
    dep_name: str
    package_name: str | None
    versioning: str | None
    extract_version: str | None
    registry_url: str | None
    keyword: str  # ENV or ARG
    variable: str
    value: str
    start: int  # offset of the value in the text
    end: int
    line: int  # 1-based line of the ENV/ARG


def find_annotations(text: str) -> Iterator[Annotation]:
    for m in PATTERN.finditer(text):
        yield Annotation(
            datasource=m.group("datasource"),
            dep_name=m.group("depName"),
            package_name=m.group("packageName"),
            versioning=m.group("versioning"),
            extract_version=m.group("extractVersion"),
            registry_url=m.group("registryUrl"),
            keyword=m.group("keyword"),
            variable=m.group("variable"),
            value=m.group("currentValue"),
            start=m.start("currentValue"),
            end=m.end("currentValue"),
            line=text.count("\n", 0, m.start("keyword")) + 1,
        )


def js_regex(pattern: str) -> re.Pattern[str]:
    """A JavaScript expression as Renovate's ``extractVersion`` takes it (named groups
    ``(?<name>…)``), compiled for Python."""
    return re.compile(re.sub(r"\(\?<(?![=!])", "(?P<", pattern))
