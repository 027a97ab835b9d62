"""Our structure-test runner against container-structure-test itself, on the same image."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockwright.engine.base import BuildRequest
from dockwright.engine.docker import DockerEngine
from dockwright.structure.runner import run_structure_tests

pytestmark = pytest.mark.integration

HERE = Path(__file__).parent
CONFIGS = sorted((HERE / "configs").glob("*.yaml"))
CST = Path(sys.executable).parent / "container-structure-test"
TAG = "dockwright-structure-test:latest"


@pytest.fixture(scope="module")
def image() -> Iterator[str]:
    with DockerEngine() as engine:
        result = engine.build(
            BuildRequest(
                context=str(HERE),
                tags=(TAG,),
                build_args={"GREETING": "hello"},
                labels={"dockwright.test": "1"},
            )
        )
        yield TAG
        engine.remove_image(result.image_id, force=True)


@pytest.mark.skipif(
    not CST.exists() and not shutil.which("container-structure-test"),
    reason="container-structure-test is not installed",
)
@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_same_verdicts_as_cst(image: str, config: Path) -> None:
    cst = str(CST) if CST.exists() else "container-structure-test"
    done = subprocess.run(
        [cst, "test", "--image", image, "--config", str(config), "--output", "json"],
        capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    theirs = json.loads(done.stdout)
    with DockerEngine() as engine:
        ours = run_structure_tests(engine, image, [str(config)], timeout=60)
    assert [(r["Name"], r["Pass"]) for r in theirs["Results"]] == [
        (r.name, r.passed) for r in ours.results
    ]
    assert (theirs["Pass"], theirs["Fail"], theirs["Total"]) == (
        ours.passed, ours.failed, ours.total,
    )  # fmt: skip
    assert (done.returncode == 0) == ours.ok


def test_timeout_is_a_failure(image: str, tmp_path: Path) -> None:
    config = tmp_path / "slow.yaml"
    config.write_text(
        "schemaVersion: 2.0.0\ncommandTests:\n"
        "  - name: slow\n    command: sleep\n    args: ['30']\n"
    )
    with DockerEngine() as engine:
        report = run_structure_tests(engine, image, [str(config)], timeout=1)
    (result,) = report.results
    assert not result.passed
    assert "timed out after 1 s" in result.errors[0]


def test_cli_json_and_exit_code(image: str, tmp_path: Path) -> None:
    from dockwright.cli.main import main

    config = tmp_path / "ok.yaml"
    config.write_text("schemaVersion: 2.0.0\ncommandTests:\n  - name: ok\n    command: 'true'\n")
    out = tmp_path / "report.json"
    assert main(["test", "--image", image, "--config", str(config), "--test-report", str(out)]) == 0
    body = json.loads(out.read_text())
    assert (body["Pass"], body["Fail"], body["Results"][0]["Name"]) == (1, 0, "Command Test: ok")
    bad = tmp_path / "bad.yaml"
    bad.write_text("schemaVersion: 2.0.0\ncommandTests:\n  - name: x\n    comand: 'true'\n")
    assert main(["test", "--image", image, "--config", str(bad)]) == 2
