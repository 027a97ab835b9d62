"""Expansion with locations gives BuildKit's text (the project's ``expand``), and each
character's location is where that character is written."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dockwright.dockerfile.expand import expand as plain_expand
from dockwright.update.sourced import Sourced, expand

ENV_TEXT = {"A": "3.19", "B": "", "IMG": "alpine:3.18"}
_piece = st.sampled_from(
    ["a", ":", "/", "1.2", "$A", "${A}", "${B:-x}", "${B-y}", "${C:-d}", "${A:+p}", "${C+q}",
     "${A:?m}", "'q$A'", '"d$A"', '"\\$A"', "\\$A", "\\x", "$", "${", "${A", "$1", "${IMG}", " "]
)  # fmt: skip


def _env(file: str) -> dict[str, Sourced]:
    out = {}
    offset = 0
    for name, value in ENV_TEXT.items():
        out[name] = Sourced.at(value, file, offset)
        offset += len(value) + 1
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(_piece, max_size=6).map("".join))
def test_same_text_as_buildkit_expansion(word: str) -> None:
    env = _env("args")
    got = expand(Sourced.at(word, "Dockerfile", 100), env)
    assert got.text == plain_expand(word, ENV_TEXT)
    values = "\n".join(ENV_TEXT.values())
    for ch, loc in zip(got.text, got.locs, strict=True):
        if loc is None:
            continue
        file, offset = loc
        source = word if file == "Dockerfile" else values
        assert source[offset - (100 if file == "Dockerfile" else 0)] == ch


def test_spans() -> None:
    env = {"TAG": Sourced.at("3.19", "Dockerfile", 8)}
    got = expand(Sourced.at("alpine:${TAG}", "Dockerfile", 30), env)
    assert got.text == "alpine:3.19"
    assert got[7:].span() == ("Dockerfile", 8, 12)
    assert got[:6].span() == ("Dockerfile", 30, 36)
    assert got.span() is None
    assert expand(Sourced.at("x:$NOPE", "f", 0), {}).unresolved
