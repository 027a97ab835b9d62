"""Context discovery: each CI's variables, and a real local git checkout."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dockwright.errors import UsageError
from dockwright.proc import run
from dockwright.tags import DEFAULT_RULES, Context, Flavor, compute_tags, discover
from dockwright.tags.context import from_env, from_git, web_url

SHA = "2b1e3f4c5d6e7f8091a2b3c4d5e6f708192a3b4c"

CI_CASES: list[tuple[str, dict[str, str], Context]] = [
    (
        "circleci-tag",
        {
            "CIRCLECI": "true",
            "CIRCLE_SHA1": SHA,
            "CIRCLE_TAG": "v1.2.3",
            "CIRCLE_PROJECT_USERNAME": "acme",
            "CIRCLE_PROJECT_REPONAME": "hello",
            "CIRCLE_REPOSITORY_URL": "git@github.com:acme/hello.git",
        },
        Context(
            source="circleci",
            ref="refs/tags/v1.2.3",
            sha=SHA,
            repository="acme/hello",
            url="https://github.com/acme/hello",
        ),
    ),
    (
        "circleci-branch",
        {"CIRCLECI": "true", "CIRCLE_SHA1": SHA, "CIRCLE_BRANCH": "feature/x"},
        Context(source="circleci", ref="refs/heads/feature/x", sha=SHA),
    ),
    (
        "circleci-pull-request-url",
        {
            "CIRCLECI": "true",
            "CIRCLE_SHA1": SHA,
            "CIRCLE_BRANCH": "feature/x",
            "CIRCLE_PULL_REQUEST": "https://github.com/acme/hello/pull/17",
        },
        Context(source="circleci", event_name="pull_request", ref="refs/pull/17/merge", sha=SHA),
    ),
    (
        "circleci-forked-pr",
        {
            "CIRCLECI": "true",
            "CIRCLE_SHA1": SHA,
            "CIRCLE_BRANCH": "pull/9",
            "CIRCLE_PR_NUMBER": "9",
        },
        Context(source="circleci", event_name="pull_request", ref="refs/pull/9/merge", sha=SHA),
    ),
    (
        "github-push",
        {
            "GITHUB_ACTIONS": "true",
            "GITHUB_REF": "refs/heads/main",
            "GITHUB_SHA": SHA,
            "GITHUB_EVENT_NAME": "push",
            "GITHUB_REPOSITORY": "acme/hello",
        },
        Context(
            source="github",
            ref="refs/heads/main",
            sha=SHA,
            repository="acme/hello",
            url="https://github.com/acme/hello",
        ),
    ),
    (
        "github-pr",
        {
            "GITHUB_ACTIONS": "true",
            "GITHUB_REF": "refs/pull/4/merge",
            "GITHUB_SHA": SHA,
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_BASE_REF": "main",
            "GITHUB_REPOSITORY": "acme/hello",
            "GITHUB_SERVER_URL": "https://git.example.com",
        },
        Context(
            source="github",
            event_name="pull_request",
            ref="refs/pull/4/merge",
            sha=SHA,
            base_ref="main",
            repository="acme/hello",
            url="https://git.example.com/acme/hello",
        ),
    ),
    (
        "gitlab-tag",
        {
            "GITLAB_CI": "true",
            "CI_COMMIT_TAG": "v2.0.0",
            "CI_COMMIT_SHA": SHA,
            "CI_DEFAULT_BRANCH": "main",
            "CI_PROJECT_PATH": "acme/hello",
            "CI_PROJECT_URL": "https://gitlab.com/acme/hello",
        },
        Context(
            source="gitlab",
            ref="refs/tags/v2.0.0",
            sha=SHA,
            default_branch="main",
            repository="acme/hello",
            url="https://gitlab.com/acme/hello",
        ),
    ),
    (
        "gitlab-branch",
        {"GITLAB_CI": "true", "CI_COMMIT_BRANCH": "main", "CI_COMMIT_SHA": SHA},
        Context(source="gitlab", ref="refs/heads/main", sha=SHA),
    ),
    (
        "gitlab-merge-request",
        {
            "GITLAB_CI": "true",
            "CI_MERGE_REQUEST_IID": "12",
            "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
            "CI_COMMIT_SHA": SHA,
        },
        Context(
            source="gitlab",
            event_name="pull_request",
            ref="refs/pull/12/merge",
            sha=SHA,
            base_ref="main",
        ),
    ),
    (
        "gitlab-schedule",
        {
            "GITLAB_CI": "true",
            "CI_COMMIT_BRANCH": "main",
            "CI_COMMIT_SHA": SHA,
            "CI_PIPELINE_SOURCE": "schedule",
        },
        Context(source="gitlab", event_name="schedule", ref="refs/heads/main", sha=SHA),
    ),
]


@pytest.mark.parametrize(
    ("env", "expected"), [c[1:] for c in CI_CASES], ids=[c[0] for c in CI_CASES]
)
def test_ci_context(env: dict[str, str], expected: Context) -> None:
    assert from_env(env) == expected


def test_not_in_ci() -> None:
    assert from_env({"HOME": "/root", "CI": "true"}) is None


def test_github_event_payload(tmp_path: Path) -> None:
    payload = tmp_path / "event.json"
    payload.write_text(
        json.dumps(
            {
                "number": 8,
                "repository": {
                    "default_branch": "trunk",
                    "description": "Says hello",
                    "license": {"spdx_id": "Apache-2.0"},
                },
            }
        )
    )
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request_target",
        "GITHUB_REF": "refs/heads/trunk",
        "GITHUB_SHA": SHA,
        "GITHUB_REPOSITORY": "acme/hello",
        "GITHUB_EVENT_PATH": str(payload),
    }
    ctx = from_env(env)
    assert ctx is not None
    assert (ctx.ref, ctx.default_branch, ctx.description, ctx.licenses) == (
        "refs/pull/8/merge",
        "trunk",
        "Says hello",
        "Apache-2.0",
    )


def test_ci_tags_end_to_end(tmp_path: Path) -> None:
    env = {"CIRCLECI": "true", "CIRCLE_SHA1": SHA, "CIRCLE_TAG": "v3.1.0"}
    ctx = discover(env, tmp_path)  # not a git checkout: CI variables only
    result = compute_tags(DEFAULT_RULES, Flavor(), ctx, datetime(2026, 1, 1, tzinfo=UTC))
    assert result.tags == ("3.1.0", "3.1", "3", "sha-2b1e3f4", "latest")


def test_short_sha_length_from_env(tmp_path: Path) -> None:
    env = {"GITLAB_CI": "true", "CI_COMMIT_SHA": SHA, "DOCKER_METADATA_SHORT_SHA_LENGTH": "12"}
    assert discover(env, tmp_path).short_sha == SHA[:12]
    with pytest.raises(UsageError) as info:
        discover({"DOCKER_METADATA_SHORT_SHA_LENGTH": "x"}, tmp_path)
    assert str(info.value) == "DOCKER_METADATA_SHORT_SHA_LENGTH: expected a number; found 'x'"


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        ("https://github.com/acme/hello.git", "https://github.com/acme/hello"),
        ("https://user:s3cret@gitlab.com/group/sub/app.git", "https://gitlab.com/group/sub/app"),
        ("git@github.com:acme/hello.git", "https://github.com/acme/hello"),
        (
            "ssh://git@gitlab.example.com:2222/acme/hello.git",
            "https://gitlab.example.com/acme/hello",
        ),
        ("/srv/git/hello.git", ""),
        ("file:///srv/git/hello.git", ""),
        ("", ""),
    ],
)
def test_web_url(remote: str, url: str) -> None:
    assert web_url(remote) == url


def _git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.com",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.com",
        "GIT_AUTHOR_DATE": "2026-03-04T05:06:07+00:00",
        "GIT_COMMITTER_DATE": "2026-03-04T05:06:07+00:00",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return run(["git", *args], cwd=repo, extra_env=env).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "README").write_text("hello\n")
    _git(tmp_path, "add", "README")
    _git(tmp_path, "commit", "-q", "-m", "first")
    _git(tmp_path, "remote", "add", "origin", "git@github.com:acme/hello.git")
    return tmp_path


def test_git_branch(repo: Path) -> None:
    sha = _git(repo, "rev-parse", "HEAD")
    ctx = from_git(repo)
    assert ctx == Context(
        source="git",
        ref="refs/heads/main",
        sha=sha,
        repository="acme/hello",
        url="https://github.com/acme/hello",
        commit_date=datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),
    )
    result = compute_tags(DEFAULT_RULES, Flavor(), ctx, datetime(2026, 3, 5, tzinfo=UTC))
    assert result.tags == ("main", f"sha-{sha[:7]}")


def test_git_tag(repo: Path) -> None:
    sha = _git(repo, "rev-parse", "HEAD")
    _git(repo, "tag", "v1.2.3")
    ctx = discover({}, repo)
    assert (ctx.source, ctx.ref, ctx.sha) == ("git", "refs/tags/v1.2.3", sha)
    result = compute_tags(DEFAULT_RULES, Flavor(), ctx, datetime(2026, 3, 5, tzinfo=UTC))
    assert result.tags == ("1.2.3", "1.2", "1", f"sha-{sha[:7]}", "latest")
    assert result.version == "1.2.3"
    assert result.labels["org.opencontainers.image.revision"] == sha
    assert result.labels["org.opencontainers.image.source"] == "https://github.com/acme/hello"


def test_git_detached_and_default_branch(repo: Path) -> None:
    sha = _git(repo, "rev-parse", "HEAD")
    _git(repo, "update-ref", "refs/remotes/origin/main", sha)
    _git(repo, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
    _git(repo, "checkout", "-q", "--detach")
    ctx = from_git(repo)
    assert ctx is not None
    assert (ctx.ref, ctx.default_branch) == ("", "main")


def test_git_empty_repository_and_no_repository(tmp_path: Path) -> None:
    assert from_git(tmp_path) is None
    _git(tmp_path, "init", "-q", "-b", "main")
    ctx = from_git(tmp_path)
    assert ctx is not None
    assert (ctx.ref, ctx.sha, ctx.repository) == ("refs/heads/main", "", tmp_path.name)


def test_git_several_tags_on_head(repo: Path) -> None:
    for name in ("nightly", "v1.2.3", "v1.10.0-rc.1", "v1.10.0", "v1.9.9"):
        _git(repo, "tag", name)
    ctx = from_git(repo)
    assert ctx is not None and ctx.ref == "refs/tags/v1.10.0"


def test_git_only_non_version_tags(repo: Path) -> None:
    _git(repo, "tag", "stable")
    _git(repo, "tag", "deployed")
    ctx = from_git(repo)
    assert ctx is not None and ctx.ref == "refs/tags/deployed"
