from __future__ import annotations

import pytest

from dockwright.structure.goexpand import expand_env, file_mode_string

ENV = {"FOO": "bar", "A_1": "x", "1": "one"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$FOO", "bar"),
        ("${FOO}/x", "bar/x"),
        ("$FOO.$A_1", "bar.x"),
        ("$NOPE-", "-"),
        ("$$", ""),
        ("a$", "a$"),
        ("$ x", "$ x"),
        ("${}", ""),
        ("${FOO", "FOO"),
        ("$1x", "onex"),
        ("${1}", "one"),
        ("$FOOx", ""),
    ],
)
def test_expand_like_go(text: str, expected: str) -> None:
    assert expand_env(text, ENV) == expected


@pytest.mark.parametrize(
    ("kind", "mode", "expected"),
    [
        ("file", 0o755, "-rwxr-xr-x"),
        ("file", 0o644, "-rw-r--r--"),
        ("dir", 0o755, "drwxr-xr-x"),
        ("symlink", 0o777, "Lrwxrwxrwx"),
        ("file", 0o4755, "urwxr-xr-x"),
        ("file", 0o2750, "grwxr-x---"),
        ("dir", 0o1777, "dtrwxrwxrwx"),
        ("chardev", 0o666, "Dcrw-rw-rw-"),
        ("hardlink", 0o600, "-rw-------"),
    ],
)
def test_file_mode_string(kind: str, mode: int, expected: str) -> None:
    assert file_mode_string(kind, mode) == expected
