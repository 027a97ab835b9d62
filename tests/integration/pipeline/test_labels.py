"""The Dockerfile's own OCI labels survive `dockwright run`: inferred labels fill in only what
it leaves unset (but for those describing this build), and a structure test sees them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

DOCKERFILE = """\
FROM dockwright.local/busybox:1.35 AS runtime
ARG APP_VERSION=0.0.0
ENV HELLO_VERSION=${APP_VERSION} PORT=8080
LABEL org.opencontainers.image.title="hello-app" \\
      org.opencontainers.image.description="says hello, version ${APP_VERSION}" \\
      org.opencontainers.image.version="${APP_VERSION}"
USER 65534
CMD ["echo", "hello"]
"""

STRUCTURE = """\
schemaVersion: 2.0.0
metadataTest:
  labels:
    - {key: org.opencontainers.image.title, value: hello-app}
    - {key: org.opencontainers.image.description, value: "says hello, version 1.4.2"}
    - {key: org.opencontainers.image.version, value: "2.3.4"}
    - {key: org.opencontainers.image.vendor, value: Acme}
  envVars:
    - {key: HELLO_VERSION, value: "1.4.2"}
"""

CONFIG = """\
version: 1
images:
  hello:
    context: .
    build-args: {APP_VERSION: "1.4.2"}
    target: runtime
    tests: [structure.yaml]
    tags: [{type: semver, pattern: "{{version}}"}]
    labels: {org.opencontainers.image.vendor: Acme}
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd, check=True, capture_output=True,
    )  # fmt: skip


def test_run_keeps_the_dockerfile_title(tmp_path: Path, base_images: dict[str, str]) -> None:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "structure.yaml").write_text(STRUCTURE)
    (tmp_path / "dockwright.yaml").write_text(CONFIG)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "release")
    _git(tmp_path, "tag", "v2.3.4")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIRCLE", "GITHUB", "CI"))}
    done = subprocess.run(
        [sys.executable, "-m", "dockwright", "run", "--no-publish"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    found = re.search(r" build +passed .*?(sha256:[0-9a-f]{64})", done.stdout)
    try:
        assert done.returncode == 0, done.stdout + done.stderr
        assert "hello        test     passed" in done.stdout
        assert found is not None
        inspect = subprocess.run(
            ["docker", "image", "inspect", "--format", "{{json .Config.Labels}}", found[1]],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        labels = json.loads(inspect.stdout)
        assert labels["org.opencontainers.image.title"] == "hello-app"
        assert labels["org.opencontainers.image.version"] == "2.3.4"
        assert labels["org.opencontainers.image.vendor"] == "Acme"
    finally:
        if found is not None:
            subprocess.run(["docker", "image", "rm", found[1]], capture_output=True, check=False)
