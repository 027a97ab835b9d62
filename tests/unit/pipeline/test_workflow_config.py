"""`jobs:` and `workflows:` of dockwright.yaml: what they load into, and one whole message per
kind of mistake (all of a file's problems at once, each with its line and key path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.errors import ConfigError
from dockwright.pipeline.config import Config, load_config
from dockwright.pipeline.workflow import (
    BuiltinStep,
    Filters,
    RefFilter,
    RunStep,
    Target,
    default_workflow,
)

IMAGES = "version: 1\nimages:\n  app: {}\n  worker: {}\n"


def _load(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "dockwright.yaml"
    path.write_text(IMAGES + text)
    return load_config(path, check_paths=False)


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, text)
    return [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problems]


def test_jobs_defined_apart_and_in_place(tmp_path: Path) -> None:
    config = _load(
        tmp_path,
        "jobs:\n"
        "  check:\n"
        "    environment: {MODE: ci}\n"
        "    working_directory: scripts\n"
        "    steps:\n"
        "      - lint\n"
        "      - run: make test\n"
        "      - run:\n"
        "          name: report\n"
        "          command: |\n"
        "            echo done\n"
        "            echo twice\n"
        "          when: always\n"
        "          environment: {A: 1}\n"
        "          working_directory: out\n"
        "          shell: /bin/sh -eu\n"
        "          no_output_timeout: 1.5m\n"
        "workflows:\n"
        "  ci:\n"
        "    jobs:\n"
        "      - check\n"
        "      - app:\n"
        "          image: app\n"
        "          requires: [check]\n"
        "          steps: [build, test, {publish: {image: app}}]\n",
    )
    check, app = config.workflows["ci"].jobs
    assert check.name == "check"
    assert check.environment == {"MODE": "ci"}
    assert check.working_directory == "scripts"
    assert check.target is None
    assert check.steps == (
        BuiltinStep("lint", None),
        RunStep(command="make test", name="make test"),
        RunStep(
            command="echo done\necho twice\n",
            name="report",
            environment={"A": "1"},
            working_directory="out",
            when="always",
            shell=("/bin/sh", "-eu"),
            no_output_timeout=90.0,
        ),
    )
    assert app.requires == ("check",)
    assert [s.name for s in app.steps] == ["build", "test", "publish"]
    assert {s.target for s in app.steps} == {Target("app")}  # type: ignore[union-attr]
    assert app.where == "workflows.ci.jobs[1].app"


def test_matrix_expands_with_circleci_names_and_aliases(tmp_path: Path) -> None:
    config = _load(
        tmp_path,
        "jobs:\n"
        "  image: {steps: [build, test]}\n"
        "  release: {steps: [publish]}\n"
        "workflows:\n"
        "  ci:\n"
        "    jobs:\n"
        "      - image:\n"
        "          matrix:\n"
        "            parameters: {version: ['1', '2'], image: [app, worker]}\n"
        "            exclude: [{image: worker, version: '1'}]\n"
        "          build-args: {VERSION: << matrix.version >>}\n"
        "          tag-suffix: -v<< matrix.version >>\n"
        "      - release:\n"
        "          name: publish-<< matrix.image >>-<<matrix.version>>\n"
        "          matrix: {parameters: {image: [app], version: ['2']}}\n"
        "          requires: [image-app-<< matrix.version >>]\n"
        "          build-args: {VERSION: << matrix.version >>}\n"
        "          tag-suffix: -v<< matrix.version >>\n"
        "      - done:\n"
        "          requires: [image]\n"
        "          steps: [{run: 'true'}]\n",
    )
    jobs = {j.name: j for j in config.workflows["ci"].jobs}
    assert list(jobs) == ["image-app-1", "image-app-2", "image-worker-2", "publish-app-2", "done"]
    assert jobs["image-app-1"].target == Target("app", (("VERSION", "1"),), "-v1")
    assert jobs["image-app-1"].target.key == "app[VERSION=1,tag-suffix=-v1]"  # type: ignore[union-attr]
    assert jobs["image-app-1"].matrix == (("image", "app"), ("version", "1"))
    assert jobs["publish-app-2"].requires == ("image-app-2",)
    assert jobs["publish-app-2"].target == jobs["image-app-2"].target
    assert jobs["done"].requires == ("image-app-1", "image-app-2", "image-worker-2")


def test_filters_and_merge_keys(tmp_path: Path) -> None:
    config = _load(
        tmp_path,
        "workflows:\n"
        "  ci:\n"
        "    jobs:\n"
        "      - build: &release\n"
        "          image: app\n"
        "          steps: [build]\n"
        "          filters:\n"
        "            branches: {only: main}\n"
        "            tags: {only: [/^v.*/, nightly], ignore: /.*-rc/}\n"
        "      - again:\n"
        "          <<: *release\n"
        "          requires: [build]\n",
    )
    build, again = config.workflows["ci"].jobs
    assert build.filters == Filters(
        branches=RefFilter(only=("main",)),
        tags=RefFilter(only=("/^v.*/", "nightly"), ignore=("/.*-rc/",)),
    )
    assert again.filters == build.filters
    assert again.requires == ("build",)


def test_no_workflows_is_the_default_workflow(tmp_path: Path) -> None:
    config = _load(tmp_path, "")
    assert config.workflows == {}
    workflow = default_workflow(config)
    assert [j.name for j in workflow.jobs] == ["app", "worker"]
    assert [s.name for s in workflow.jobs[0].steps] == ["lint", "build", "test", "publish"]
    publish = workflow.jobs[0].steps[3]
    assert isinstance(publish, BuiltinStep) and publish.release_only


def test_platforms_are_stored(tmp_path: Path) -> None:
    path = tmp_path / "dockwright.yaml"
    path.write_text("version: 1\nimages:\n  app: {platforms: [linux/amd64, linux/arm64/v8]}\n")
    assert load_config(path, check_paths=False).images["app"].platforms == (
        "linux/amd64",
        "linux/arm64/v8",
    )


BAD: list[tuple[str, str, list[str]]] = [
    (
        "unknown-job",
        "jobs:\n  build: {steps: [lint]}\nworkflows:\n  ci:\n    jobs: [biuld]\n",
        [
            "dockwright.yaml:9: at workflows.ci.jobs[0]: no job 'biuld': define it under "
            "jobs:, or give it steps: here; did you mean 'build'?"
        ],
    ),
    (
        "settings-not-indented",
        "workflows:\n  ci:\n    jobs:\n      - build:\n        steps: [lint]\n",
        [
            "dockwright.yaml:8: at workflows.ci.jobs[0]: expected a mapping of one key, the "
            "job's name, to its settings; found 2 keys: 'build', 'steps' "
            "(indent the settings under 'build')"
        ],
    ),
    (
        "cycle",
        "workflows:\n  ci:\n    jobs:\n"
        "      - a: {steps: [lint], requires: [c]}\n"
        "      - b: {steps: [lint], requires: [a]}\n"
        "      - c: {steps: [lint], requires: [b]}\n",
        [
            "dockwright.yaml:8: at workflows.ci.jobs[0].a.requires: requires form a cycle: a → c → b → a"
        ],
    ),
    (
        "requires-unknown",
        "workflows:\n  ci:\n    jobs:\n"
        "      - lint-all: {steps: [lint]}\n"
        "      - b: {steps: [lint], requires: [lint-al]}\n",
        [
            "dockwright.yaml:9: at workflows.ci.jobs[1].b.requires[0]: requires 'lint-al', "
            "which is no job of workflow 'ci'; did you mean 'lint-all'?"
        ],
    ),
    (
        "unknown-image",
        "workflows:\n  ci:\n    jobs:\n"
        "      - a: {steps: [build], image: ap}\n"
        "      - b: {steps: [lint, {build: {image: wrker}}]}\n",
        [
            "dockwright.yaml:8: at workflows.ci.jobs[0].a.image: no image 'ap' in images: "
            "(the images are: app, worker)",
            "dockwright.yaml:9: at workflows.ci.jobs[1].b.steps[1].build.image: no image "
            "'wrker' in images: (the images are: app, worker)",
        ],
    ),
    (
        "build-without-image",
        "workflows:\n  ci:\n    jobs:\n      - a: {steps: [lint, build]}\n",
        [
            "dockwright.yaml:8: at workflows.ci.jobs[0].a.steps[1]: build needs an image: set "
            "image: on the step, on the job, or on its entry in the workflow (or give the matrix "
            "an image parameter)"
        ],
    ),
    (
        "publish-without-build",
        "workflows:\n  ci:\n    jobs:\n"
        "      - a: {steps: [build], image: worker}\n"
        "      - b: {steps: [test, publish], image: app, requires: [a]}\n",
        [
            "dockwright.yaml:9: at workflows.ci.jobs[1].b.steps[0]: test of app in job 'b' needs "
            "the image built first: add a build step before it, or require a job that builds app",
            "dockwright.yaml:9: at workflows.ci.jobs[1].b.steps[1]: publish of app in job 'b' "
            "needs the image built first: add a build step before it, or require a job that "
            "builds app",
        ],
    ),
    (
        "duplicate-name",
        "workflows:\n  ci:\n    jobs:\n"
        "      - a: {steps: [lint]}\n"
        "      - b: {steps: [lint], name: a}\n",
        [
            "dockwright.yaml:9: at workflows.ci.jobs[1].b: duplicate job name 'a' in workflow "
            "'ci' (first at workflows.ci.jobs[0].a)"
        ],
    ),
    (
        "defined-twice",
        "jobs:\n  a: {steps: [lint]}\nworkflows:\n  ci:\n    jobs:\n      - a: {steps: [lint]}\n",
        [
            "dockwright.yaml:10: at workflows.ci.jobs[0].a.steps: job 'a' is defined under "
            "jobs: already; give this one another name, or leave out its steps"
        ],
    ),
    (
        "step-shapes",
        "workflows:\n  ci:\n    jobs:\n"
        "      - a:\n"
        "          steps:\n"
        "            - lnt\n"
        "            - {run: {command: x, when: on_failure, no_output_timeout: 10 minutes}}\n"
        "            - {run: x, build: {}}\n"
        "            - {deploy: {}}\n",
        [
            "dockwright.yaml:10: at workflows.ci.jobs[0].a.steps[0]: expected one of lint, "
            "build, test, publish, update; found 'lnt'",
            "dockwright.yaml:11: at workflows.ci.jobs[0].a.steps[1].run.no_output_timeout: "
            "expected a duration such as 10m, 90s or 1.5h; found '10 minutes'",
            "dockwright.yaml:11: at workflows.ci.jobs[0].a.steps[1].run.when: expected one of "
            "on_success, on_fail, always; found 'on_failure'",
            "dockwright.yaml:12: at workflows.ci.jobs[0].a.steps[2]: expected a step: one key, "
            "run or a built-in step; found 2 keys: 'run', 'build'",
            "dockwright.yaml:13: at workflows.ci.jobs[0].a.steps[3]: expected one of run, lint, "
            "build, test, publish, update; found 'deploy'",
        ],
    ),
    (
        "bad-steps-in-place",
        "workflows:\n  ci:\n    jobs:\n      - a: {steps: lint}\n",
        [
            "dockwright.yaml:8: at workflows.ci.jobs[0].a.steps: expected a list of steps (lint, "
            "build, test, publish, update, or a mapping with run); found 'lint'"
        ],
    ),
    (
        "filters",
        "workflows:\n  ci:\n    jobs:\n"
        "      - a:\n"
        "          steps: [lint]\n"
        "          filters: {branches: {only: '/(/'}, tag: {only: /v.*/}}\n",
        [
            "dockwright.yaml:10: at workflows.ci.jobs[0].a.filters.branches.only: expected a "
            "regular expression; found '/(/' (missing ), unterminated subpattern at position 0)",
            "dockwright.yaml:10: at workflows.ci.jobs[0].a.filters.tag: unknown key 'tag'; "
            "did you mean 'tags'?",
        ],
    ),
    (
        "matrix",
        "workflows:\n  ci:\n    jobs:\n"
        "      - a:\n"
        "          steps: [lint]\n"
        "          name: a-<< matrix.os >>\n"
        "          matrix:\n"
        "            parameters: {image: [app]}\n"
        "            exclude: [{image: app, os: x}, {image: worker}]\n"
        "      - b: {steps: [lint], name: b-<< matrix.image >>}\n",
        [
            "dockwright.yaml:10: at workflows.ci.jobs[0].a.name: names matrix parameter 'os', "
            "which the matrix does not have (image)",
            "dockwright.yaml:13: at workflows.ci.jobs[0].a.matrix.exclude[0]: expected a value "
            "for each parameter of the matrix (image); found image, os",
            "dockwright.yaml:13: at workflows.ci.jobs[0].a.matrix.exclude[1]: excludes no "
            "combination of the matrix's values",
            "dockwright.yaml:14: at workflows.ci.jobs[1].b.name: << matrix.image >> is used "
            "outside a matrix",
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_workflows(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert _problems(tmp_path, text) == expected


def test_every_problem_of_the_file_at_once(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        "jobs:\n  a: {steps: [lint], image: nope}\n"
        "workflows:\n  ci:\n    jobs: [a, b]\n  other:\n    jobs: [{c: {steps: [build]}}]\n",
    )
    assert problems == [
        "dockwright.yaml:6: at jobs.a.image: no image 'nope' in images: (the images are: app, worker)",
        "dockwright.yaml:9: at workflows.ci.jobs[1]: no job 'b': define it under jobs:, or give "
        "it steps: here",
        "dockwright.yaml:11: at workflows.other.jobs[0].c.steps[0]: build needs an image: set "
        "image: on the step, on the job, or on its entry in the workflow (or give the matrix an "
        "image parameter)",
    ]
