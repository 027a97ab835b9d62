"""`dockwright run` end to end with DOCKWRIGHT_ENGINE=podman: build, structure tests, publish."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.integration.conftest import Registries
from tests.integration.pipeline.test_run import _project, _tags

pytestmark = pytest.mark.integration


def test_release_through_podman(
    tmp_path: Path, registries: Registries, podman_missing: str | None
) -> None:
    if podman_missing:
        pytest.skip(podman_missing)
    project, repo = _project(tmp_path, registries, expected="hello")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIRCLE", "GITHUB", "CI"))}
    env.update(
        DOCKWRIGHT_ENGINE="podman",
        TEST_REG_USER=registries.username,
        TEST_REG_PASSWORD=registries.password,
    )
    done = subprocess.run(
        [sys.executable, "-m", "dockwright", "run"],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "app          test     passed" in done.stdout
    for host in (registries.plain, registries.tls):
        tags = _tags(registries, host, repo)
        assert sorted(tags) == ["2", "2.3", "2.3.4", "latest", f"sha-{_sha(project)}"]
        assert len(set(tags.values())) == 1, tags
    assert next(iter(tags.values())) in done.stdout


def _sha(project: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short=7", "HEAD"], cwd=project, capture_output=True, text=True
    ).stdout.strip()
