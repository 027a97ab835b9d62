"""The generated shell that hands an image from one CI job to the next, run for real: a job
builds and tests an image and saves it; the engine forgets it and the checkout loses its
cache (a new machine); the next job loads it and publishes. The image published is the image
ID built and tested by the first job: the second rebuilds nothing and tests nothing again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from dockwright.ci import shell
from dockwright.ci.plan import Options, build_plan
from dockwright.pipeline.config import load_config

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def engine_and_registry() -> None:
    for script in ("engine.sh", "base-images.sh", "registry.sh"):
        subprocess.run([str(ROOT / "scripts" / script)], check=True, capture_output=True)


def _bash(lines: list[str], cwd: Path) -> str:
    done = subprocess.run(["bash", "-eo", "pipefail", "-c", "\n".join(lines)], cwd=cwd,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _dockwright(cwd: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for name in [n for n in env if n.startswith(("CIRCLE", "GITHUB_", "GITLAB", "CI_"))]:
        del env[name]
    done = subprocess.run([sys.executable, "-m", "dockwright", "run", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def _steps(repo: Path) -> dict[str, dict[str, object]]:
    record = json.loads((repo / ".dockwright" / "reports" / "run.json").read_text())
    return {s["kind"]: s for s in record["jobs"][0]["steps"]}


def test_the_image_published_is_the_image_tested(tmp_path: Path, engine_and_registry: None) -> None:
    name = f"ci-handoff-{uuid.uuid4().hex[:12]}"
    repo, handoff = tmp_path / "repo", tmp_path / "handoff"
    repo.mkdir()
    (repo / "Dockerfile").write_text(f"FROM dockwright.local/busybox:1.35\nLABEL test={name}\n")
    (repo / "structure.yaml").write_text(
        "schemaVersion: 2.0.0\ncommandTests:\n  - name: runs\n    command: 'true'\n"
    )
    (repo / "dockwright.yaml").write_text(
        f"version: 1\nimages:\n  {name}:\n    tests: [structure.yaml]\n"
        "    tags: [{type: raw, value: ci}]\n"
        f"    publish: [{{repository: 127.0.0.1:5000/dockwright-ci/{name}, insecure: true}}]\n"
    )
    plan = build_plan(
        load_config(repo / "dockwright.yaml"), version="0", options=Options(), root=repo
    )
    tested, publishing = plan.jobs
    assert tested.hands_on and publishing.loads == (name,)

    _dockwright(repo, *tested.args)
    image_id = _steps(repo)["build"]["image_id"]
    assert isinstance(image_id, str) and image_id.startswith("sha256:")
    try:
        _bash(shell.save(plan, tested, str(handoff)), repo)
        assert (handoff / name / "images.txt").read_text() == f"{image_id}\n"
        # a new machine: no image, no cache
        subprocess.run(["docker", "rmi", "--force", image_id], check=True, capture_output=True)
        subprocess.run(["rm", "-rf", str(repo / ".dockwright")], check=True)
        out = _bash(shell.load(plan, str(handoff)), repo)
        assert f"{image_id}\n" in out  # the ID the first job recorded is back
        _dockwright(repo, *publishing.args)
        steps = _steps(repo)
        assert steps["build"]["cached"] and steps["build"]["image_id"] == image_id
        assert steps["test"]["cached"] and steps["test"]["image_id"] == image_id
        assert steps["publish"]["state"] == "passed" and steps["publish"]["image_id"] == image_id
    finally:
        subprocess.run(["docker", "rmi", "--force", image_id], capture_output=True, check=False)
