"""Which release each policy picks: Renovate's filter, compatibility and buckets."""

from __future__ import annotations

import pytest
from tests.unit.update.scenario import EXPECTED, EXPECTED_WITH_PRERELEASES, TAGS

from dockwright.update.policy import Release, candidates, choose, update_type
from dockwright.update.versioning import VERSIONINGS

docker = VERSIONINGS["docker"]
RELEASES = [Release(t) for t in TAGS]
POLICIES = ("patch", "minor", "major")


def picks(current: str, *, prereleases: bool = False, **kw: object) -> tuple[str | None, ...]:
    out = []
    for policy in POLICIES:
        choice = choose(docker, current, RELEASES, policy, prereleases=prereleases, **kw)  # type: ignore[arg-type]
        out.append(choice.version if choice else None)
    return tuple(out)


@pytest.mark.parametrize(("current", "expected"), sorted(EXPECTED.items()))
def test_each_policy_picks_what_renovate_picks(
    current: str, expected: tuple[str | None, ...]
) -> None:
    assert picks(current) == expected


@pytest.mark.parametrize(("current", "expected"), sorted(EXPECTED_WITH_PRERELEASES.items()))
def test_prereleases_when_opted_in(current: str, expected: tuple[str | None, ...]) -> None:
    assert picks(current, prereleases=True) == expected


def test_digest_policy_never_changes_the_version() -> None:
    assert choose(docker, "3.18.4", RELEASES, "digest") is None


def test_on_a_prerelease_newer_prereleases_of_the_same_version_are_allowed() -> None:
    releases = [Release(v) for v in ("3.8.0b1", "3.8.0b2", "3.8.1b1", "3.8.0", "3.9.0b1")]
    found = candidates(docker, "3.8.0b1", releases)
    assert [r.version for r in found] == ["3.8.0b2", "3.8.0"]


def test_a_release_the_datasource_marks_unstable_is_a_prerelease() -> None:
    semver = VERSIONINGS["semver-coerced"]
    releases = [Release("v1.1.0"), Release("v1.2.0", stable=False)]
    choice = choose(semver, "v1.0.0", releases, "minor")
    assert choice is not None and choice.version == "v1.1.0"


def test_ignore_versions_globs_and_regex() -> None:
    assert picks("3.18.4", ignore_versions=["3.19.*"]) == ("3.18.5", "3.18.5", "4.0.1")
    assert picks("3.18.4", ignore_versions=["/^4\\./", "3.18.5"]) == (None, "3.19.1", "3.19.1")


def test_deprecated_releases_are_left_out_unless_already_on_one() -> None:
    pep440 = VERSIONINGS["pep440"]
    releases = [Release("1.0"), Release("1.1", deprecated=True), Release("1.0.1")]
    assert [r.version for r in candidates(pep440, "1.0", releases)] == ["1.0.1"]
    releases = [Release("1.0", deprecated=True), Release("1.1", deprecated=True)]
    assert [r.version for r in candidates(pep440, "1.0", releases)] == ["1.1"]


def test_respect_latest_does_not_go_past_the_latest_tag() -> None:
    npm = VERSIONINGS["npm"]
    releases = [Release(v) for v in ("1.0.0", "1.1.0", "2.0.0")]
    choice = choose(npm, "1.0.0", releases, "major", latest="1.1.0")
    assert choice is not None and choice.version == "1.1.0"
    # already past latest: latest does not hold it back
    choice = choose(npm, "1.2.0", [*releases, Release("1.2.0")], "major", latest="1.1.0")
    assert choice is not None and choice.version == "2.0.0"


@pytest.mark.parametrize(
    ("current", "new", "kind"),
    [
        ("3.18.4", "3.18.5", "patch"),
        ("3.18.4", "3.19.1", "minor"),
        ("3.18", "3.19", "minor"),
        ("3.18", "4.0", "major"),
        ("20-alpine", "22-alpine", "major"),
    ],
)
def test_update_types(current: str, new: str, kind: str) -> None:
    assert update_type(docker, current, new) == kind
