from __future__ import annotations

import pytest

from dockwright.tags.versions import parse_pep440, parse_semver


@pytest.mark.parametrize(
    ("text", "version", "pre"),
    [
        ("1.2.3", "1.2.3", False),
        ("v1.2.3", "1.2.3", False),
        (" v1.2.3 ", "1.2.3", False),
        ("1.2.3-rc.1", "1.2.3-rc.1", True),
        ("1.2.3-0a.01a", "1.2.3-0a.01a", True),
        ("1.2.3+build.7", "1.2.3", False),
        ("1.2.3-alpha+sha.5", "1.2.3-alpha", True),
        ("0.0.0", "0.0.0", False),
    ],
)
def test_semver_valid(text: str, version: str, pre: bool) -> None:
    parsed = parse_semver(text)
    assert parsed is not None
    assert (parsed.version, parsed.is_prerelease) == (version, pre)


@pytest.mark.parametrize(
    "text",
    [
        "1.2",
        "1",
        "01.2.3",
        "1.02.3",
        "1.2.3-01",
        "=1.2.3",
        "V1.2.3",
        "vv1.2.3",
        "1.2.3-",
        "1.2.3.4",
        "1.2.3+",
        "release-1.2.3",
        "9007199254740992.0.0",
        "1." + "1" * 300 + ".0",
    ],
)
def test_semver_invalid(text: str) -> None:
    assert parse_semver(text) is None


@pytest.mark.parametrize(
    ("text", "version", "pre", "mmp"),
    [
        ("1.2.3post1", "1.2.3.post1", True, (1, 2, 3)),
        ("1.2.3beta2", "1.2.3b2", True, (1, 2, 3)),
        ("1.0dev4", "1.0.dev4", True, (1, 0, 0)),
        ("v2.1", "2.1", False, (2, 1, 0)),
        ("1!2.0.0rc1", "1!2.0.0rc1", True, (2, 0, 0)),
        ("1.0-1", "1.0.post1", True, (1, 0, 0)),
        ("1.0+Ubuntu_1", "1.0+ubuntu.1", False, (1, 0, 0)),
        ("1.0.0.PREVIEW", "1.0.0rc0", True, (1, 0, 0)),
    ],
)
def test_pep440(text: str, version: str, pre: bool, mmp: tuple[int, int, int]) -> None:
    parsed = parse_pep440(text)
    assert parsed is not None
    assert (parsed.version, parsed.is_prerelease) == (version, pre)
    assert (parsed.major, parsed.minor, parsed.patch) == mmp


@pytest.mark.parametrize("text", ["1.2.x", "one", "1..2", ""])
def test_pep440_invalid(text: str) -> None:
    assert parse_pep440(text) is None
