"""semver, semver-coerced and PEP 440, as their specifications and Renovate read them."""

from __future__ import annotations

import pytest

from dockwright.update.versioning import VERSIONINGS, new_value, sort_versions
from dockwright.update.versioning.pep440 import parse as parse_pep440

semver = VERSIONINGS["semver"]
coerced = VERSIONINGS["semver-coerced"]
pep440 = VERSIONINGS["pep440"]


def test_semver_precedence_of_the_specification() -> None:
    # semver.org, item 11
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "2.0.0",
        "2.1.0",
        "2.1.1",
    ]
    assert sort_versions(semver, reversed(ordered)) == ordered


@pytest.mark.parametrize(
    ("value", "valid", "stable"),
    [
        ("1.2.3", True, True),
        ("v1.2.3", True, True),
        ("1.2.3-rc.1", True, False),
        ("1.2.3+build.5", True, True),
        ("1.2", False, False),
        ("01.2.3", False, False),
        ("1.2.3.4", False, False),
        ("latest", False, False),
    ],
)
def test_semver_validity(value: str, valid: bool, stable: bool) -> None:
    assert semver.is_version(value) is valid
    assert semver.is_stable(value) is stable


def test_semver_build_metadata_does_not_order() -> None:
    assert semver.compare("1.2.3+a", "1.2.3+b") == 0


@pytest.mark.parametrize(
    ("value", "valid", "stable", "parts"),
    [
        ("v2.12.0", True, True, (2, 12, 0)),
        ("2.12", True, True, (2, 12, 0)),
        ("1", True, True, (1, 0, 0)),
        ("release-1.4", True, False, (1, 4, 0)),
        ("1.2.3-rc1", True, False, (1, 2, 3)),
        ("1.2.3+build", True, True, (1, 2, 3)),
        ("latest", False, False, None),
    ],
)
def test_coerced(value: str, valid: bool, stable: bool, parts: tuple[int, int, int] | None) -> None:
    assert coerced.is_version(value) is valid
    assert coerced.is_stable(value) is stable
    if parts is not None:
        assert (coerced.major(value), coerced.minor(value), coerced.patch(value)) == parts


def test_coerced_orders_by_the_three_numbers_only() -> None:
    assert coerced.compare("v1.2.3-rc1", "1.2.3") == 0
    assert coerced.compare("v1.10.0", "v1.9.9") == 1


@pytest.mark.parametrize(
    ("current_value", "current_version", "new_version", "expected"),
    [
        ("2.12.0", "v2.12.0", "v2.13.0", "2.13.0"),  # written without the release's v
        ("v2.12.0", "v2.12.0", "v2.13.0", "v2.13.0"),
        ("1.2.3", "1.2.3", "1.3.0", "1.3.0"),
    ],
)
def test_new_value_keeps_the_v_style(
    current_value: str, current_version: str, new_version: str, expected: str
) -> None:
    assert new_value(current_value, current_version, new_version) == expected


def test_pep440_order_of_the_specification() -> None:
    # PEP 440, "Summary of permitted suffixes and relative ordering"
    ordered = [
        "1.dev0",
        "1.0.dev456",
        "1.0a1",
        "1.0a2.dev456",
        "1.0a12.dev456",
        "1.0a12",
        "1.0b1.dev456",
        "1.0b2",
        "1.0b2.post345.dev456",
        "1.0b2.post345",
        "1.0rc1.dev456",
        "1.0rc1",
        "1.0",
        "1.0+abc.5",
        "1.0+abc.7",
        "1.0+5",
        "1.0.post456.dev34",
        "1.0.post456",
        "1.0.15",
        "1.1.dev1",
    ]
    assert sort_versions(pep440, reversed(ordered)) == ordered


@pytest.mark.parametrize(
    ("value", "normal", "stable"),
    [
        ("1.8.3", "1.8.3", True),
        ("v1.0", "1.0", True),
        ("1.0-RC.1", "1.0rc1", False),
        ("1.0alpha", "1.0a0", False),
        ("1.0-1", "1.0.post1", True),
        ("1.0.dev3", "1.0.dev3", False),
        ("2!1.0", "2!1.0", True),
        ("1.0+Ubuntu-1", "1.0+ubuntu.1", True),
    ],
)
def test_pep440_spellings(value: str, normal: str, stable: bool) -> None:
    parsed = parse_pep440(value)
    assert parsed is not None
    assert str(parsed) == normal
    assert pep440.is_stable(value) is stable


def test_pep440_trailing_zeros_do_not_count() -> None:
    assert pep440.compare("1.0", "1.0.0") == 0
    assert pep440.compare("1.0", "1") == 0


@pytest.mark.parametrize("value", ["latest", "1.0.0-alpine", "1..0", ""])
def test_pep440_rejects(value: str) -> None:
    assert not pep440.is_version(value)
