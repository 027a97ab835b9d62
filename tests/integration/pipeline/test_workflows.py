"""`dockwright run` with workflows, end to end: the real engine and registry, a git checkout.

A repository of two images; jobs in parallel; a failing job that stops its dependents only;
filters for branches and tags; a matrix over build args; the job cache (hits, and misses for
a changed file); cancellation (--fail-fast, SIGTERM); the reports.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest
from tests.integration.conftest import Registries

pytestmark = pytest.mark.integration

DOCKERFILE = """\
FROM dockwright.local/busybox:1.35
ARG FLAVOUR=plain
COPY greeting.txt /app/greeting
RUN echo "$FLAVOUR" > /app/flavour
CMD ["cat", "/app/greeting"]
"""

STRUCTURE = """\
schemaVersion: 2.0.0
fileContentTests:
  - name: greeting
    path: /app/greeting
    expectedContents: ["^hello\\\\n$"]
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _image(root: Path, name: str, greeting: str = "hello") -> None:
    (root / name).mkdir()
    (root / name / "Dockerfile").write_text(DOCKERFILE)
    (root / name / "greeting.txt").write_text(greeting + "\n")
    (root / name / "notes.md").write_text("not sent to the builder\n")
    (root / name / ".dockerignore").write_text("*.md\n")
    (root / name / "structure.yaml").write_text(STRUCTURE)


def _project(tmp_path: Path, config: str, *, tag: str = "", branch: str = "main") -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    _image(root, "app")
    _image(root, "worker")
    (root / "dockwright.yaml").write_text(config)
    _git(root, "init", "-q", "-b", branch)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "first")
    if tag:
        _git(root, "tag", tag)
    return root


def _dockwright(cwd: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CIRCLE", "GITHUB", "GITLAB", "CI"))
    }
    return subprocess.run(
        [sys.executable, "-m", "dockwright", "run", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _tags(registries: Registries, repo: str) -> dict[str, str]:
    base = f"http://{registries.plain}/v2/{repo}"
    accept = "application/vnd.docker.distribution.manifest.v2+json"
    with httpx.Client() as http:
        listing = http.get(f"{base}/tags/list")
        if listing.status_code == 404:
            return {}
        return {
            tag: http.head(f"{base}/manifests/{tag}", headers={"Accept": accept}).headers[
                "docker-content-digest"
            ]
            for tag in listing.json()["tags"] or []
        }


def _record(root: Path) -> dict[str, object]:
    return json.loads((root / ".dockwright" / "reports" / "run.json").read_text())  # type: ignore[no-any-return]


def _jobs(record: dict[str, object]) -> dict[str, dict[str, object]]:
    return {j["name"]: j for j in record["jobs"]}  # type: ignore[attr-defined, index]


def _steps(job: dict[str, object]) -> list[tuple[str, str, bool]]:
    return [(s["name"], s["state"], s["cached"]) for s in job["steps"]]  # type: ignore[attr-defined, index]


WORKFLOWS = """\
version: 1
images:
  app:
    context: app
    tests: [app/structure.yaml]
    tags: [{{type: semver, pattern: "{{{{version}}}}"}}, {{type: ref, event: branch}}]
    publish: [{{repository: {registry}/{repo}-app, insecure: true}}]
  worker:
    context: worker
    tests: [worker/structure.yaml]
    tags: [{{type: semver, pattern: "{{{{version}}}}"}}, {{type: ref, event: branch}}]
    publish: [{{repository: {registry}/{repo}-worker, insecure: true}}]
jobs:
  image:
    steps: [build, test]
  release:
    steps: [publish]
workflows:
  ci:
    jobs:
      - lint-all:
          steps: [lint]
          filters: {{tags: {{only: /.*/}}}}
      - image:
          matrix: {{parameters: {{image: [app, worker]}}}}
          requires: [lint-all]
          filters: {{tags: {{only: /.*/}}}}
      - release:
          name: publish-<< matrix.image >>
          matrix: {{parameters: {{image: [app, worker]}}}}
          requires: [image-<< matrix.image >>]
          filters: {{branches: {{only: main}}, tags: {{only: /^v.*/}}}}
"""


def test_a_release_of_two_images_then_the_cache(
    tmp_path: Path, registries: Registries, base_images: dict[str, str]
) -> None:
    repo = f"test/wf-{uuid.uuid4().hex[:10]}"
    root = _project(tmp_path, WORKFLOWS.format(registry=registries.plain, repo=repo), tag="v1.2.3")
    done = _dockwright(root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _tags(registries, f"{repo}-app").keys() == {"1.2.3", "latest"}
    assert _tags(registries, f"{repo}-worker").keys() == {"1.2.3", "latest"}
    # the builder is named once, before the first build's line
    assert sum(line.startswith("builder: ") for line in done.stdout.splitlines()) == 1
    record = _record(root)
    assert record["status"] == "passed"
    jobs = _jobs(record)
    assert list(jobs) == ["lint-all", "image-app", "image-worker", "publish-app", "publish-worker"]
    assert _steps(jobs["image-app"]) == [("build", "passed", False), ("test", "passed", False)]
    built = jobs["image-app"]["steps"][0]["image_id"]  # type: ignore[index]
    assert jobs["publish-app"]["steps"][0]["image_id"] == built  # type: ignore[index]
    junit = ET.parse(root / ".dockwright" / "reports" / "junit.xml").getroot()
    cases = [(c.get("classname"), c.get("name")) for c in junit.iter("testcase")]
    assert ("image-app.structure.yaml", "File Content Test: greeting") in cases
    assert (
        (root / ".dockwright" / "reports" / "summary.md")
        .read_text()
        .startswith("## dockwright run: passed\n")
    )

    # Nothing changed: nothing is rebuilt or retested, and the tags already hold the image.
    again = _dockwright(root)
    assert again.returncode == 0, again.stdout + again.stderr
    jobs = _jobs(_record(root))
    assert _steps(jobs["image-app"]) == [("build", "passed", True), ("test", "passed", True)]
    assert jobs["image-app"]["steps"][0]["image_id"] == built  # type: ignore[index]
    assert jobs["image-app"]["cached"] is True
    assert "builder: " not in again.stdout
    assert "image-app      build    cached" in again.stdout

    # A .dockerignored file changes: still cached. A file the builder receives: rebuilt.
    (root / "app" / "notes.md").write_text("changed\n")
    (root / "worker" / "greeting.txt").write_text("hello\n\n")
    third = _dockwright(root, "--no-publish")
    assert third.returncode == 1, third.stdout + third.stderr  # worker's test now fails
    jobs = _jobs(_record(root))
    assert _steps(jobs["image-app"]) == [("build", "passed", True), ("test", "passed", True)]
    assert _steps(jobs["image-worker"]) == [("build", "passed", False), ("test", "failed", False)]
    assert jobs["publish-worker"]["state"] == "skipped"
    assert jobs["publish-worker"]["reason"] == "requires image-worker, which failed"
    assert jobs["publish-app"]["steps"][0]["summary"] == "not publishing (--no-publish)"  # type: ignore[index]


def test_a_failing_job_stops_its_dependents_only_and_filters(
    tmp_path: Path, registries: Registries, base_images: dict[str, str]
) -> None:
    repo = f"test/wf-{uuid.uuid4().hex[:10]}"
    root = _project(tmp_path, WORKFLOWS.format(registry=registries.plain, repo=repo))
    (root / "worker" / "greeting.txt").write_text("goodbye\n")
    _git(root, "commit", "-qam", "break worker")
    done = _dockwright(root)
    assert done.returncode == 1, done.stdout + done.stderr
    assert _tags(registries, f"{repo}-app").keys() == {"main"}
    assert _tags(registries, f"{repo}-worker") == {}
    lines = done.stdout.splitlines()
    assert "publish-worker -        skipped           requires image-worker, which failed" in lines
    assert done.stderr == "failed: image-worker; nothing of them was published\n"

    # On another branch the publish jobs are filtered out, and said to be.
    _git(root, "checkout", "-q", "-b", "feature")
    done = _dockwright(root)
    assert (
        "publish-app    -        filtered          branch feature does not match branches.only main"
        in done.stdout.splitlines()
    )
    plan = _dockwright(root, "--dry-run")
    assert plan.returncode == 0
    assert plan.stdout.splitlines()[:3] == [
        "plan for branch feature: 3 of 5 jobs run",
        "publish: no (branch feature is not the default branch)",
        "workflow ci",
    ]


MATRIX = """\
version: 1
images:
  app:
    context: app
    tags: [{{type: raw, value: "1.0"}}]
    publish: [{{repository: {registry}/{repo}, insecure: true}}]
workflows:
  ci:
    jobs:
      - variant:
          name: app-<< matrix.flavour >>
          image: app
          matrix: {{parameters: {{flavour: [slim, full]}}}}
          build-args: {{FLAVOUR: << matrix.flavour >>}}
          tag-suffix: -<< matrix.flavour >>
          steps:
            - build
            - run: test "$(docker run --rm $DOCKWRIGHT_IMAGE_ID cat /app/flavour)" = $DOCKWRIGHT_MATRIX_FLAVOUR
            - publish
"""


def test_a_matrix_over_build_args(
    tmp_path: Path, registries: Registries, base_images: dict[str, str]
) -> None:
    repo = f"test/wf-{uuid.uuid4().hex[:10]}"
    root = _project(tmp_path, MATRIX.format(registry=registries.plain, repo=repo))
    done = _dockwright(root, "--publish")
    assert done.returncode == 0, done.stdout + done.stderr
    tags = _tags(registries, repo)
    assert tags.keys() == {"1.0-slim", "1.0-full"}
    assert tags["1.0-slim"] != tags["1.0-full"]


FAIL_FAST = """\
version: 1
images:
  app: {context: app}
workflows:
  ci:
    jobs:
      - slow-build:
          image: app
          build-args: {SLEEP: "60"}
          steps: [build]
      - slow-run:
          steps: [{run: 'echo $$ > pid; sleep 60'}]
      - broken:
          steps: [{run: 'sleep 2; exit 1'}]
"""


def test_fail_fast_cancels_builds_and_commands(tmp_path: Path, base_images: dict[str, str]) -> None:
    root = _project(tmp_path, FAIL_FAST)
    (root / "app" / "Dockerfile").write_text(
        DOCKERFILE + f"ARG SLEEP\nRUN echo {uuid.uuid4().hex} && sleep $SLEEP\n"
    )
    begin = time.monotonic()
    done = _dockwright(root, "--fail-fast", "--jobs", "3")
    assert time.monotonic() - begin < 45, done.stdout
    assert done.returncode == 1, done.stdout + done.stderr
    jobs = _jobs(_record(root))
    assert jobs["broken"]["state"] == "failed"
    assert jobs["slow-run"]["state"] == "cancelled"
    assert jobs["slow-build"]["state"] == "cancelled"
    pid = int((root / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_sigterm_stops_the_run_and_what_it_started(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "dockwright.yaml").write_text(
        "version: 1\nimages: {}\nworkflows:\n  ci:\n    jobs:\n"
        "      - wait: {steps: [{run: 'echo $$ > pid; sleep 60'}]}\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "dockwright", "run", "--plain"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    pid_file = root / "pid"
    deadline = time.monotonic() + 30
    while not pid_file.exists() or not pid_file.read_text().strip():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 130, out + err
    assert err == "dockwright: interrupted; the running jobs were stopped\n"
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)
    assert _jobs(_record(root))["wait"]["state"] == "cancelled"
