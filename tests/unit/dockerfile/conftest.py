from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "dockerfiles"
CORPUS = sorted(FIXTURES.glob("*.Dockerfile"))


@pytest.fixture(params=CORPUS, ids=[p.name for p in CORPUS])
def corpus_file(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path
