"""The plain lines of `dockwright run` and its `--dry-run` plan."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dockwright.cli.run import print_plan
from dockwright.cli.runview import PlainRenderer
from dockwright.pipeline.config import load_config
from dockwright.pipeline.runner import RunOptions, plan_run
from dockwright.pipeline.runrecord import (
    BuilderChosen,
    JobFinished,
    JobRecord,
    JobStarted,
    State,
    StepFinished,
    StepOutput,
    StepRecord,
)
from dockwright.tags.context import Context


def _job() -> JobRecord:
    return JobRecord(
        name="build-app",
        workflow="ci",
        steps=[StepRecord("build", "build")],
        started=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_plain_lines() -> None:
    out = io.StringIO()
    view = PlainRenderer(out)
    job = _job()
    step = job.steps[0]
    view.event(JobStarted(job))
    view.event(StepOutput(job, step, "#1 [internal] load build definition"))
    view.event(BuilderChosen("/usr/bin/docker (DOCKER_BUILDKIT=1 docker build): why"))
    step.state, step.seconds, step.summary, step.cached = State.PASSED, 0.04, "sha256:1", True
    view.event(StepFinished(job, step))
    failing = StepRecord("unit", "run", state=State.FAILED, seconds=1.25, summary="exited with 1",
                         details=("assert 1 == 2",))  # fmt: skip
    view.event(StepFinished(job, failing))
    view.event(JobFinished(job))  # started: nothing more without -v
    view.event(
        JobFinished(
            JobRecord(
                name="publish-app",
                workflow="ci",
                state=State.SKIPPED,
                reason="requires build-app, which failed",
            )
        )
    )
    assert out.getvalue().splitlines() == [
        "builder: /usr/bin/docker (DOCKER_BUILDKIT=1 docker build): why",
        "build-app    build    cached      0.0s  sha256:1",
        "build-app    unit     failed      1.2s  exited with 1",
        "                      - assert 1 == 2",
        "publish-app  -        skipped           requires build-app, which failed",
    ]


def test_verbose_lines_show_the_output_and_the_jobs() -> None:
    out = io.StringIO()
    view = PlainRenderer(out, verbose=True)
    job = _job()
    view.event(JobStarted(job))
    view.event(StepOutput(job, job.steps[0], "hello"))
    job.state, job.seconds, job.started = (
        State.PASSED,
        2.0,
        job.started or __import__("datetime").datetime.now(),
    )
    view.event(JobFinished(job))
    assert out.getvalue().splitlines() == [
        "build-app    started",
        "build-app    | hello",
        "build-app    done     passed      2.0s",
    ]


def test_the_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\nimages:\n  app: {}\n"
        "workflows:\n  ci:\n    jobs:\n"
        "      - build: {image: app, steps: [lint, build, test]}\n"
        "      - release:\n"
        "          image: app\n"
        "          requires: [build]\n"
        "          steps: [publish, {run: {name: notify, command: ./notify}}]\n"
        "          filters: {branches: {only: main}}\n"
    )
    config = load_config(tmp_path / "dockwright.yaml", check_paths=False)
    print_plan(plan_run(config, Context(ref="refs/heads/feature"), RunOptions(), env={}))
    assert capsys.readouterr().out.splitlines() == [
        "plan for branch feature: 1 of 2 jobs run",
        "publish: no (branch feature is not the default branch)",
        "workflow ci",
        "  build        run      lint → build → test",
        "  release      not run  publish → run: notify  [requires build]  "
        "(branch feature does not match branches.only main)",
    ]


def test_run_without_a_config_points_to_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dockwright.cli.main import main

    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 2
    assert capsys.readouterr().err == (
        "dockwright: error: no dockwright.yaml here; `dockwright init` writes one for the "
        "Dockerfiles of this repository, or pass --config FILE\n"
    )


def test_the_plan_loads_no_engine_or_registry_client(tmp_path: Path) -> None:
    from tests.support.imports import modules_after

    (tmp_path / "dockwright.yaml").write_text("version: 1\nimages:\n  app: {}\n")
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    loaded, done = modules_after(
        "from dockwright.cli.main import main\nmain(['run', '--dry-run'])", cwd=tmp_path
    )
    assert "  app          run      lint → build → test → publish" in done.stdout
    assert not loaded & {"httpx", "dockwright.engine.docker", "dockwright.publish"}
