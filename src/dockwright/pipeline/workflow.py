"""Workflows of jobs of steps, in CircleCI's words: the model ``dockwright run`` executes.

A :class:`Step` is a built-in (``lint``, ``build``, ``test``, ``publish``, ``update``) acting on
an image, or a ``run:`` shell command. A :class:`Job` is an ordered list of steps run as one
unit, with the jobs it ``requires`` and the ``filters`` that say for which branches and tags it
runs. A :class:`Workflow` is the DAG of its jobs, matrix jobs already expanded.

Filters follow CircleCI: a value ``/re/`` is a regular expression that must match the whole
name, anything else is compared as is; ``only`` decides when it is given, else ``ignore``; a
tag build runs only the jobs whose ``tags`` filter lets the tag through (their ``branches``
filter is not consulted), a branch build ignores ``tags`` filters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockwright.pipeline.config import Config

BUILTIN_STEPS = ("lint", "build", "test", "publish", "update")
WHEN = ("on_success", "on_fail", "always")
DEFAULT_NO_OUTPUT_TIMEOUT = 600.0  # CircleCI's 10 minutes
DEFAULT_WORKFLOW = "default"


@dataclass(frozen=True)
class Target:
    """An image of ``images:`` as one job builds it: the job may add build args and a tag
    suffix (a variant). Targets that compare equal are built to the same image."""

    image: str
    build_args: tuple[tuple[str, str], ...] = ()  # added to the image's, sorted
    tag_suffix: str | None = None  # replaces the image's flavor suffix

    @property
    def key(self) -> str:
        """``app``, or ``app[PY=3.12]`` for a variant: names the build in messages and records."""
        extra = [f"{k}={v}" for k, v in self.build_args]
        if self.tag_suffix is not None:
            extra.append(f"tag-suffix={self.tag_suffix}")
        return f"{self.image}[{','.join(extra)}]" if extra else self.image


@dataclass(frozen=True)
class BuiltinStep:
    kind: str  # one of BUILTIN_STEPS
    target: Target | None  # None: every image (lint and update only)
    # The default workflow publishes only a release or the default branch.
    release_only: bool = False

    @property
    def name(self) -> str:
        return self.kind


@dataclass(frozen=True)
class RunStep:
    command: str
    name: str
    environment: Mapping[str, str] = field(default_factory=dict)
    working_directory: str | None = None  # relative to the job's
    when: str = "on_success"  # one of WHEN
    shell: tuple[str, ...] | None = None  # default: bash -eo pipefail, else sh -e
    no_output_timeout: float = DEFAULT_NO_OUTPUT_TIMEOUT

    kind = "run"


Step = BuiltinStep | RunStep


@dataclass(frozen=True)
class RefFilter:
    """``only`` / ``ignore`` of ``branches`` or ``tags``: ``None`` when the key is absent."""

    only: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None

    def why_not(self, kind: str, value: str) -> str | None:
        """Why ``value`` (a branch or tag name) does not pass, or ``None`` when it does."""
        what = f"{'tag' if kind == 'tags' else 'branch'} {value or '(none)'}"
        if self.only is not None:
            if any(matches(p, value) for p in self.only):
                return None
            return f"{what} does not match {kind}.only {_shown(self.only)}"
        if self.ignore is not None:
            hit = [p for p in self.ignore if matches(p, value)]
            return f"{what} matches {kind}.ignore {hit[0]}" if hit else None
        if kind == "tags":
            return f"{what}: its tags filter has neither only nor ignore"
        return None


@dataclass(frozen=True)
class Filters:
    branches: RefFilter | None = None
    tags: RefFilter | None = None


@dataclass(frozen=True)
class Ref:
    """What is built: a branch, or a tag (then the branch does not count), or neither."""

    branch: str = ""
    tag: str = ""

    def describe(self) -> str:
        if self.tag:
            return f"tag {self.tag}"
        return f"branch {self.branch}" if self.branch else "no branch or tag"


def filtered_out(filters: Filters, ref: Ref) -> str | None:
    """Why a job with ``filters`` does not run for ``ref``, or ``None`` when it runs."""
    if ref.tag:
        if filters.tags is None:
            return f"tag {ref.tag}: the job has no tags filter, so it runs for branches only"
        return filters.tags.why_not("tags", ref.tag)
    if filters.branches is None:
        return None
    return filters.branches.why_not("branches", ref.branch)


def matches(pattern: str, value: str) -> bool:
    """CircleCI's filter match: ``/re/`` must match the whole value, else equality."""
    if len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/"):
        return re.fullmatch(pattern[1:-1], value) is not None
    return pattern == value


def _shown(patterns: Sequence[str]) -> str:
    return patterns[0] if len(patterns) == 1 else "[" + ", ".join(patterns) + "]"


@dataclass(frozen=True)
class Job:
    name: str  # unique in its workflow
    steps: tuple[Step, ...]
    requires: tuple[str, ...] = ()  # jobs of the same workflow (matrix aliases expanded)
    filters: Filters = field(default_factory=Filters)
    target: Target | None = None  # the image the built-in steps act on
    environment: Mapping[str, str] = field(default_factory=dict)
    working_directory: str | None = None  # relative to dockwright.yaml's directory
    matrix: tuple[tuple[str, str], ...] = ()  # this expansion's parameter values
    where: str = ""  # key path of its entry in dockwright.yaml

    def targets(self) -> list[Target]:
        """The images this job's built-in steps act on, each once, in step order."""
        out: list[Target] = []
        for step in self.steps:
            if isinstance(step, BuiltinStep) and step.target and step.target not in out:
                out.append(step.target)
        return out


@dataclass(frozen=True)
class Workflow:
    name: str
    jobs: tuple[Job, ...]

    def job(self, name: str) -> Job:
        return next(j for j in self.jobs if j.name == name)

    def upstream(self, name: str) -> list[str]:
        """Every job ``name`` requires, directly or not, nearest first."""
        by_name = {j.name: j for j in self.jobs}
        out: list[str] = []
        queue = list(by_name[name].requires)
        while queue:
            current = queue.pop(0)
            if current not in out:
                out.append(current)
                queue.extend(by_name[current].requires)
        return out


# Every branch and every tag (CircleCI runs a job for a tag only with a tags filter).
EVERY_REF = Filters(tags=RefFilter(only=("/.*/",)))


def default_workflow(config: Config) -> Workflow:
    """Without ``workflows:``: one job per image, lint → build → test → publish, where publish
    runs only for a release or the default branch."""
    jobs = []
    for name in config.images:
        target = Target(name)
        steps: tuple[Step, ...] = (
            BuiltinStep("lint", target),
            BuiltinStep("build", target),
            BuiltinStep("test", target),
            BuiltinStep("publish", target, release_only=True),
        )
        jobs.append(
            Job(name=name, steps=steps, filters=EVERY_REF, target=target, where=f"images.{name}")
        )
    return Workflow(DEFAULT_WORKFLOW, tuple(jobs))


def topological(jobs: Sequence[Job]) -> list[Job]:
    """``jobs`` with every job after those it requires, otherwise in the given order."""
    by_name = {j.name: j for j in jobs}
    done: set[str] = set()
    out: list[Job] = []

    def visit(job: Job) -> None:
        if job.name in done:
            return
        done.add(job.name)
        for name in job.requires:
            if name in by_name:
                visit(by_name[name])
        out.append(job)

    for job in jobs:
        visit(job)
    return out
