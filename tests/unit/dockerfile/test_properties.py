"""Property tests: parse never fails except with DockerfileParseError, render is exact,
and whatever we accept BuildKit's parser reads the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dockwright.dockerfile import parse
from dockwright.dockerfile.shell import parse_shell
from dockwright.errors import DockerfileParseError

from .test_buildkit_differential import compare

FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "dockerfiles").glob("*"))
TEXTS = [p.read_bytes().decode("utf-8") for p in FIXTURES]

PIECES = [
    "FROM a", "FROM a AS b", "from x:1", "RUN ", "run", "COPY ", "ADD ", "ENV ", "ARG ",
    "LABEL ", "CMD ", "ONBUILD ", "HEALTHCHECK ", "SHELL ", "WORKDIR ", "USER ", "EXPOSE ",
    "--mount=type=cache,target=/x ", "--from=b ", "--link ", "--chmod=755 ", "--platform=p ",
    "<<EOF", "<<-EOF", "<<'EOF'", '<<"EOF"', "EOF", "\tEOF", "# escape=`", "# escape=\\",
    "# syntax=x", "# c", "#", "\\", "`", "\n", "\r\n", "\r", " ", "\t", "  ", '"', "'", "[", "]",
    '["a", "b"]', "[1]", "$", "${A:-b}", "a=b", "c d", "=", "&&", "|", ";", "é", "\u00a0",
    "\x0b", "\ufeff", "0", "AS", "NONE", "CMD",
]  # fmt: skip

texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=30).map("".join)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 8)))
        text = text[:i] + draw(st.sampled_from(PIECES) | st.text(max_size=2)) + text[j:]
    return text


def _check(text: str) -> str | None:
    """Check ``text``; say why it was not compared with BuildKit, if it was not."""
    try:
        df = parse(text)
    except DockerfileParseError as exc:
        assert exc.line >= 1 and exc.column >= 1
        return None
    assert df.render() == text
    # The binding hands Go a C string, so text after a NUL never reaches BuildKit.
    if not df.instructions or "\x00" in text:
        return None
    return compare(text)


def _check_generated(text: str) -> None:
    reason = _check(text)
    if reason is not None:
        event(f"not compared with BuildKit: {reason}")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_generated_text(text: str) -> None:
    _check_generated(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_corpus(text: str) -> None:
    _check_generated(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | texts)
def test_shell_view_never_raises(text: str) -> None:
    script = parse_shell(text)
    assert all(isinstance(c.name, str) for c in script.commands)


@pytest.mark.parametrize(
    "text",
    ["FROM a\nRUN x \\\n\x0b\n", "FROM a\nRUN \u00a0x\n", "FROM a\x1c\n", "FROM a\nENV a\u00a0b\n"],
)
def test_unusual_whitespace(text: str) -> None:
    reason = _check(text)
    if reason is not None:
        pytest.skip(f"not comparable with BuildKit's binding: {reason}")
