"""Podman under the pipeline: `dockwright run` end to end with DOCKWRIGHT_ENGINE=podman, and
structure tests that never take the runc path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.integration.conftest import Registries
from tests.integration.pipeline.test_run import _project, _tags

from dockwright.engine.podman import PodmanEngine
from dockwright.errors import UsageError
from dockwright.structure.drivers import DockerDriver, RunSettings

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


def test_structure_tests_take_the_engine_path_under_podman(podman_missing: str | None) -> None:
    if podman_missing:
        pytest.skip(podman_missing)
    image = "dockwright.local/busybox:1.35"
    with PodmanEngine() as engine:
        driver = DockerDriver(engine, image, RunSettings(exec_path="auto"))
        assert driver.exec_path == (
            "engine (the runc path reproduces Docker's containers, not podman's)"
        )
        with pytest.raises(UsageError) as info:
            DockerDriver(engine, image, RunSettings(exec_path="runc"))
    assert str(info.value) == (
        f"the runc path cannot run {image}: the runc path reproduces Docker's containers, "
        "not podman's"
    )
