"""Version strings as docker/metadata-action reads them: npm semver (strict) and PEP 440."""

from __future__ import annotations

import re
from dataclasses import dataclass

# npm semver's strict FULL grammar: an optional leading "v", no leading zeros, and numbers
# beyond JavaScript's safe-integer range rejected.
_NUM = r"0|[1-9]\d*"
_PRE_ID = r"(?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*)"
_SEMVER = re.compile(
    rf"v?({_NUM})\.({_NUM})\.({_NUM})"
    rf"(?:-({_PRE_ID}(?:\.{_PRE_ID})*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
)
_MAX_SAFE_INTEGER = 2**53 - 1
_MAX_LENGTH = 256


@dataclass(frozen=True)
class Version:
    """What a ``pattern`` can say: ``{{raw}} {{version}} {{major}} {{minor}} {{patch}}``."""

    raw: str
    version: str
    major: int
    minor: int
    patch: int
    prerelease: str = ""
    build: str = ""
    # pre, post or dev release (PEP 440) / a prerelease part (semver): no latest, no shortening
    is_prerelease: bool = False

    def fields(self) -> dict[str, str]:
        return {
            "raw": self.raw,
            "version": self.version,
            "major": str(self.major),
            "minor": str(self.minor),
            "patch": str(self.patch),
            "prerelease": self.prerelease,
            "build": self.build,
        }


def parse_semver(text: str) -> Version | None:
    """Parse like npm's ``semver.valid``; ``None`` when it is not a valid version."""
    raw = text.strip()
    if len(raw) > _MAX_LENGTH:
        return None
    m = _SEMVER.fullmatch(raw)
    if m is None:
        return None
    major, minor, patch = (int(g) for g in m.group(1, 2, 3))
    if max(major, minor, patch) > _MAX_SAFE_INTEGER:
        return None
    pre = m.group(4) or ""
    version = f"{major}.{minor}.{patch}" + (f"-{pre}" if pre else "")
    return Version(raw, version, major, minor, patch, pre, m.group(5) or "", bool(pre))


# PEP 440, Appendix B (the canonical regular expression), case-insensitive.
_PEP440 = re.compile(
    r"""
    v?
    (?:(?P<epoch>[0-9]+)!)?
    (?P<release>[0-9]+(?:\.[0-9]+)*)
    (?P<pre>[-_.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?P<pre_n>[0-9]+)?)?
    (?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>[0-9]+)?))?
    (?P<dev>[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>[0-9]+)?)?
    (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_PRE_NAMES = {"alpha": "a", "a": "a", "beta": "b", "b": "b", "c": "rc", "pre": "rc"}
_PRE_NAMES |= {"preview": "rc", "rc": "rc"}


def parse_pep440(text: str) -> Version | None:
    """Parse a PEP 440 version; ``version`` is normalised (``1.2.3beta2`` -> ``1.2.3b2``)."""
    raw = text.strip()
    m = _PEP440.fullmatch(raw)
    if m is None:
        return None
    release = [int(p) for p in m.group("release").split(".")]
    out = ""
    if m.group("epoch") and int(m.group("epoch")):
        out += f"{int(m.group('epoch'))}!"
    out += ".".join(str(p) for p in release)
    pre = m.group("pre_l")
    if pre:
        out += _PRE_NAMES[pre.lower()] + str(int(m.group("pre_n") or 0))
    has_post = m.group("post") is not None
    if has_post:
        out += f".post{int(m.group('post_n1') or m.group('post_n2') or 0)}"
    has_dev = m.group("dev") is not None
    if has_dev:
        out += f".dev{int(m.group('dev_n') or 0)}"
    if m.group("local"):
        out += "+" + re.sub(r"[-_]", ".", m.group("local").lower())
    padded = [*release, 0, 0][:3]
    return Version(
        raw,
        out,
        padded[0],
        padded[1],
        padded[2],
        is_prerelease=bool(pre) or has_post or has_dev,
    )
