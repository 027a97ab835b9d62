"""Where the build stands: the ref, commit and repository, from CI variables or the local checkout.

Each CI is read from its own variables and mapped onto metadata-action's vocabulary
(``refs/heads/<branch>``, ``refs/tags/<tag>``, ``refs/pull/<n>/merge``, event names
``push``/``pull_request``/``schedule``). Outside CI, git is asked machine-oriented questions.
Whatever the CI variables leave out (remote URL, commit date, default branch) comes from git
when a checkout is there.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dockwright.errors import CommandError, UsageError

if TYPE_CHECKING:
    from dockwright.tags.versions import Version

DEFAULT_SHORT_SHA_LENGTH = 7


@dataclass(frozen=True)
class Context:
    source: str = "none"  # circleci, github, gitlab, git or none
    event_name: str = "push"
    ref: str = ""
    sha: str = ""
    default_branch: str | None = None
    base_ref: str = ""
    repository: str = ""  # owner/name
    url: str = ""  # the repository's web page
    description: str = ""
    licenses: str = ""
    commit_date: datetime | None = None
    short_sha_length: int = DEFAULT_SHORT_SHA_LENGTH

    @property
    def branch(self) -> str:
        return self.ref.removeprefix("refs/heads/") if self.ref.startswith("refs/heads/") else ""

    @property
    def tag(self) -> str:
        return self.ref.removeprefix("refs/tags/") if self.ref.startswith("refs/tags/") else ""

    @property
    def pr_number(self) -> str:
        m = re.fullmatch(r"refs/pull/([^/]+)(?:/merge|/head)?", self.ref)
        return m.group(1) if m else ""

    @property
    def short_sha(self) -> str:
        return self.sha[: self.short_sha_length]

    @property
    def is_default_branch(self) -> bool:
        # metadata-action counts these events as running on the default branch.
        if self.event_name in ("create", "discussion", "issues", "schedule"):
            return True
        return bool(self.branch) and self.branch == self.default_branch

    @property
    def name(self) -> str:
        return self.repository.rsplit("/", 1)[-1]


def discover(env: Mapping[str, str] | None = None, cwd: str | Path = ".") -> Context:
    """The context of this build: the CI's variables if any, completed from the git checkout."""
    env = os.environ if env is None else env
    length = _short_sha_length(env)
    ci = from_env(env)
    git = from_git(cwd)
    if ci is None:
        ctx = git or Context()
    elif git is None:
        ctx = ci
    else:
        ctx = replace(
            ci,
            sha=ci.sha or git.sha,
            default_branch=ci.default_branch or git.default_branch,
            repository=ci.repository or git.repository,
            url=ci.url or git.url,
            commit_date=ci.commit_date or git.commit_date,
        )
    return replace(ctx, short_sha_length=length)


def from_env(env: Mapping[str, str]) -> Context | None:
    """The context the CI's variables describe, or ``None`` outside a known CI."""
    if env.get("GITHUB_ACTIONS") == "true" or env.get("GITHUB_REF"):
        return from_github(env)
    if env.get("GITLAB_CI") or env.get("CI_COMMIT_SHA"):
        return from_gitlab(env)
    if env.get("CIRCLECI") or env.get("CIRCLE_SHA1"):
        return from_circleci(env)
    return None


def from_github(env: Mapping[str, str]) -> Context:
    event = env.get("GITHUB_EVENT_NAME", "push")
    payload = _github_payload(env.get("GITHUB_EVENT_PATH", ""))
    repo_info = payload.get("repository")
    repo_info = repo_info if isinstance(repo_info, dict) else {}
    ref = env.get("GITHUB_REF", "")
    pr = payload.get("number")
    if event == "pull_request_target" and isinstance(pr, int):
        ref = f"refs/pull/{pr}/merge"
    repository = env.get("GITHUB_REPOSITORY", "")
    server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    license_ = repo_info.get("license")
    return Context(
        source="github",
        event_name=event,
        ref=ref,
        sha=env.get("GITHUB_SHA", ""),
        default_branch=_str(repo_info.get("default_branch")) or None,
        base_ref=env.get("GITHUB_BASE_REF", ""),
        repository=repository,
        url=f"{server}/{repository}" if repository else "",
        description=_str(repo_info.get("description")),
        licenses=_str(license_.get("spdx_id")) if isinstance(license_, dict) else "",
    )


def from_gitlab(env: Mapping[str, str]) -> Context:
    if env.get("CI_COMMIT_TAG"):
        ref, event = f"refs/tags/{env['CI_COMMIT_TAG']}", "push"
    elif env.get("CI_MERGE_REQUEST_IID"):
        ref, event = f"refs/pull/{env['CI_MERGE_REQUEST_IID']}/merge", "pull_request"
    elif env.get("CI_COMMIT_BRANCH"):
        ref, event = f"refs/heads/{env['CI_COMMIT_BRANCH']}", "push"
    else:
        ref, event = "", "push"
    if env.get("CI_PIPELINE_SOURCE") == "schedule":
        event = "schedule"
    return Context(
        source="gitlab",
        event_name=event,
        ref=ref,
        sha=env.get("CI_COMMIT_SHA", ""),
        default_branch=env.get("CI_DEFAULT_BRANCH") or None,
        base_ref=env.get("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", ""),
        repository=env.get("CI_PROJECT_PATH", ""),
        url=env.get("CI_PROJECT_URL", ""),
        description=env.get("CI_PROJECT_DESCRIPTION", ""),
    )


def from_circleci(env: Mapping[str, str]) -> Context:
    branch = env.get("CIRCLE_BRANCH", "")
    pr = env.get("CIRCLE_PR_NUMBER", "")
    if not pr:
        m = re.search(r"/pull/(\d+)/?$", env.get("CIRCLE_PULL_REQUEST", ""))
        pr = m.group(1) if m else ""
    if not pr:  # forked pull requests are built on a branch named pull/<n>
        m = re.fullmatch(r"pull/(\d+)", branch)
        pr = m.group(1) if m else ""
    if env.get("CIRCLE_TAG"):
        ref, event = f"refs/tags/{env['CIRCLE_TAG']}", "push"
    elif pr:
        ref, event = f"refs/pull/{pr}/merge", "pull_request"
    elif branch:
        ref, event = f"refs/heads/{branch}", "push"
    else:
        ref, event = "", "push"
    owner, name = env.get("CIRCLE_PROJECT_USERNAME", ""), env.get("CIRCLE_PROJECT_REPONAME", "")
    repository = f"{owner}/{name}" if owner and name else name
    return Context(
        source="circleci",
        event_name=event,
        ref=ref,
        sha=env.get("CIRCLE_SHA1", ""),
        repository=repository,
        url=web_url(env.get("CIRCLE_REPOSITORY_URL", "")),
    )


def from_git(cwd: str | Path = ".") -> Context | None:
    """The local checkout's context, or ``None`` when ``cwd`` is not in a git work tree."""
    where, head, tags, branch, remote, default = _git_all(
        cwd,
        ("rev-parse", "--is-inside-work-tree", "--show-toplevel"),
        ("log", "-1", "--format=%H %cI", "HEAD"),  # fails before the first commit
        ("tag", "--points-at", "HEAD"),
        ("symbolic-ref", "-q", "--short", "HEAD"),
        ("remote", "get-url", "origin"),
        ("symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD"),
    )
    if where is None or not where.startswith("true"):
        return None
    top = where.partition("\n")[2]
    sha, _, date = (head or "").partition(" ")
    tag = _release_tag((tags or "").split()) if sha else ""
    ref = f"refs/tags/{tag}" if tag else f"refs/heads/{branch}" if branch else ""
    url = web_url(remote or "")
    repository = _repository_from_url(url) or Path(top).name
    return Context(
        source="git",
        ref=ref,
        sha=sha,
        default_branch=default.removeprefix("origin/") if default else None,
        repository=repository,
        url=url,
        commit_date=datetime.fromisoformat(date) if date else None,
    )


def _git_all(cwd: str | Path, *commands: tuple[str, ...]) -> list[str | None]:
    """Each git command's stripped output (``None`` when it fails), all run at once.

    The questions are independent read-only queries, so they run side by side: discovery
    costs one git start-up of wall time instead of six in a row.
    """
    from dockwright import proc

    out: list[str | None] = [None] * len(commands)

    def git(index: int) -> None:
        try:
            result = proc.run(["git", *commands[index]], cwd=cwd, check=False)
        except CommandError:  # git is not installed
            return
        if result.returncode == 0:
            out[index] = result.stdout.strip()

    threads = [threading.Thread(target=git, args=(i,)) for i in range(1, len(commands))]
    for thread in threads:
        thread.start()
    git(0)
    for thread in threads:
        thread.join()
    return out


_SCP = re.compile(r"(?:[\w.-]+@)?([\w.-]+):(?!//)(.+)")
_URL = re.compile(r"(?:https?|ssh|git)://(?:[^@/]+@)?([^/:]+)(?::\d+)?/(.+)")


def web_url(remote: str) -> str:
    """``https://host/owner/name`` for an https, ssh or scp-style git remote; else ``""``.

    Credentials in an https remote are dropped, never shown.
    """
    remote = remote.strip()
    m = _URL.fullmatch(remote) or _SCP.fullmatch(remote)
    if m is None:
        return ""
    host, path = m.group(1), m.group(2).removesuffix("/").removesuffix(".git")
    if "/" not in path or not re.fullmatch(r"[\w.~/-]+", path):
        return ""
    return f"https://{host}/{path.lstrip('/')}"


def _release_tag(tags: list[str]) -> str:
    """Of the tags on HEAD, the highest semver one, else the first by name (git's order)."""
    from dockwright.tags.versions import parse_semver

    versions = [(v, t) for t in tags if (v := parse_semver(t)) is not None]
    if versions:
        best = max(versions, key=lambda p: _semver_key(p[0]))
        return best[1]
    return tags[0] if tags else ""


def _semver_key(v: Version) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
    # A release sorts above its prereleases; numeric identifiers below alphanumeric ones.
    pre = tuple((0, int(p)) if p.isdigit() else (1, p) for p in v.prerelease.split(".") if p)
    return (v.major, v.minor, v.patch, 0 if v.prerelease else 1, pre)


def _repository_from_url(url: str) -> str:
    return url.split("/", 3)[3] if url.count("/") >= 4 else ""


def _short_sha_length(env: Mapping[str, str]) -> int:
    text = env.get("DOCKER_METADATA_SHORT_SHA_LENGTH", "")
    if not text:
        return DEFAULT_SHORT_SHA_LENGTH
    if not text.isdigit():
        raise UsageError(f"DOCKER_METADATA_SHORT_SHA_LENGTH: expected a number; found {text!r}")
    return int(text)


def _github_payload(path: str) -> dict[str, object]:
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def created_time(context: Context, env: Mapping[str, str]) -> datetime | None:
    """When the image counts as created: ``SOURCE_DATE_EPOCH``, else the commit's date.

    Tying ``org.opencontainers.image.created`` to the source rather than the clock keeps a
    rebuild of the same commit byte-identical, so re-publishing it changes nothing.
    """
    epoch = env.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    if context.commit_date is not None:
        return context.commit_date.astimezone(UTC)
    return None
