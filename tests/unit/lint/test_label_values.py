"""Label value checks (DL3052-DL3058); the cases were checked against hadolint 2.15.1."""

from __future__ import annotations

import pytest

from dockwright.dockerfile import parse
from dockwright.lint import LintConfig, lint_dockerfile
from dockwright.lint.labels import is_email, is_git_hash, is_rfc3339, is_semver, is_spdx, is_url


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (
            is_url,
            ["https://example.com/a?b#c", "urn:isbn:1", "x:", "http://[::1]:80/", "http://[v1.x]/"],
            ["example.com", "/path", "http://a/#f#g", "http://[1.2.3.4]/", "http://é.com"],
        ),
        (
            is_rfc3339,
            ["2024-01-02T03:04:05Z", "2000-02-29t03:04:05.5+0100", " 24-01-02T03:04:60Z "],
            ["2024-01-02 03:04:05Z", "1900-02-29T03:04:05Z", "2024-01-02T03:04:05+01"],
        ),
        (
            is_semver,
            ["1.2.3", "01.2.3-rc.1+b", "1.2.3-", "1.2.3-a."],
            ["v1.2.3", "1.2", "1.2.3-.a"],
        ),
        (is_git_hash, ["abcdef0", "0123456789abcdef0123456789abcdef01234567"], ["ABCDEF0", "main"]),
        (is_spdx, ["MIT", "Apache-2.0", "GPL-3.0-only"], ["mit", "GPL-3.0", "MIT OR Apache-2.0"]),
        (
            is_email,
            ["ops@example.com", "a(c)@b", "a@[x y]", "a@b."],
            ["a..b@c", "a@b_c", "a@b-", "ops <ops@example.com>"],
        ),
    ],
)
def test_label_checks(check: object, good: list[str], bad: list[str]) -> None:
    assert callable(check)
    assert [v for v in good if not check(v)] == []
    assert [v for v in bad if check(v)] == []


def test_messages_name_the_label() -> None:
    df = parse("FROM alpine:3.20\nLABEL site=nope\n")
    config = LintConfig(label_schema=(("site", "url"), ("owner", "email")))
    found = {(f.code, f.line, f.message) for f in lint_dockerfile(df, config, shellcheck=False)}
    assert ("DL3052", 2, "Label `site` is not a valid URL.") in found
    assert ("DL3049", 1, "Label `owner` is missing.") in found
    assert not any(f[0] == "DL3049" and "site" in f[2] for f in found)
