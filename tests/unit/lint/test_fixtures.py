"""Each lint fixture against its inline ``# expect: CODE`` markers (see tests/fixtures/lint)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from dockwright.dockerfile import Comment, Instruction, parse_bytes
from dockwright.lint import LintConfig, lint_dockerfile
from dockwright.lint.codes import RULES
from dockwright.lint.config import load_config

from .hadolint_oracle import fixture_config

FIXTURES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "lint").glob("*.Dockerfile"))
_EXPECT = re.compile(r"\s*expect:\s*(.+)")


def expected(path: Path) -> Counter[tuple[str, int]]:
    df = parse_bytes(path.read_bytes(), path=str(path))
    out: Counter[tuple[str, int]] = Counter()
    last: Instruction | None = None
    for node in df.nodes:
        if isinstance(node, Instruction):
            last = node
        elif isinstance(node, Comment) and (m := _EXPECT.fullmatch(node.text)):
            assert last is not None, f"{path.name}:{node.line}: marker before any instruction"
            for code in m.group(1).split(","):
                out[(code.strip(), last.start_line)] += 1
    return out


def test_every_rule_has_a_fixture() -> None:
    assert set(RULES) <= {p.stem for p in FIXTURES}


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixture_expectations(path: Path) -> None:
    df = parse_bytes(path.read_bytes(), path=str(path))
    config_path = fixture_config(path)
    config = load_config(config_path) if config_path is not None else LintConfig()
    found = Counter((f.code, f.line) for f in lint_dockerfile(df, config, shellcheck=False))
    assert found == expected(path)
