"""Renovate's docker versioning: the tables of its own specification
(lib/modules/versioning/docker/index.spec.ts) and the rules of docs/reference/renovate.md."""

from __future__ import annotations

import pytest

from dockwright.update.versioning import VERSIONINGS, sort_versions
from dockwright.update.versioning.docker import parse, value_to_version

docker = VERSIONINGS["docker"]


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("", False),
        ("1.2.3", True),
        ("18.04", True),
        ("10.1", True),
        ("3", True),
        ("foo", False),
        ("latest", False),
        ("lts", False),
        ("alpine", False),
        ("0a1b2c3", False),
        ("0a1b2c3d", False),
        ("0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d", False),
        ("0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0", True),
        ("0a1b2C3", True),
        ("0z1b2c3", True),
        ("0A1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d", True),
        ("123098140293", True),
        ("01aecc#v2.1.0", False),
        ("v1.2", True),
        ("V1.2", False),
        ("3.12-slim-bookworm", True),
        ("20-alpine", True),
    ],
)
def test_is_version(version: str, expected: bool) -> None:
    assert docker.is_version(version) is expected


@pytest.mark.parametrize(
    ("version", "major", "minor", "patch"),
    [
        ("1.2.3", 1, 2, 3),
        ("18.04", 18, 4, None),
        ("10.1", 10, 1, None),
        ("3", 3, None, None),
        ("foo", None, None, None),
        ("20-alpine", 20, None, None),
    ],
)
def test_parts(version: str, major: int | None, minor: int | None, patch: int | None) -> None:
    assert (docker.major(version), docker.minor(version), docker.patch(version)) == (
        major,
        minor,
        patch,
    )


@pytest.mark.parametrize(
    ("a", "b", "greater"),
    [
        ("1.2.3", "1.2", False),  # the shorter is greater: 1.2 > 1.2.3
        ("18.04", "18.1", True),
        ("10.1", "10.1.2", True),
        ("3", "2", True),
        ("1.2.3", "1.2.3", False),
        ("2.1", "2.1.1", True),
    ],
)
def test_is_greater(a: str, b: str, greater: bool) -> None:
    assert (docker.compare(a, b) > 0) is greater


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        ("1.2.3", "1.2.3", True),
        ("18.04", "18.4", True),
        ("10.0", "10.0.4", False),
        ("3", "4.0", False),
        ("1.2", "1.2.3", False),
        ("v1.2", "1.2", True),
    ],
)
def test_equals(a: str, b: str, equal: bool) -> None:
    assert (docker.compare(a, b) == 0) is equal


@pytest.mark.parametrize(
    ("a", "b"), [("1.1.1", "1.2.3"), ("1.2.3", "1.3.4"), ("2.0.1", "1.2.3"), ("1.2.3", "0.9.5")]
)
def test_sorts_like_semver_for_full_versions(a: str, b: str) -> None:
    semver = VERSIONINGS["semver"]
    assert docker.compare(a, b) == semver.compare(a, b)


def test_sorts_unstable() -> None:
    versions = [
        "3.7.0",
        "3.7-alpine",
        "3.7.0b1",
        "3.7.0b5",
        "3.8.0b1-alpine",
        "3.8.0-alpine",
        "3.8.2",
        "3.8.0",
    ]
    assert sort_versions(docker, versions) == [
        "3.7.0b1",
        "3.7.0b5",
        "3.7.0",
        "3.7-alpine",
        "3.8.0b1-alpine",
        "3.8.0-alpine",
        "3.8.0",
        "3.8.2",
    ]


@pytest.mark.parametrize(
    ("version", "stable"),
    [
        ("3.7.0", True),
        ("3.7.0b1", False),
        ("3.7-alpine", True),
        ("3.8.0-alpine", True),
        ("3.8.0b1-alpine", False),
        ("3.8.2", True),
        ("1.0a", False),
        # -rc1 is a suffix, its own compatibility stream, not a prerelease
        ("1.0.0-rc1", True),
        ("3.20.0-rc1", True),
    ],
)
def test_is_stable(version: str, stable: bool) -> None:
    assert docker.is_stable(version) is stable


@pytest.mark.parametrize(
    ("candidate", "current", "compatible"),
    [
        ("3.7.0", "3.7.0", True),
        ("3.7.0b1", "3.7.0", True),
        ("3.7-alpine", "3.7.0", False),
        ("3.8.0-alpine", "3.7.0", False),
        ("3.8.0b1-alpine", "3.7.0", False),
        ("3.8.2", "3.7.0", True),
        ("3.7.0", "3.7.0-alpine", False),
        ("3.7.0b1", "3.7.0-alpine", False),
        ("3.7-alpine", "3.7.0-alpine", False),
        ("3.8.0-alpine", "3.7.0-alpine", True),
        ("3.8.0b1-alpine", "3.7.0-alpine", True),
        ("3.8.2", "3.7.0-alpine", False),
        # renovate.md: precision kept, suffixes must match exactly
        ("3.19", "3.18", True),
        ("3.19.1", "3.18", False),
        ("22-alpine", "20-alpine", True),
        ("22", "20-alpine", False),
        ("3.13-slim-bookworm", "3.12-slim-bookworm", True),
        ("3.13-slim", "3.12-slim-bookworm", False),
        ("1.2.1", "1.2.0-alpine", False),
        ("1.2.1-stretch", "1.2.0-alpine", False),
        ("1.2.0", "1.2", False),
        ("1.0.1-rc1", "1.0.0", False),
        ("latest", "1.0", False),
    ],
)
def test_is_compatible(candidate: str, current: str, compatible: bool) -> None:
    assert docker.is_compatible(candidate, current) is compatible


@pytest.mark.parametrize(
    ("value", "version"),
    [
        ("3.7.0", "3.7.0"),
        ("3.7.0b1", "3.7.0b1"),
        ("3.7-alpine", "3.7"),
        ("3.8.0-alpine", "3.8.0"),
        ("3.8.0b1-alpine", "3.8.0b1"),
        ("3.8.2", "3.8.2"),
        ("", ""),
    ],
)
def test_value_to_version(value: str, version: str) -> None:
    assert value_to_version(value) == version


def test_parse_splits_on_the_first_dash() -> None:
    parsed = parse("v3.12.1rc2-slim-bookworm")
    assert parsed is not None
    assert (parsed.release, parsed.prerelease, parsed.suffix) == (
        (3, 12, 1),
        "rc2",
        "slim-bookworm",
    )


@pytest.mark.parametrize(
    ("a", "b", "sign"),
    [
        ("1.0a", "1.0b", -1),  # prereleases in alphabetical order
        ("1.0b10", "1.0b2", -1),  # ... not numeric
        ("1.0-alpine", "1.0-slim", 1),  # equal versions: suffixes in reverse order
        ("1.0", "1.0-alpine", 1),
    ],
)
def test_tie_breaks(a: str, b: str, sign: int) -> None:
    assert docker.compare(a, b) == sign
    assert docker.compare(b, a) == -sign
