"""The directive and flag matchers are BuildKit's expressions, written with string methods:
compared with the expressions themselves on generated lines and words."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockwright.dockerfile.parser import match_directive, match_flag

BUILDKIT = re.compile(
    r"^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\Z", re.S
)


def expected(token: str) -> tuple[str, str] | None:
    m = BUILDKIT.match(token)
    return (m.group(1), m.group(2)) if m else None


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="#= \t\n\f\r\vaZ9_-é`\\x:/", max_size=14))
def test_same_as_the_expression(token: str) -> None:
    assert match_directive(token) == expected(token)
    assert match_directive("#" + token) == expected("#" + token)


@pytest.mark.parametrize(
    "token",
    ["# syntax=docker/dockerfile:1", "#escape=`", "# escape = \\ ", "# check=skip=all",
     "#  syntax =  ", "# syntax=\t", "# 1syntax=x", "# syn-tax=x", "# syntax", "#=x", "",
     "# ÉSCAPE=x", "# hadolint ignore=DL3008"],
)  # fmt: skip
def test_examples(token: str) -> None:
    assert match_directive(token) == expected(token)


FLAG = re.compile(r"--([A-Za-z][A-Za-z0-9-]*)(?:=(.*))?\Z", re.S)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="-=aZ9_é \n:/x", max_size=12))
def test_flags_as_the_expression_reads_them(word: str) -> None:
    for text in (word, "--" + word):
        m = FLAG.match(text)
        assert match_flag(text) == ((m.group(1), m.group(2)) if m else None)
