"""The pipeline's control flow with a stand-in engine: what runs, what is skipped, and when."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from dockwright.engine.base import Builder, BuildRequest, BuildResult
from dockwright.errors import BuildFailed, UsageError
from dockwright.pipeline.config import load_config
from dockwright.pipeline.executor import run_pipeline
from dockwright.pipeline.release import publish_decision
from dockwright.pipeline.stepresult import Status
from dockwright.tags.context import Context


class BuildOnlyEngine:
    """Builds succeed or fail on demand; nothing else is expected of it in these tests."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.builds: list[BuildRequest] = []

    def build(self, request: BuildRequest) -> BuildResult:
        self.builds.append(request)
        if self.fail:
            raise BuildFailed("build failed: step 2/3 exited 1", log="boom")
        return BuildResult("sha256:" + "a" * 64, Builder("/usr/bin/docker", "buildkit", "test"), "")

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"the pipeline should not call engine.{name} here")


def _project(tmp_path: Path, dockerfile: str = "FROM busybox:1.35\n", extra: str = "") -> Path:
    (tmp_path / "Dockerfile").write_text(dockerfile)
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\nimages:\n  app:\n    context: .\n"
        "    publish:\n      - repository: registry.test/acme/app\n"
        "        credentials: {username-env: T_USER, password-env: T_PASSWORD}\n" + extra
    )
    return tmp_path / "dockwright.yaml"


def _steps(results: Sequence[object]) -> list[tuple[str, str]]:
    return [(r.step, r.status.value) for r in results]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        (Context(ref="refs/tags/v1.2.3"), (True, "release v1.2.3")),
        (
            Context(ref="refs/heads/main", default_branch="main"),
            (True, "default branch main"),
        ),
        (
            Context(ref="refs/heads/feature", default_branch="main"),
            (False, "branch feature is not the default branch"),
        ),
        (Context(ref="refs/pull/7/merge"), (False, "not a release and not on the default branch")),
    ],
)
def test_publish_decision(context: Context, expected: tuple[bool, str]) -> None:
    assert publish_decision(context) == expected


def test_feature_branch_runs_everything_but_publish(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path))
    engine = BuildOnlyEngine()
    report = run_pipeline(
        config, engine=engine, context=Context(ref="refs/heads/feature", default_branch="main")
    )
    assert report.ok
    assert _steps(report.images[0].steps) == [
        ("lint", "passed"),
        ("build", "passed"),
        ("test", "passed"),
        ("publish", "skipped"),
    ]
    assert engine.builds[0].labels["org.opencontainers.image.version"] == "feature"


def test_build_failure_skips_the_rest(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path))
    report = run_pipeline(
        config, engine=BuildOnlyEngine(fail=True), context=Context(), publish_mode=False
    )
    assert not report.ok
    steps = report.images[0].steps
    assert _steps(steps) == [
        ("lint", "passed"),
        ("build", "failed"),
        ("test", "skipped"),
        ("publish", "skipped"),
    ]
    assert steps[1].summary == "build failed: step 2/3 exited 1"
    assert steps[2].summary == "build failed"


def test_lint_failure_is_reported_with_findings(tmp_path: Path) -> None:
    config = load_config(
        _project(tmp_path, "FROM busybox\n", extra="lint:\n  failure-threshold: warning\n")
    )
    engine = BuildOnlyEngine()
    report = run_pipeline(config, engine=engine, context=Context(), publish_mode=False)
    lint = report.images[0].steps[0]
    assert (lint.status, lint.summary) == (Status.FAILED, "1 finding")
    assert lint.details == (
        f"{tmp_path / 'Dockerfile'}:1 DL3006 warning: "
        "Always tag the version of an image explicitly",
    )
    assert engine.builds == []


def test_unset_credentials_fail_before_any_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("T_USER", raising=False)
    monkeypatch.setenv("T_PASSWORD", "x")
    config = load_config(_project(tmp_path))
    engine = BuildOnlyEngine()
    with pytest.raises(UsageError, match=r"publish\[0\]\.credentials: .* T_USER, which is not set"):
        run_pipeline(config, engine=engine, context=Context(ref="refs/tags/v1.0.0"))
    assert engine.builds == []


def test_unknown_image_is_a_usage_error(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path))
    with pytest.raises(UsageError, match="no image 'nope'"):
        run_pipeline(config, engine=BuildOnlyEngine(), context=Context(), images=["nope"])


def test_build_keeps_the_dockerfiles_own_labels(tmp_path: Path) -> None:
    dockerfile = (
        "FROM busybox:1.35\n"
        'LABEL org.opencontainers.image.title="hello-app" org.opencontainers.image.version=0\n'
    )
    config = load_config(_project(tmp_path, dockerfile))
    engine = BuildOnlyEngine()
    context = Context(ref="refs/tags/v1.2.3", sha="a" * 40)
    report = run_pipeline(config, engine=engine, context=context, publish_mode=False)
    assert report.ok
    sent = engine.builds[0].labels
    assert "org.opencontainers.image.title" not in sent  # the Dockerfile's stays
    assert sent["org.opencontainers.image.version"] == "1.2.3"  # this build's, always
    tags = report.images[0].tags
    assert tags is not None
    assert tags.labels["org.opencontainers.image.title"] == "hello-app"
    assert tags.label_sources["org.opencontainers.image.title"] == "Dockerfile"
