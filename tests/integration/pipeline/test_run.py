"""`dockwright run` end to end: real engine, real registries, a real git checkout."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from tests.integration.conftest import Registries

pytestmark = pytest.mark.integration

DOCKERFILE = """\
FROM dockwright.local/busybox:1.35
ARG GREETING=hi
RUN mkdir -p /app && echo "$GREETING" > /app/greeting
USER 65534
CMD ["cat", "/app/greeting"]
"""

STRUCTURE = """\
schemaVersion: 2.0.0
commandTests:
  - name: greets
    command: cat
    args: [/app/greeting]
    expectedOutput: ["^{expected}\\\\n$"]
fileExistenceTests:
  - name: greeting file
    path: /app/greeting
    shouldExist: true
"""

CONFIG = """\
version: 1
images:
  app:
    context: .
    build-args: {{GREETING: hello}}
    tests: [structure.yaml]
    tags:
      - {{type: semver, pattern: "{{{{version}}}}"}}
      - {{type: semver, pattern: "{{{{major}}}}.{{{{minor}}}}"}}
      - {{type: semver, pattern: "{{{{major}}}}"}}
      - {{type: sha}}
    publish:
      - repository: {plain}/{repo}
        insecure: true
      - repository: {tls}/{repo}
        credentials: {{username-env: TEST_REG_USER, password-env: TEST_REG_PASSWORD}}
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _project(tmp_path: Path, registries: Registries, expected: str) -> tuple[Path, str]:
    repo = f"test/run-{uuid.uuid4().hex[:10]}"
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "structure.yaml").write_text(STRUCTURE.format(expected=expected))
    (tmp_path / "dockwright.yaml").write_text(
        CONFIG.format(plain=registries.plain, tls=registries.tls, repo=repo)
    )
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "release")
    _git(tmp_path, "tag", "v2.3.4")
    return tmp_path, repo


def _dockwright(cwd: Path, registries: Registries) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CIRCLE", "GITHUB", "GITLAB", "CI"))
    }
    env.update(TEST_REG_USER=registries.username, TEST_REG_PASSWORD=registries.password)
    return subprocess.run(
        [sys.executable, "-m", "dockwright", "run"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _tags(registries: Registries, host: str, repo: str) -> dict[str, str]:
    """tag -> manifest digest, read straight from the registry."""
    tls = host == registries.tls
    auth = (registries.username, registries.password) if tls else None
    base = f"{'https' if tls else 'http'}://{host}/v2/{repo}"
    accept = "application/vnd.docker.distribution.manifest.v2+json"
    verify = ssl.create_default_context(cafile=str(registries.ca)) if tls else False
    with httpx.Client(verify=verify, auth=auth) as http:
        listing = http.get(f"{base}/tags/list")
        if listing.status_code == 404:
            return {}
        out = {}
        for tag in listing.json()["tags"] or []:
            head = http.head(f"{base}/manifests/{tag}", headers={"Accept": accept})
            out[tag] = head.headers["docker-content-digest"]
        return out


def test_release_publishes_every_tag_to_one_digest(
    tmp_path: Path, registries: Registries, base_images: dict[str, str]
) -> None:
    project, repo = _project(tmp_path, registries, expected="hello")
    sha = subprocess.run(
        ["git", "rev-parse", "--short=7", "HEAD"], cwd=project, capture_output=True, text=True
    ).stdout.strip()
    done = _dockwright(project, registries)
    assert done.returncode == 0, done.stdout + done.stderr
    assert registries.password not in done.stdout + done.stderr
    for host in (registries.plain, registries.tls):
        tags = _tags(registries, host, repo)
        assert sorted(tags) == sorted(["2.3.4", "2.3", "2", "latest", f"sha-{sha}"])
        assert len(set(tags.values())) == 1, tags
    digest = next(iter(_tags(registries, registries.plain, repo).values()))
    assert digest in done.stdout
    # The published image is the one that was tested: its config is the built image ID.
    manifest = httpx.get(
        f"http://{registries.plain}/v2/{repo}/manifests/2.3.4",
        headers={"Accept": "application/vnd.docker.distribution.manifest.v2+json"},
    ).json()
    built = next(line for line in done.stdout.splitlines() if " build " in line)
    assert manifest["config"]["digest"] in built


def test_failing_structure_test_publishes_nothing(
    tmp_path: Path, registries: Registries, base_images: dict[str, str]
) -> None:
    project, repo = _project(tmp_path, registries, expected="goodbye")
    done = _dockwright(project, registries)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "app          test     failed" in done.stdout
    assert "app          publish  skipped" in done.stdout
    assert _tags(registries, registries.plain, repo) == {}
    assert _tags(registries, registries.tls, repo) == {}


def test_unset_credentials_fail_before_anything_runs(
    tmp_path: Path, registries: Registries, base_images: dict[str, str]
) -> None:
    project, _ = _project(tmp_path, registries, expected="hello")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEST_REG")}
    done = subprocess.run(
        [sys.executable, "-m", "dockwright", "run"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "dockwright: error: images.app.publish[1].credentials: credentials come from the "
        "environment variables TEST_REG_USER, TEST_REG_PASSWORD, which are not set\n"
    )


def test_bad_config_is_exit_2_with_file_line_and_key(tmp_path: Path) -> None:
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\nimages:\n  app:\n    context: .\n    tags:\n      - {type: semvar}\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "dockwright", "run"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "dockwright.yaml:6" in done.stderr
    assert "images.app.tags[0].type" in done.stderr
    assert "'semvar'" in done.stderr


def test_lint_failure_stops_before_the_build(
    tmp_path: Path, registries: Registries, base_images: dict[str, str]
) -> None:
    project, repo = _project(tmp_path, registries, expected="hello")
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(DOCKERFILE.replace("busybox:1.35", "busybox:latest"))
    config = project / "dockwright.yaml"
    config.write_text(config.read_text() + "lint:\n  failure-threshold: warning\n")
    done = _dockwright(project, registries)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("app          lint     failed")
    assert "Dockerfile:1 DL3007 warning: Using latest is prone to errors" in lines[1]
    assert [line.split()[1:3] for line in lines[2:5]] == [
        ["build", "skipped"],
        ["test", "skipped"],
        ["publish", "skipped"],
    ]
    assert _tags(registries, registries.plain, repo) == {}
