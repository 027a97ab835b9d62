"""Malformed JSON forms are shell forms, as in BuildKit: never an exception from the decoder.

Unterminated brackets and strings once ended in ``SystemError: <_json.Scanner ...> returned
NULL without setting an exception`` (a hand-made scanner over CPython's private ``_json``).
"""

from __future__ import annotations

import pytest

from dockwright.dockerfile import parse
from dockwright.dockerfile.words import NotStringArray, parse_json_array

try:
    import dockerfile as buildkit  # BuildKit's parser, where installed
except ImportError:  # pragma: no cover
    buildkit = None

MALFORMED = [
    '["a", "b"',  # unterminated bracket
    '["x',  # unterminated string
    "[",
    '["a",',
    '["a" "b"]',
    '["\\u12',  # a cut-off unicode escape
    '["a\tb"]',  # a control character inside a string
    '["a\\',  # a backslash at the end of the text (a continuation in a Dockerfile)
    "[NaN]",
    "[Infinity, -Infinity]",
    "[" * 100_000,  # deeper than the decoder recurses
    "['a']",
    "[a]",
]


@pytest.mark.parametrize("rest", MALFORMED)
def test_not_json_is_shell_form(rest: str) -> None:
    assert parse_json_array(rest) is None


@pytest.mark.parametrize("keyword", ["CMD", "ENTRYPOINT", "RUN", "SHELL", "VOLUME"])
@pytest.mark.parametrize("rest", MALFORMED[:7])
def test_instruction_with_malformed_json(keyword: str, rest: str) -> None:
    if keyword == "SHELL":
        with pytest.raises(Exception, match="SHELL requires the arguments to be in JSON form"):
            parse(f"FROM a:1\n{keyword} {rest}\n")
        return
    text = f"FROM a:1\n{keyword} {rest}\n"
    ins = parse(text).instructions[1]
    assert not ins.json
    assert ins.args == ((rest,) if keyword != "VOLUME" else tuple(rest.split()))
    if buildkit is not None:  # BuildKit's own parser reads it alike
        theirs = buildkit.parse_string(text)[1]
        assert (theirs.json, theirs.value) == (False, ins.args)


def test_json_arrays() -> None:
    assert parse_json_array('["a", "b c"] trailing') == ["a", "b c"]
    assert parse_json_array('  ["\\u00e9"]') == ["é"]
    assert parse_json_array("[]") == []
    assert parse_json_array("echo [x]") is None
    with pytest.raises(NotStringArray):
        parse_json_array('["a", 1]')
