from __future__ import annotations

import pytest

from dockwright.dockerfile import environment_at, expand, parse
from dockwright.dockerfile.expand import expand_words

ENV = {"A": "1", "EMPTY": "", "SP": "x y"}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("$A", "1"),
        ("${A}", "1"),
        ("pre${A}post", "pre1post"),
        ("$A$A", "11"),
        ("$UNSET", ""),
        ("${UNSET}", ""),
        ("${A:-d}", "1"),
        ("${EMPTY:-d}", "d"),
        ("${UNSET:-d}", "d"),
        ("${A-d}", "1"),
        ("${EMPTY-d}", ""),
        ("${UNSET-d}", "d"),
        ("${A:+alt}", "alt"),
        ("${EMPTY:+alt}", ""),
        ("${UNSET:+alt}", ""),
        ("${A+alt}", "alt"),
        ("${EMPTY+alt}", "alt"),
        ("${UNSET+alt}", ""),
        ("${UNSET:-$A}", "1"),
        ("${UNSET:-${A:+nested}}", "nested"),
        ("\\$A", "$A"),
        ("\\${A}", "${A}"),
        ("'$A'", "$A"),
        ('"$A"', "1"),
        ('"\\$A"', "$A"),
        ('"a b"', "a b"),
        ("a\\ b", "a b"),
        ("$", "$"),
        ("a$", "a$"),
        ("$1", ""),
        ("${SP}", "x y"),
        ("'unterminated", "unterminated"),
        ("${A", "${A"),
    ],
)
def test_expand_backslash(word: str, expected: str) -> None:
    assert expand(word, ENV) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("`$A", "$A"),
        ("\\$A", "\\1"),
        ('"`"$A`""', '"1"'),
        ("C:\\dir\\$A", "C:\\dir\\1"),
    ],
)
def test_expand_backtick_escape(word: str, expected: str) -> None:
    assert expand(word, ENV, escape="`") == expected


def test_expand_words_splits_on_unquoted_space() -> None:
    assert expand_words('a "b c" $A', ENV) == ["a", "b c", "1"]


def test_environment_at_follows_buildkit_scoping() -> None:
    df = parse(
        "ARG V=1.0\n"
        "ARG ONLY_GLOBAL=g\n"
        "FROM img:$V AS base\n"
        "ARG V\n"
        "ARG LOCAL=${V}-x\n"
        "ENV E1=$LOCAL E2='$LOCAL' E3=\"a b\"\n"
        "ENV LEGACY some value\n"
        "RUN probe\n"
        "FROM base\n"
        "RUN probe2\n"
    )
    ins = df.instructions
    assert environment_at(df, ins[2]) == {"V": "1.0", "ONLY_GLOBAL": "g"}
    assert environment_at(df, ins[7]) == {
        "V": "1.0",
        "LOCAL": "1.0-x",
        "E1": "1.0-x",
        "E2": "$LOCAL",
        "E3": "a b",
        "LEGACY": "some value",
    }
    # ENV is inherited through FROM <stage>; ARGs are not.
    assert environment_at(df, ins[9]) == {
        "E1": "1.0-x",
        "E2": "$LOCAL",
        "E3": "a b",
        "LEGACY": "some value",
    }
    assert environment_at(df, ins[7], build_args={"V": "2"})["LOCAL"] == "2-x"


def test_stages() -> None:
    df = parse(
        "ARG X=1\nFROM --platform=$BUILDPLATFORM a:1 AS build\nRUN x\nfrom build as final\nUSER 1\n"
    )
    s = df.stages
    assert [(st.index, st.image, st.name, st.platform) for st in s] == [
        (0, "a:1", "build", "$BUILDPLATFORM"),
        (1, "build", "final", None),
    ]
    assert [i.keyword for i in s[1].instructions] == ["USER"]
