"""Which release a dependency moves to: Renovate's lookup (filter, compatibility, buckets)
with one outcome per dependency, chosen by a policy.

Renovate keeps releases that are versions, greater than the current one and compatible with
it; drops unstable ones unless the current version is itself unstable with the same
major.minor.patch (``ignoreUnstable``), deprecated ones when the current is not, versions
the npm ``latest`` dist-tag has not reached (``respectLatest``), and ignored ones; then it
puts each in a bucket by update type (major, or minor and patch together) and proposes the
highest of each bucket as its own pull request. A file has one value at a time, so a policy
picks the bucket:

- ``major``: the highest candidate (Renovate's ``major`` bucket when there is one, else its
  ``non-major`` one);
- ``minor``: the highest candidate with the same major (``non-major``);
- ``patch``: the highest with the same major and minor (``patch``, as with
  ``separateMinorPatch``);
- ``digest``: no version change; only the digest of the current tag is refreshed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from dockwright.update.patterns import matches_any
from dockwright.update.versioning import Versioning, sort_versions

Policy = Literal["patch", "minor", "major", "digest"]
UpdateType = Literal["major", "minor", "patch"]
POLICIES: tuple[Policy, ...] = ("patch", "minor", "major", "digest")
_ALLOWED: dict[Policy, frozenset[UpdateType]] = {
    "patch": frozenset({"patch"}),
    "minor": frozenset({"patch", "minor"}),
    "major": frozenset({"patch", "minor", "major"}),
    "digest": frozenset(),
}


@dataclass(frozen=True)
class Release:
    """One release a datasource knows. ``stable`` and ``deprecated`` are what the datasource
    says beyond the version string (a GitHub release marked pre-release, a yanked upload)."""

    version: str
    stable: bool = True
    deprecated: bool = False


@dataclass(frozen=True)
class Choice:
    version: str
    update_type: UpdateType


def update_type(scheme: Versioning, current: str, new: str) -> UpdateType:
    """Renovate's ``getUpdateType`` (no separate multiple majors)."""
    if scheme.major(new) != scheme.major(current):
        return "major"
    new_minor, cur_minor = scheme.minor(new), scheme.minor(current)
    if new_minor is not None and cur_minor is not None and new_minor > cur_minor:
        return "minor"
    return "patch"


def current_version(scheme: Versioning, current: str, releases: Sequence[Release]) -> str:
    """The release the current value names: the one release equal to it, else the value."""
    same = [
        r.version
        for r in releases
        if scheme.is_version(r.version) and scheme.compare(r.version, current) == 0
    ]
    return same[0] if len(same) == 1 else current


def _stable(scheme: Versioning, release: Release) -> bool:
    return release.stable and scheme.is_stable(release.version)


def candidates(
    scheme: Versioning,
    current: str,
    releases: Sequence[Release],
    *,
    prereleases: bool = False,
    ignore_versions: Sequence[str] = (),
    latest: str | None = None,
) -> list[Release]:
    """Releases the current value may move to, ascending (Renovate's ``filterVersions`` and
    ``isCompatible``). ``current`` must be a version of ``scheme``."""
    versioned = [r for r in releases if scheme.is_version(r.version)]
    newer = [r for r in versioned if scheme.compare(r.version, current) > 0]
    found = [r for r in versioned if scheme.compare(r.version, current) == 0]
    current_release = found[0] if found else None
    if current_release is not None and not current_release.deprecated:
        newer = [r for r in newer if not r.deprecated]
    if latest is not None and scheme.is_version(latest) and scheme.compare(current, latest) <= 0:
        newer = [r for r in newer if scheme.compare(r.version, latest) <= 0]
    if not prereleases:
        if current_release is not None and _stable(scheme, current_release):
            newer = [r for r in newer if _stable(scheme, r)]
        else:
            major, minor, patch = (scheme.major(current), scheme.minor(current),
                                   scheme.patch(current))  # fmt: skip
            newer = [
                r
                for r in newer
                if _stable(scheme, r)
                or (
                    scheme.major(r.version) == major
                    and scheme.minor(r.version) == minor
                    and scheme.patch(r.version) == patch
                )
            ]
    kept = [
        r
        for r in newer
        if scheme.is_compatible(r.version, current) and not matches_any(r.version, ignore_versions)
    ]
    order = sort_versions(scheme, [r.version for r in kept])
    by_version = {r.version: r for r in kept}
    return [by_version[v] for v in order]


def choose(
    scheme: Versioning,
    current: str,
    releases: Sequence[Release],
    policy: Policy,
    *,
    prereleases: bool = False,
    ignore_versions: Sequence[str] = (),
    latest: str | None = None,
) -> Choice | None:
    """The release ``policy`` moves ``current`` to, or None (already the newest allowed)."""
    allowed = _ALLOWED[policy]
    if not allowed or not scheme.is_version(current):
        return None
    pool = candidates(
        scheme,
        current,
        releases,
        prereleases=prereleases,
        ignore_versions=ignore_versions,
        latest=latest,
    )
    for release in reversed(pool):
        kind = update_type(scheme, current, release.version)
        if kind in allowed:
            return Choice(release.version, kind)
    return None
