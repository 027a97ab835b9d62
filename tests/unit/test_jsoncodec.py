"""dockwright.jsoncodec gives what the json package gives, for the arguments it takes."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockwright import jsoncodec

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
OPTIONS = [
    {},
    {"ensure_ascii": False, "separators": (",", ":"), "sort_keys": True},
    {"ensure_ascii": False, "separators": (",", ":")},
]


@settings(max_examples=300, deadline=None)
@given(values)
def test_dumps_and_loads_agree_with_json(value: object) -> None:
    for options in OPTIONS:
        text = jsoncodec.dumps(value, **options)  # type: ignore[arg-type]
        assert text == json.dumps(value, **options)  # type: ignore[arg-type]
        assert _same(jsoncodec.loads(text), json.loads(text))
        assert _same(jsoncodec.loads(text.encode()), json.loads(text.encode()))


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize(
    "text", ["", " ", "[1,]", "[1] x", "\ufeff[1]", '{"a" 1}', "nul", '"\x01"', "[", "01"]
)
def test_what_json_refuses_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        jsoncodec.loads(text)


def test_what_cannot_be_encoded_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        jsoncodec.dumps({"a": object()})


def test_a_scanner_reads_one_value_and_says_where_it_ends() -> None:
    def reject(name: str) -> object:
        raise ValueError(name)

    scan = jsoncodec.scanner(reject)
    assert scan('["a", "b"] trailing', 0) == (["a", "b"], 10)
    with pytest.raises(ValueError):
        scan("[NaN]", 0)
    with pytest.raises(ValueError):
        scan("x", 0)
