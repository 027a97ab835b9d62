"""`dockwright run` through the library, with a stand-in engine: the plan for a ref, steps'
`when`, run steps' environment and directory, the images built flowing to later jobs, the
job cache, and bad input failing before anything runs."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dockwright.engine.base import Builder, BuildRequest, BuildResult, ImageConfig, ImageInfo
from dockwright.errors import ConfigError, ImageNotFound, UsageError
from dockwright.pipeline.cache import Cache
from dockwright.pipeline.config import load_config
from dockwright.pipeline.runner import RunOptions, execute, plan_run
from dockwright.pipeline.runrecord import BuilderChosen, Event, RunRecord, State
from dockwright.tags.context import Context

FEATURE = Context(ref="refs/heads/feature", default_branch="main", sha="a" * 40)


class FakeEngine:
    """Builds give an image ID made of the request; the engine keeps the images it built."""

    def __init__(self) -> None:
        self.builds: list[BuildRequest] = []
        self.images: set[str] = set()

    def build(self, request: BuildRequest) -> BuildResult:
        self.builds.append(request)
        seed = f"{request.context}{sorted(request.build_args.items())}{len(self.builds)}"
        image_id = "sha256:" + hashlib.sha256(seed.encode()).hexdigest()
        self.images.add(image_id)
        return BuildResult(image_id, Builder("/usr/bin/docker", "buildkit", "test reason"), "")

    def inspect_image(self, ref: str) -> ImageInfo:
        if ref not in self.images:
            raise ImageNotFound(f"no such image: {ref}")
        return ImageInfo(ref, (), (), ImageConfig(), "", 0, "linux", "amd64")


def _project(tmp_path: Path, workflows: str = "", images: str = "") -> Path:
    for name in ("app", "worker"):
        (tmp_path / name).mkdir(exist_ok=True)
        (tmp_path / name / "Dockerfile").write_text("FROM busybox:1.35\n")
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\nimages:\n  app: {context: app}\n  worker: {context: worker}\n"
        + images
        + workflows
    )
    return tmp_path / "dockwright.yaml"


def _run(
    path: Path,
    engine: FakeEngine,
    context: Context = FEATURE,
    options: RunOptions | None = None,
    events: list[Event] | None = None,
    use_cache: bool = True,
) -> RunRecord:
    config = load_config(path)
    options = options or RunOptions(jobs=2)
    plan = plan_run(config, context, options, env={})
    return execute(
        plan,
        config,
        engine=engine,  # type: ignore[arg-type]
        context=context,
        cache=Cache.beside(config.root, read=use_cache),
        options=options,
        on_event=(events.append if events is not None else lambda e: None),
        env={"PATH": "/usr/bin:/bin"},
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )


def _states(record: RunRecord) -> dict[str, list[tuple[str, str]]]:
    return {j.name: [(s.name, s.state.value) for s in j.steps] for j in record.jobs}


def test_the_default_workflow_on_a_feature_branch(tmp_path: Path) -> None:
    engine = FakeEngine()
    events: list[Event] = []
    record = _run(_project(tmp_path), engine, events=events)
    assert record.ok
    assert _states(record) == {
        name: [("lint", "passed"), ("build", "passed"), ("test", "passed"), ("publish", "skipped")]
        for name in ("app", "worker")
    }
    publish = record.jobs[0].steps[3]
    assert publish.summary == "not publishing: branch feature is not the default branch"
    # the builder is said once per run, however many builds
    assert [e.builder for e in events if isinstance(e, BuilderChosen)] == [
        "/usr/bin/docker (DOCKER_BUILDKIT=1 docker build): test reason"
    ]
    assert record.builder == "/usr/bin/docker (DOCKER_BUILDKIT=1 docker build): test reason"


RUN_STEPS = """\
workflows:
  ci:
    jobs:
      - steps:
          environment: {FROM_JOB: job}
          working_directory: app
          steps:
            - run:
                name: show
                command: echo "$FROM_JOB $FROM_STEP $DOCKWRIGHT_JOB $(basename "$PWD")"
                environment: {FROM_STEP: step}
            - run: {name: sub, command: pwd, working_directory: sub}
            - run: {name: breaks, command: "echo out; echo err >&2; exit 3"}
            - run: {name: after, command: echo never}
            - lint
            - run: {name: cleanup, command: echo on fail, when: on_fail}
            - run: {name: report, command: echo always, when: always}
      - passing:
          steps: [{run: {name: fine, command: echo fine, when: on_fail}}]
"""


def test_run_steps_when_environment_and_directories(tmp_path: Path) -> None:
    (tmp_path / "app" / "sub").mkdir(parents=True)
    record = _run(_project(tmp_path, RUN_STEPS), FakeEngine())
    job, passing = record.jobs
    assert job.state is State.FAILED
    assert [(s.name, s.state.value, s.summary) for s in job.steps] == [
        ("show", "passed", "exit 0"),
        ("sub", "passed", "exit 0"),
        ("breaks", "failed", "exited with 3"),
        ("after", "skipped", "breaks failed"),
        ("lint", "skipped", "breaks failed"),
        ("cleanup", "passed", "exit 0"),
        ("report", "passed", "exit 0"),
    ]
    assert job.log == ["job step steps app", str(tmp_path / "app" / "sub"), "out", "err",
                       "on fail", "always"]  # fmt: skip
    assert job.steps[2].details == ("out", "err")
    assert job.steps[2].exit_code == 3
    # a job whose steps all passed; an on_fail step with nothing failed is skipped
    assert passing.state is State.PASSED
    assert passing.steps[0].summary == "no step failed (when: on_fail)"


def test_no_output_timeout_stops_a_silent_command(tmp_path: Path) -> None:
    workflows = (
        "workflows:\n  ci:\n    jobs:\n      - quiet:\n          steps:\n"
        "            - run: {command: 'echo start; sleep 20', no_output_timeout: 0.5s}\n"
    )
    record = _run(_project(tmp_path, workflows), FakeEngine())
    step = record.jobs[0].steps[0]
    assert (step.state, step.summary) == (State.FAILED, "stopped: no output for 0.5s")
    assert step.seconds < 15


CHAIN = """\
workflows:
  ci:
    jobs:
      - build:
          matrix: {parameters: {image: [app, worker]}}
          steps: [build]
      - check:
          name: check-<< matrix.image >>
          matrix: {parameters: {image: [app, worker]}}
          requires: [build-<< matrix.image >>]
          steps: [test, {run: 'echo "$DOCKWRIGHT_IMAGE $DOCKWRIGHT_IMAGE_ID $DOCKWRIGHT_MATRIX_IMAGE"'}]
      - broken:
          requires: [build-app]
          steps: [{run: exit 1}]
      - never:
          requires: [broken]
          steps: [{run: 'true'}]
"""


def test_the_image_built_flows_to_the_jobs_that_require_it(tmp_path: Path) -> None:
    engine = FakeEngine()
    record = _run(_project(tmp_path, CHAIN), engine)
    jobs = {j.name: j for j in record.jobs}
    built = {j: jobs[f"build-{j}"].steps[0].image_id for j in ("app", "worker")}
    assert len(engine.builds) == 2
    assert jobs["check-app"].log == [f"app {built['app']} app"]
    assert jobs["check-worker"].steps[0].image_id == built["worker"]
    # a failure stops what requires it, and only that
    assert jobs["broken"].state is State.FAILED
    assert (jobs["never"].state, jobs["never"].reason) == (
        State.SKIPPED,
        "requires broken, which failed",
    )
    assert jobs["check-worker"].state is State.PASSED
    assert not record.ok


def test_the_job_cache(tmp_path: Path) -> None:
    path = _project(tmp_path)
    engine = FakeEngine()
    first = _run(path, engine)
    assert len(engine.builds) == 2 and not any(j.cached for j in first.jobs)
    again = _run(path, engine)
    assert len(engine.builds) == 2  # nothing rebuilt
    assert [j.cached for j in again.jobs] == [True, True]
    assert [s.cached for s in again.jobs[0].steps] == [True, True, False, False]
    assert again.jobs[0].steps[1].image_id == first.jobs[0].steps[1].image_id
    assert again.jobs[0].steps[1].summary.endswith("(inputs unchanged: not rebuilt)")
    # a changed file in one context rebuilds that image only
    (tmp_path / "worker" / "extra.txt").write_text("x")
    _run(path, engine)
    assert [b.context for b in engine.builds[2:]] == [str(tmp_path / "worker")]
    # an image gone from the engine is rebuilt
    engine.images.clear()
    _run(path, engine)
    assert len(engine.builds) == 5
    # --no-cache redoes everything
    _run(path, engine, use_cache=False)
    assert len(engine.builds) == 7


def test_build_options_are_inputs_of_the_job_cache(tmp_path: Path) -> None:
    path = _project(tmp_path)
    engine = FakeEngine()
    _run(path, engine)
    assert len(engine.builds) == 2
    text = path.read_text()
    path.write_text(
        text.replace("app: {context: app}", "app: {context: app, platforms: linux/arm64}")
    )
    _run(path, engine)
    assert [(b.context, b.platform) for b in engine.builds[2:]] == [
        (str(tmp_path / "app"), "linux/arm64")
    ]
    path.write_text(text.replace("app: {context: app}", "app: {context: app, no-cache: true}"))
    _run(path, engine)
    _run(path, engine)  # no-cache: true rebuilds every time
    assert [b.no_cache for b in engine.builds[3:]] == [True, True]


def test_the_job_cache_is_per_engine(tmp_path: Path) -> None:
    path = _project(tmp_path)
    docker = FakeEngine()
    _run(path, docker)
    podman = FakeEngine()
    podman.name = "podman"  # type: ignore[attr-defined]
    podman.images = docker.images  # the same images in both, as `docker save | podman load` does
    again = _run(path, podman)
    assert len(podman.builds) == 2 and not any(s.cached for s in again.jobs[0].steps[1:])


FILTERED = """\
workflows:
  ci:
    jobs:
      - build: {image: app, steps: [build], filters: {tags: {only: /^v.*/}}}
      - release:
          image: app
          requires: [build]
          steps: [publish]
          filters: {branches: {only: main}, tags: {only: /^v.*/}}
      - after-release: {requires: [release], steps: [{run: 'true'}]}
"""


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (
            "refs/heads/feature",
            {
                "build": None,
                "release": "branch feature does not match branches.only main",
                "after-release": "requires release, which does not run for branch feature",
            },
        ),
        ("refs/heads/main", {"build": None, "release": None, "after-release": None}),
        (
            "refs/tags/v1.0.0",
            {
                "build": None,
                "release": None,
                "after-release": "tag v1.0.0: the job has no tags filter, so it runs for "
                "branches only",
            },
        ),
    ],
)
def test_plan_filters(tmp_path: Path, ref: str, expected: dict[str, str | None]) -> None:
    config = load_config(_project(tmp_path, FILTERED))
    plan = plan_run(config, Context(ref=ref), RunOptions(), env={})
    assert {p.name: p.filtered for p in plan.jobs} == expected


def test_only_runs_a_job_and_what_it_requires(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path, CHAIN))
    plan = plan_run(config, FEATURE, RunOptions(only=["check-app"]), env={})
    assert [p.name for p in plan.jobs] == ["build-app", "check-app"]
    with pytest.raises(UsageError) as info:
        plan_run(config, FEATURE, RunOptions(only=["nope"]), env={})
    assert str(info.value) == (
        "--only nope: no such job; the jobs are: build-app, build-worker, check-app, "
        "check-worker, broken, never"
    )
    with pytest.raises(UsageError) as info:
        plan_run(config, FEATURE, RunOptions(names=["cd"]), env={})
    assert str(info.value) == f"no workflow 'cd' in {config.path}; it defines ci"


def test_bad_input_fails_before_anything_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "structure.yaml").write_text(
        "schemaVersion: 2.0.0\ncommandTests: [{nme: x, command: 'true'}]\n"
    )
    path = _project(tmp_path, images="")
    text = path.read_text().replace(
        "app: {context: app}", "app: {context: app, tests: [structure.yaml]}"
    )
    path.write_text(text)
    engine = FakeEngine()
    with pytest.raises(ConfigError) as bad:
        _run(path, engine)
    assert str(bad.value) == (
        f"{tmp_path / 'structure.yaml'}:2: at commandTests[0].nme: unknown key 'nme'; "
        "did you mean 'name'?"
    )
    assert engine.builds == []
    path.write_text(
        path.read_text()
        .replace(
            "worker: {context: worker}",
            "worker:\n    context: worker\n    publish:\n      - repository: r.test/w\n"
            "        credentials: {username-env: T_U, password-env: T_P}\n",
        )
        .replace(", tests: [structure.yaml]", "")
    )
    monkeypatch.delenv("T_U", raising=False)
    with pytest.raises(UsageError, match=r"images\.worker\.publish\[0\]\.credentials"):
        _run(path, engine, context=Context(ref="refs/tags/v1.0.0"))
    assert engine.builds == []


def test_several_workflows_name_their_jobs(tmp_path: Path) -> None:
    workflows = (
        "workflows:\n"
        "  one:\n    jobs: [{a: {steps: [{run: 'true'}]}}, {b: {steps: [lint], requires: [a]}}]\n"
        "  two:\n    jobs: [{a: {steps: [{run: 'true'}]}}]\n"
    )
    config = load_config(_project(tmp_path, workflows))
    plan = plan_run(config, FEATURE, RunOptions(), env={})
    assert [(p.name, p.record.requires) for p in plan.jobs] == [
        ("one/a", ()),
        ("one/b", ("one/a",)),
        ("two/a", ()),
    ]
    assert [p.name for p in plan_run(config, FEATURE, RunOptions(names=["two"]), env={}).jobs] == [
        "a"
    ]
    record = _run(tmp_path / "dockwright.yaml", FakeEngine())
    assert [(j.name, j.state.value) for j in record.jobs] == [
        ("one/a", "passed"),
        ("one/b", "passed"),
        ("two/a", "passed"),
    ]


def test_unchanged_settings_and_test_files_are_checked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dockwright.pipeline.lintstep as lintstep
    import dockwright.structure.config as structure_config
    import dockwright.structure.runner as structure_runner
    from dockwright.structure.results import FileReport, Report, TestResult

    (tmp_path / "structure.yaml").write_text("schemaVersion: 2.0.0\n")
    path = _project(
        tmp_path,
        "workflows:\n  ci:\n    jobs:\n      - app: {image: app, steps: [lint, build, test]}\n",
    )
    path.write_text(
        path.read_text().replace(
            "app: {context: app}", "app: {context: app, tests: [structure.yaml]}"
        )
        + "lint: {failure-threshold: error}\n"
    )
    calls: list[str] = []
    read_tests, read_settings = structure_config.load_config, lintstep.lint_config

    def load_tests(file: str) -> object:
        calls.append("tests")
        return read_tests(file)

    def settings(config: object) -> object:
        calls.append("settings")
        return read_settings(config)  # type: ignore[arg-type]

    def run_tests(engine: object, image: str, files: list[str], **kw: object) -> Report:
        return Report((FileReport(files[0], (TestResult("Metadata Test", True),)),))

    monkeypatch.setattr(structure_config, "load_config", load_tests)
    monkeypatch.setattr(lintstep, "lint_config", settings)
    monkeypatch.setattr(structure_runner, "run_structure_tests", run_tests)
    engine = FakeEngine()
    assert _run(path, engine).ok
    assert calls == ["settings", "tests"]  # checked before anything runs
    calls.clear()
    again = _run(path, engine)
    assert again.ok and [s.cached for s in again.jobs[0].steps] == [True, True, True]
    assert calls == []  # nothing changed: neither is read again
    (tmp_path / "structure.yaml").write_text("schemaVersion: 2.0.0\ncommandTests: []\n")
    _run(path, engine)
    assert calls == ["tests"]
    calls.clear()
    _run(path, engine, use_cache=False)
    assert calls == ["settings", "tests"]
    (tmp_path / "structure.yaml").write_text("schemaVersion: 2.0.0\ncommandTests: [{nme: x}]\n")
    with pytest.raises(ConfigError):
        _run(path, engine)
