"""The plan: which CI jobs, what each runs, requires, filters, hands on and takes, and which
credentials they need."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.ci.cases import plan_of

from dockwright.ci.plan import Options, Repository, build_plan, repository_root
from dockwright.errors import UsageError
from dockwright.pipeline.config import load_config
from dockwright.pipeline.workflow import EVERY_REF, Filters, RefFilter


def test_without_workflows_each_image_is_tested_then_published_from_the_tested_image() -> None:
    plan = plan_of("hello")
    assert plan.default and plan.source == "examples/hello/dockwright.yaml"
    assert plan.config_args == ("-c", "examples/hello/dockwright.yaml")
    assert plan.state_dir == "examples/hello/.dockwright"
    test, publish = plan.jobs
    assert (test.name, test.args, test.filters, test.hands_on) == (
        "hello", ("hello", "--no-publish"), EVERY_REF, True
    )  # fmt: skip
    assert (publish.name, publish.args, publish.requires, publish.loads) == (
        "publish-hello", ("hello", "--publish"), ("hello",), ("hello",)
    )  # fmt: skip
    assert publish.filters == Filters(
        branches=RefFilter(only=("main",)), tags=RefFilter(only=("/.*/",))
    )
    assert publish.secrets == ("REGISTRY_USERNAME", "REGISTRY_PASSWORD")
    assert test.secrets == ()  # credentials only where they are used


def test_the_default_branch_is_an_option() -> None:
    plan = plan_of("hello", Options(default_branch="trunk"))
    assert plan.jobs[1].filters.branches == RefFilter(only=("trunk",))


def test_an_image_that_publishes_nowhere_gets_one_job_that_hands_nothing_on() -> None:
    plan = plan_of("no-publish")
    assert [(j.name, j.hands_on, j.loads) for j in plan.jobs] == [
        ("api", False, ()),
        ("web", False, ()),
    ]
    assert plan.secrets == ()


def test_workflow_jobs_are_mirrored_matrix_expanded_with_what_they_take() -> None:
    plan = plan_of("matrix")
    assert not plan.default and plan.config_args == ()
    by_name = {j.name: j for j in plan.jobs}
    assert list(by_name) == [
        "check", "app-py3.11", "app-py3.12", "worker",
        "publish-app-py3.11", "publish-app-py3.12", "publish-worker", "smoke",
    ]  # fmt: skip
    assert by_name["check"].args == ("ci", "--only", "check")
    assert not by_name["check"].hands_on  # it builds nothing
    assert by_name["app-py3.11"].hands_on and by_name["worker"].hands_on
    assert by_name["publish-app-py3.11"].loads == ("app-py3.11",)
    assert by_name["publish-app-py3.11"].requires == ("app-py3.11",)
    assert by_name["smoke"].loads == ("worker",)
    # `--only JOB` runs the jobs it requires too: their publish steps' credentials count
    assert by_name["publish-worker"].secrets == ("DOCKERHUB_USERNAME", "DOCKERHUB_TOKEN")
    assert by_name["publish-app-py3.12"].repositories == (Repository("ghcr.io/acme/app"),)
    assert by_name["smoke"].filters.branches == RefFilter(ignore=("/dependabot\\/.*/", "gh-pages"))


def test_several_workflows_prefix_the_job_names(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    path = tmp_path / "dockwright.yaml"
    path.write_text(
        "version: 1\nimages: {app: {}}\n"
        "workflows:\n"
        "  ci: {jobs: [{image: {image: app, steps: [build]}}]}\n"
        "  nightly: {jobs: [{image: {image: app, steps: [build, test]}}, "
        "{later: {image: app, requires: [image], steps: [test]}}]}\n"
    )
    plan = build_plan(load_config(path), version="1", options=Options(), root=tmp_path)
    assert [(j.name, j.record, j.args, j.requires) for j in plan.jobs] == [
        ("ci-image", "image", ("ci", "--only", "image"), ()),
        ("nightly-image", "image", ("nightly", "--only", "image"), ()),
        ("nightly-later", "later", ("nightly", "--only", "later"), ("nightly-image",)),
    ]
    assert plan.jobs[2].loads == ("nightly-image",)


def test_two_ci_jobs_of_one_name_are_refused(tmp_path: Path) -> None:
    for name in ("app", "publish-app"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text("FROM scratch\n")
    path = tmp_path / "dockwright.yaml"
    path.write_text(
        "version: 1\nimages:\n"
        "  app: {context: app, publish: [{repository: example.com/app}]}\n"
        "  publish-app: {context: publish-app}\n"
    )
    with pytest.raises(UsageError) as caught:
        build_plan(load_config(path), version="1", options=Options(), root=tmp_path)
    assert str(caught.value) == (
        "dockwright.yaml: two CI jobs would be named 'publish-app' "
        "(images.app.publish and images.publish-app); rename one of them"
    )


def test_a_config_outside_the_root_is_refused(tmp_path: Path) -> None:
    path = Path("examples/hello/dockwright.yaml")
    with pytest.raises(UsageError, match="is not inside"):
        build_plan(load_config(path), version="1", options=Options(), root=tmp_path)


def test_the_repository_root_is_where_git_is(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "sub").mkdir()
    assert repository_root(tmp_path / "sub" / "dockwright.yaml") == tmp_path.resolve()
    assert repository_root(Path("/nonexistent/dockwright.yaml")) == Path("/nonexistent")


@pytest.mark.parametrize(
    ("name", "host", "ecr"),
    [
        ("acme/app", "docker.io", False),
        ("docker.io/acme/app", "docker.io", False),
        ("localhost/app", "localhost", False),
        ("127.0.0.1:5000/acme/app", "127.0.0.1:5000", False),
        ("123456789012.dkr.ecr.eu-west-1.amazonaws.com/app", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", True),
    ],
)  # fmt: skip
def test_repository_hosts(name: str, host: str, ecr: bool) -> None:
    assert (Repository(name).host, Repository(name).ecr) == (host, ecr)
