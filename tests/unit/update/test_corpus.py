"""The dependency finder over real Dockerfiles (bench/corpus.py gathers them): it never
raises, every character it says a tag or digest is written at holds that character, and
rewriting every FROM's tag and digest to another value and back gives the file back byte
for byte (the changed file still parses and reads the new values)."""

from __future__ import annotations

from collections import Counter

import pytest
from tests.support import corpus

from dockwright.dockerfile import parse, parse_bytes
from dockwright.errors import DockerfileParseError
from dockwright.update.deps import Dependency, find_dependencies
from dockwright.update.rewrite import Edit, apply, minimal_edit, normalize


def _other(value: str) -> str:
    """``value`` with its last character changed (a digit counts up, else a letter)."""
    last = value[-1]
    if last.isdigit():
        return value[:-1] + str((int(last) + 1) % 10)
    return value[:-1] + ("b" if last != "b" else "c")


def _edits(dep: Dependency, forward: bool) -> list[Edit]:
    out = []
    for old, locs in ((dep.value, dep.value_locs), (dep.digest, dep.digest_locs)):
        if old:
            a, b = (old, _other(old)) if forward else (_other(old), old)
            edit = minimal_edit(a, locs, b)
            assert edit is not None, (dep, old)
            out.append(edit)
    return out


@pytest.mark.corpus
def test_dependencies_of_real_dockerfiles_round_trip() -> None:
    counts: Counter[str] = Counter()
    for path in corpus.require("dockerfiles"):
        counts["files"] += 1
        try:
            df = parse_bytes(path.read_bytes(), str(path))
        except DockerfileParseError:
            counts["files the parser rejects"] += 1
            continue
        except SystemError:  # the parser's JSON-array scanner on malformed input (reported)
            counts["files the parser crashes on"] += 1
            continue
        text = df.render()
        found = find_dependencies(df)
        shared: Counter[tuple[str, int]] = Counter(
            loc for d in found for loc in {*d.value_locs, *d.digest_locs} if loc is not None
        )
        chosen = []
        for dep in found:
            counts["dependencies"] += 1
            counts[f"kind {dep.kind}"] += 1
            if dep.skip:
                counts[f"skipped {dep.skip}"] += 1
                continue
            for chars, locs in ((dep.value, dep.value_locs), (dep.digest, dep.digest_locs)):
                for ch, loc in zip(chars or "", locs, strict=True):
                    assert loc is None or text[loc[1]] == ch, (path, dep)
            if dep.kind != "from":
                continue
            if not (dep.value or dep.digest):
                counts["FROM without tag or digest"] += 1
                continue
            if any(shared[loc] > 1 for loc in (*dep.value_locs, *dep.digest_locs) if loc):
                counts["FROM sharing characters with another dependency"] += 1
                continue
            if any(loc is None for loc in (*dep.value_locs, *dep.digest_locs)):
                counts["FROM partly written nowhere editable"] += 1
                continue
            chosen.append(dep)
        if not chosen:
            continue
        forward = normalize(e for d in chosen for e in _edits(d, True))
        changed = apply(text, forward)
        again = {(d.line, d.kind, d.name): d for d in find_dependencies(parse(changed, str(path)))}
        for dep in chosen:
            new = again[(dep.line, dep.kind, dep.name)]
            assert (new.value, new.digest) == (
                _other(dep.value) if dep.value else None,
                _other(dep.digest) if dep.digest else None,
            ), (path, dep)
        back = normalize(e for d in chosen for e in _edits(d, False))
        assert apply(changed, back) == text, path
        counts["FROM rewritten and back"] += len(chosen)
    print("\ncorpus:", dict(sorted(counts.items())))
