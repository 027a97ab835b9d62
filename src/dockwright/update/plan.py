"""What each dependency moves to, as data: the lookups, the policy's choice, the digest,
and the edits that write it.

For each dependency: its settings (global values merged with the matching rules), its
datasource's releases (once per package), the policy's choice among them, then for images
the digest of the chosen tag when the line pins one or ``pin-digests`` asks for it. A
lookup that fails is recorded and the others go on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from dockwright.errors import DockwrightError
from dockwright.update.annotations import js_regex
from dockwright.update.datasources.base import Datasource, Lookup
from dockwright.update.deps import Dependency
from dockwright.update.policy import Release, choose, current_version
from dockwright.update.rewrite import Edit, EditConflict, normalize
from dockwright.update.settings import UpdateSettings
from dockwright.update.sourced import Loc
from dockwright.update.versioning import DEFAULT_VERSIONING, VERSIONINGS, new_value

UpdateKind = Literal["major", "minor", "patch", "digest", "pin"]
Status = Literal["current", "skipped", "failed"]


@dataclass(frozen=True)
class Update:
    dependency: Dependency
    update_type: UpdateKind
    new_value: str | None
    new_digest: str | None
    edits: tuple[Edit, ...]
    group: str | None = None

    @property
    def old_value(self) -> str | None:
        return self.dependency.value

    @property
    def old_digest(self) -> str | None:
        return self.dependency.digest


@dataclass(frozen=True)
class Outcome:
    """A dependency left as it is, and why."""

    dependency: Dependency
    status: Status
    reason: str


@dataclass(frozen=True)
class Plan:
    updates: tuple[Update, ...] = ()
    others: tuple[Outcome, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.updates)

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.others if o.status == "failed")

    def edits(self) -> list[Edit]:
        return normalize(e for u in self.updates for e in u.edits)

    def files(self) -> list[str]:
        return sorted({e.file for e in self.edits()})


@dataclass
class _Cache:
    lookups: dict[tuple[str, str, str | None], Lookup | DockwrightError] = field(
        default_factory=dict
    )
    digests: dict[tuple[object, ...], str | DockwrightError | None] = field(default_factory=dict)


class Planner:
    def __init__(self, settings: UpdateSettings, sources: Mapping[str, Datasource]) -> None:
        self.settings = settings
        self.sources = sources
        self._cache = _Cache()

    def plan(self, deps: Iterable[Dependency]) -> Plan:
        updates: list[Update] = []
        others: list[Outcome] = []
        every = list(deps)
        for dep in every:
            result = self._one(dep)
            if isinstance(result, Update):
                updates.append(result)
            else:
                others.append(result)
        kept, conflicts = _drop_conflicts(updates, every)
        return Plan(tuple(kept), tuple(others + conflicts))

    # -- one dependency -------------------------------------------------------------------

    def _one(self, dep: Dependency) -> Update | Outcome:
        if dep.skip:
            return Outcome(dep, "skipped", dep.skip)
        rule = self.settings.for_dependency(dep.name, dep.package)
        if rule.ignored:
            return Outcome(dep, "skipped", "ignored")
        source = self.sources.get(dep.datasource)
        if source is None:
            return Outcome(dep, "skipped", f"unsupported-datasource {dep.datasource}")
        scheme_name = rule.versioning or dep.versioning or DEFAULT_VERSIONING.get(dep.datasource)
        scheme = VERSIONINGS.get(scheme_name or "")
        if scheme is None:
            return Outcome(dep, "skipped", f"unsupported-versioning {scheme_name}")
        if dep.value is None:
            reason = "digest-without-tag" if dep.digest else "no-tag"
            return Outcome(dep, "skipped", reason)
        value = dep.value
        new = value
        kind: UpdateKind | None = None
        if scheme.is_version(value) and rule.policy != "digest":
            try:
                lookup = self._lookup(source, dep)
                releases = _extract(lookup.releases, dep.extract_version)
            except DockwrightError as exc:
                return Outcome(dep, "failed", str(exc))
            except re.error as exc:
                return Outcome(dep, "skipped", f"invalid-extract-version ({exc})")
            choice = choose(
                scheme,
                value,
                releases,
                rule.policy,
                prereleases=rule.prereleases,
                ignore_versions=rule.ignore_versions,
                latest=lookup.latest,
            )
            if choice is not None:
                new = new_value(value, current_version(scheme, value, releases), choice.version)
                kind = choice.update_type
        elif (
            not scheme.is_version(value)
            and dep.digest is None
            and not (rule.pin_digests and dep.pin_at is not None)
        ):
            return Outcome(dep, "skipped", "not-a-version")
        new_digest = dep.digest
        pin = rule.pin_digests and dep.pin_at is not None  # annotated versions have no pin
        if dep.datasource == "docker" and (dep.digest is not None or pin):
            try:
                new_digest = self._digest(source, dep, new)
            except DockwrightError as exc:
                return Outcome(dep, "failed", str(exc))
            if new_digest is None:
                return Outcome(dep, "failed", f"{dep.package}:{new}: no digest (the tag is gone)")
            if kind is None and new_digest != dep.digest:
                kind = "digest" if dep.digest else "pin"
        if kind is None:
            return Outcome(dep, "current", "up to date")
        edits = _edits(dep, new, new_digest)
        if edits is None:
            return Outcome(dep, "skipped", "not-editable")
        return Update(dep, kind, new, new_digest, edits, rule.group)

    def _lookup(self, source: Datasource, dep: Dependency) -> Lookup:
        key = (dep.datasource, dep.package, dep.registry_url)
        cached = self._cache.lookups.get(key)
        if cached is None:
            try:
                cached = source.releases(dep.package, dep.registry_url)
            except DockwrightError as exc:
                cached = exc
            self._cache.lookups[key] = cached
        if isinstance(cached, DockwrightError):
            raise cached
        return cached

    def _digest(self, source: Datasource, dep: Dependency, tag: str) -> str | None:
        key = (dep.package, dep.registry_url, tag, dep.digest, dep.platform, dep.value)
        if key not in self._cache.digests:
            try:
                found: str | DockwrightError | None = source.digest(
                    dep.package,
                    tag,
                    registry_url=dep.registry_url,
                    current_digest=dep.digest,
                    platform=dep.platform,
                    current_tag=dep.value,
                )
            except DockwrightError as exc:
                found = exc
            self._cache.digests[key] = found
        found = self._cache.digests[key]
        if isinstance(found, DockwrightError):
            raise found
        return found


def _extract(releases: Sequence[Release], extract_version: str | None) -> list[Release]:
    """Renovate's ``extractVersion``: the ``version`` group of each release that matches."""
    if not extract_version:
        return list(releases)
    pattern = js_regex(extract_version)
    out = []
    for release in releases:
        m = pattern.search(release.version)
        version = m.groupdict().get("version") if m else None
        if version:
            out.append(Release(version, release.stable, release.deprecated))
    return out


def _edits(dep: Dependency, value: str, digest: str | None) -> tuple[Edit, ...] | None:
    out: list[Edit] = []
    pin = digest is not None and dep.digest is None
    if value != dep.value:
        if dep.value_at is None:
            return None
        file, start, end = dep.value_at
        if pin and dep.pin_at == (file, end, end):
            return (Edit(file, start, end, f"{value}@{digest}"),)
        out.append(Edit(file, start, end, value))
    if pin:
        if dep.pin_at is None:
            return None
        out.append(Edit(*dep.pin_at, f"@{digest}"))
    elif digest is not None and digest != dep.digest:
        if dep.digest_at is None:
            return None
        out.append(Edit(*dep.digest_at, digest))
    return tuple(out)


def _claims(dep: Dependency) -> set[Loc]:
    """The characters a dependency's value and digest are written with."""
    return {loc for loc in (*dep.value_locs, *dep.digest_locs) if loc is not None}


def _drop_conflicts(
    updates: list[Update], deps: Sequence[Dependency]
) -> tuple[list[Update], list[Outcome]]:
    """An update that writes where another dependency is written (two images sharing one
    ARG) goes ahead only when that one's update makes the very same edits: else both stay
    as they are (an ARG moved for one image would move the other, or pin it to a digest of
    another image)."""
    by_dep = {id(u.dependency): u for u in updates}
    bad: dict[int, str] = {}
    for u in updates:
        mine = _claims(u.dependency)
        if u.new_digest is not None and u.dependency.digest is None and u.dependency.value_locs:
            last = u.dependency.value_locs[-1]
            if last is not None:
                mine.add(last)  # the pin goes right after the tag
        for other in deps:
            if other is u.dependency or not (mine & _claims(other)):
                continue
            theirs = by_dep.get(id(other))
            if theirs is None or set(theirs.edits) != set(u.edits):
                reason = f"conflict: {other.name} ({other.where}) is written in the same place"
                bad.setdefault(id(u.dependency), reason)
                if theirs is not None:
                    bad.setdefault(
                        id(other),
                        f"conflict: {u.dependency.name} ({u.dependency.where}) is written in "
                        "the same place",
                    )
    kept = [u for u in updates if id(u.dependency) not in bad]
    dropped = [
        Outcome(u.dependency, "skipped", bad[id(u.dependency)])
        for u in updates
        if id(u.dependency) in bad
    ]
    try:
        normalize(e for u in kept for e in u.edits)
    except EditConflict as exc:  # different places overlapping: not expected, but never apply
        raise DockwrightError(f"conflicting edits: {exc}") from exc
    return kept, dropped


def plan(
    deps: Iterable[Dependency], settings: UpdateSettings, sources: Mapping[str, Datasource]
) -> Plan:
    return Planner(settings, sources).plan(deps)
