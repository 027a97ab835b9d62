"""The configurations the CI generators are tested on: dockwright.yaml files under
``configs/`` (one image; several images with a matrix; no publish; several registries) and
the bundled example, each rendered by every generator, compared whole to the golden files
under tests/golden/ci/ (``DOCKWRIGHT_UPDATE_GOLDEN=1`` writes them anew)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from dockwright.ci.plan import Options, Plan, build_plan
from dockwright.ci.registry import GENERATORS
from dockwright.pipeline.config import load_config

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
GOLDEN = REPO / "tests" / "golden" / "ci"
UPDATE = os.environ.get("DOCKWRIGHT_UPDATE_GOLDEN") == "1"
VERSION = "0.1.0"  # pinned in the golden files, whatever dockwright's version
# name -> (dockwright.yaml, the repository's root it is read from)
CONFIGS = {
    "hello": (REPO / "examples" / "hello" / "dockwright.yaml", REPO),
    **{
        name: (HERE / "configs" / name / "dockwright.yaml", HERE / "configs" / name)
        for name in ("one-image", "matrix", "no-publish", "registries")
    },
}
CASES = [(config, provider) for config in CONFIGS for provider in GENERATORS]
SCHEMAS = {"circleci": "vendor.circle-ci", "github": "vendor.github-workflows",
           "gitlab": "vendor.gitlab-ci"}  # fmt: skip


def plan_of(config: str, options: Options | None = None) -> Plan:
    path, root = CONFIGS[config]
    return build_plan(load_config(path), version=VERSION, options=options or Options(), root=root)


def render(config: str, provider: str) -> str:
    return GENERATORS[provider].render(plan_of(config))


def golden(config: str, provider: str) -> Path:
    return GOLDEN / config / f"{provider}.yml"


def tool(name: str) -> str:
    """An oracle installed with the test extras (beside this Python, or on PATH)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return found
