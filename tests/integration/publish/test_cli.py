"""`dockwright publish` as users run it: every byte printed is grepped for the password."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from tests.integration.conftest import Registries

pytestmark = pytest.mark.integration

CONFIG = """\
version: 1
images:
  app:
    context: .
    tags:
      - {{type: raw, value: "3.1.0"}}
      - {{type: raw, value: latest}}
    publish:
      - repository: {plain}/{repo}
        insecure: true
      - repository: {tls}/{repo}
        credentials: {{username-env: TEST_REG_USER, password-env: TEST_REG_PASSWORD}}
"""


def run(cwd: Path, *args: str, password: str, user: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CIRCLE", "GITHUB", "GITLAB", "CI"))
    }
    env.update(TEST_REG_USER=user, TEST_REG_PASSWORD=password, DOCKER_CONFIG=str(cwd / "docker"),
               XDG_CACHE_HOME=str(cwd / "cache"))  # fmt: skip
    return subprocess.run([sys.executable, "-m", "dockwright", "publish", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_publish_cli_never_prints_the_password(
    tmp_path: Path, registries: Registries, base_images: dict[str, str]
) -> None:
    repo = f"itest/cli-{uuid.uuid4().hex[:8]}"
    (tmp_path / "Dockerfile").write_text(f"FROM {base_images['busybox']}\n")
    (tmp_path / "dockwright.yaml").write_text(
        CONFIG.format(plain=registries.plain, tls=registries.tls, repo=repo)
    )
    source = ["--source", base_images["busybox"]]
    outputs = []
    dry = run(tmp_path, "--dry-run", password=registries.password, user=registries.username)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.index(f"{registries.tls}/{repo}:3.1.0") < dry.stdout.index(
        f"{registries.plain}/{repo}:latest"
    )
    ok = run(tmp_path, "-v", *source, password=registries.password, user=registries.username)
    assert ok.returncode == 0, ok.stderr
    assert f"{registries.tls}/{repo}:latest  sha256:" in ok.stdout
    bad = run(tmp_path, *source, password="x" + registries.password, user=registries.username)
    assert bad.returncode != 0
    assert "401" in bad.stderr or "refused" in bad.stderr
    outputs = [dry, ok, bad]
    for out in outputs:
        text = out.stdout + out.stderr
        assert registries.password not in text
        assert "Traceback" not in text
