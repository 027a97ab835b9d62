"""Rewrites change the version and digest characters and nothing else."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockwright.dockerfile import parse, parse_bytes
from dockwright.update.deps import find_dependencies
from dockwright.update.rewrite import (
    Edit,
    EditConflict,
    apply,
    minimal_edit,
    normalize,
    rewrite_dockerfile,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "dockerfiles"
DIGEST = "sha256:" + "c" * 64

# Shapes the fixtures lack: ARG-templated images, digests, annotations, yaml-free build args.
EXTRA = [
    "# syntax=docker/dockerfile:1.7\nARG TAG=3.19.4\nFROM alpine:${TAG} AS a\n"
    f"FROM python:3.12-slim@{DIGEST}\nCOPY --from=a /x /x\n",
    '\ufeffARG IMG="node:20-alpine"\r\nFROM ${IMG}\r\nRUN --mount=from=busybox:1.36,target=/b true\r\n',
    "# renovate: datasource=pypi depName=poetry\nENV POETRY_VERSION=1.8.3\n"
    "# renovate: datasource=github-releases depName=a/b\nARG B_VERSION=v1.0.0\nFROM x:1\n",
    "# escape=`\nFROM `\n  # comment\n  golang:1.22 `\n  AS build\nFROM build\n",
]


def _texts() -> list[tuple[str, str]]:
    out = [(p.name, parse_bytes(p.read_bytes()).render()) for p in sorted(FIXTURES.iterdir())]
    return out + [(f"extra{i}", t) for i, t in enumerate(EXTRA)]


TEXTS = _texts()
_token = st.text(alphabet="0123456789abcdefz.-_", min_size=1, max_size=12).filter(
    lambda t: t[0] not in ".-"
)


def _changed_lines(old: str, new: str) -> set[int]:
    """Indexes of the old text's lines a line diff shows as changed."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return {
        i for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal" for i in range(i1, i2)
    }


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(TEXTS), st.data())
def test_an_edit_touches_only_its_token(case: tuple[str, str], data: st.DataObject) -> None:
    name, text = case
    found = [d for d in find_dependencies(parse(text, name)) if d.skip is None]
    tokens = [(d.value or "", d.value_locs) for d in found if d.value] + [
        (d.digest or "", d.digest_locs) for d in found if d.digest
    ]
    if not tokens:
        return
    chosen = data.draw(st.lists(st.sampled_from(tokens), min_size=1, max_size=3))
    edits = []
    for old, locs in chosen:
        edit = minimal_edit(old, locs, data.draw(_token))
        if edit is not None:
            edits.append(edit)
    try:
        edits = normalize(edits)
    except EditConflict:
        return
    new = apply(text, edits)
    # the new text is the old one with each edited span replaced, nothing else
    expected, at = "", 0
    for e in edits:
        expected += text[at : e.start] + e.text
        at = e.end
    assert new == expected + text[at:]
    # and a line diff shows only the lines those spans are on
    touched = {_line_of(text, e.start) for e in edits} | {_line_of(text, e.end) for e in edits}
    assert _changed_lines(text, new) <= touched, (name, edits)


@pytest.mark.parametrize(("name", "text"), TEXTS)
def test_rewriting_to_the_current_value_gives_the_file_back(name: str, text: str) -> None:
    df = parse(text, name)
    edits = []
    for dep in find_dependencies(df):
        if dep.value_at:
            edits.append(Edit(*dep.value_at, dep.value or ""))
        if dep.digest_at:
            edits.append(Edit(*dep.digest_at, dep.digest or ""))
    assert rewrite_dockerfile(df, edits).render() == text


def test_rewritten_dependencies_read_back() -> None:
    text = EXTRA[0]
    df = parse(text)
    found = find_dependencies(df)
    edits = [Edit(*d.value_at, "9.9") for d in found if d.value_at]
    again = find_dependencies(rewrite_dockerfile(df, edits))
    assert [(d.name, d.value) for d in again] == [(d.name, "9.9") for d in found]


def test_identical_edits_merge_and_overlaps_conflict() -> None:
    a = Edit("f", 2, 5, "x")
    assert normalize([a, a]) == [a]
    assert normalize([Edit("f", 5, 5, "@d"), a]) == [a, Edit("f", 5, 5, "@d")]
    with pytest.raises(EditConflict):
        normalize([a, Edit("f", 4, 6, "y")])
    with pytest.raises(EditConflict):
        normalize([a, Edit("f", 2, 5, "z")])
    with pytest.raises(EditConflict):
        normalize([Edit("f", 3, 3, "i"), a])
    assert apply("0123456789", [Edit("f", 2, 5, "ab"), Edit("f", 5, 5, "@")]) == "01ab@56789"


def test_a_rewrite_that_breaks_the_file_fails() -> None:
    from dockwright.errors import DockerfileParseError

    df = parse("FROM alpine:3.19\n")
    with pytest.raises(DockerfileParseError):
        rewrite_dockerfile(df, [Edit("Dockerfile", 0, 4, "FORM")])


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("1.21-alpine", "1.22-alpine", Edit("f", 3, 4, "2")),
        ("1.9", "1.10", Edit("f", 2, 3, "10")),
        ("1.2", "1.20", Edit("f", 3, 3, "0")),
        ("3.19", "4.0", Edit("f", 0, 4, "4.0")),
        ("1.0", "1.0", None),
    ],
)
def test_minimal_edits(old: str, new: str, expected: Edit | None) -> None:
    locs = [("f", i) for i in range(len(old))]
    assert minimal_edit(old, locs, new) == expected


def test_a_minimal_edit_across_places_is_refused() -> None:
    locs = [("f", 10), ("f", 40), ("f", 22), ("f", 23)]  # ${MAJOR}.${MINOR}
    assert minimal_edit("3.19", locs, "3.20") == Edit("f", 22, 24, "20")
    assert minimal_edit("3.19", locs, "4.0") is None
    assert minimal_edit("3.19", [None, None, None, None], "3.20") is None
