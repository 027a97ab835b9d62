"""Checks the lint path makes with string methods (to keep `re` out of start-up) say what
the regular expressions they stand for say, on generated input."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dockwright.lint.rules.dl3044 import _refers_to
from dockwright.lint.rules.dl3048 import _key_shape

LABEL_KEY = re.compile(r"[a-z](?:[a-z0-9._/-]*[a-z0-9])?\Z")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="aZ0._/-é\n ", max_size=8))
def test_label_key_shape(key: str) -> None:
    assert _key_shape(key) == (LABEL_KEY.match(key) is not None)


@settings(max_examples=3000, deadline=None)
@given(
    st.text(alphabet="AB_1", min_size=1, max_size=3), st.text(alphabet="AB_1${}x é", max_size=10)
)
def test_env_self_reference(name: str, value: str) -> None:
    pattern = re.escape("$" + name) + r"(?![A-Za-z0-9_])"
    expected = "${" + name + "}" in value or re.search(pattern, value) is not None
    assert _refers_to(value, name) == expected
