"""Rewrites change the version and digest characters and nothing else."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockwright.dockerfile import parse, parse_bytes
from dockwright.update.deps import find_dependencies
from dockwright.update.rewrite import Edit, EditConflict, apply, normalize, rewrite_dockerfile

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


def _changed_ranges(old: str, new: str) -> list[tuple[int, int]]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [(i1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(TEXTS), st.data())
def test_an_edit_touches_only_its_token(case: tuple[str, str], data: st.DataObject) -> None:
    name, text = case
    found = [d for d in find_dependencies(parse(text, name)) if d.skip is None]
    spans = [d.value_at for d in found if d.value_at] + [d.digest_at for d in found if d.digest_at]
    if not spans:
        return
    chosen = data.draw(st.lists(st.sampled_from(sorted(set(spans))), min_size=1, unique=True))
    edits = [Edit(f, s, e, data.draw(_token)) for f, s, e in chosen]
    new = apply(text, edits)
    # everything outside the spans is the same, byte for byte
    for i1, i2 in _changed_ranges(text, new):
        assert any(s <= i1 and i2 <= e for _, s, e in chosen) or any(
            i1 == i2 and s <= i1 <= e for _, s, e in chosen
        ), (name, text[i1:i2], chosen)
    kept = text
    for _, s, e in sorted(chosen, reverse=True):
        kept = kept[:s] + kept[e:]
    renewed = new
    for edit in sorted(edits, reverse=True):
        offset = sum(len(x.text) - (x.end - x.start) for x in edits if x.start < edit.start)
        renewed = renewed[: edit.start + offset] + renewed[edit.start + offset + len(edit.text) :]
    assert renewed == kept


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
