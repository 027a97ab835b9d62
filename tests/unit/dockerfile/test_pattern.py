from __future__ import annotations

import re

from dockwright.dockerfile.pattern import LazyPattern


def _spans(m: re.Match[str] | None) -> object:
    return None if m is None else (m.span(), m.groups())


def test_lazy_pattern_compiles_on_first_use_and_answers_like_re() -> None:
    source, flags = r"([a-z]+)=(\d*)\Z", re.S
    lazy, eager = LazyPattern(source, flags), re.compile(source, flags)
    assert lazy._compiled is None
    for text in ("abc=12", "abc=", "=1", "x=1\n", "  ab=3", ""):
        for pos in (0, 2):
            assert _spans(lazy.match(text, pos)) == _spans(eager.match(text, pos))
            assert _spans(lazy.fullmatch(text, pos)) == _spans(eager.fullmatch(text, pos))
            assert _spans(lazy.search(text, pos)) == _spans(eager.search(text, pos))
    assert lazy.compiled.pattern == lazy.pattern == source
    assert lazy.compiled.flags == eager.flags
    ws = LazyPattern(r"[ \t]+")
    assert ws.split("a  b\tc", 1) == ["a", "b\tc"]
    assert ws.split("a  b\tc") == ["a", "b", "c"]
