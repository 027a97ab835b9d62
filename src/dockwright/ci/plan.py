"""What a CI configuration runs, worked out once from dockwright.yaml so the generators only
render it: the CI jobs, what each runs, which jobs it requires, its filters, which images it
hands on to the jobs after it, and which registries and credentials' environment variables
its publish steps need.

Every CI job runs ``dockwright run`` on one job of the workflow, so the pipeline a CI runs is
the one ``dockwright run`` runs on a laptop. The CI jobs mirror the workflow's jobs (matrix
jobs already expanded); without ``workflows:`` each image gets two, one that lints, builds
and tests it and one that publishes it, so publishing has its own filters and is the only job
that sees registry credentials. ``dockwright run --only JOB`` also runs the jobs JOB requires;
those jobs find their results in the job cache, and their images in the engine, because the
CI hands both on (``docker save`` of the image IDs the run record lists, and a copy of the
cache), so the image a job tests or publishes is the image ID built before it, never a rebuild.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from dockwright.errors import UsageError
from dockwright.pipeline.config import Config, PublishTarget
from dockwright.pipeline.workflow import (
    EVERY_REF,
    BuiltinStep,
    Filters,
    Job,
    RefFilter,
    RunStep,
    Workflow,
    topological,
)

ECR_HOST = re.compile(r"[0-9]{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?")


@dataclass(frozen=True)
class Options:
    """What dockwright.yaml does not say and a CI configuration needs."""

    default_branch: str = "main"  # publishes without workflows:, with the tags
    schedule: str = "17 5 * * 1"  # cron (UTC) of the scheduled `dockwright update`
    python: str = "3.12"


@dataclass(frozen=True)
class Repository:
    """A repository a job pushes to, and the environment variables its credentials are in."""

    name: str
    username_env: str | None = None
    password_env: str | None = None

    @property
    def host(self) -> str:
        first, _, rest = self.name.partition("/")
        if rest and ("." in first or ":" in first or first == "localhost"):
            return first
        return "docker.io"

    @property
    def ecr(self) -> bool:
        return ECR_HOST.fullmatch(self.host) is not None

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(n for n in (self.username_env, self.password_env) if n)


@dataclass(frozen=True)
class CIJob:
    """One job of the CI configuration: ``dockwright run ARGS`` and what surrounds it."""

    name: str  # unique in the CI configuration
    record: str  # the job's name in the run record (run.json)
    args: tuple[str, ...]  # what follows `dockwright run` (the config file aside)
    steps: tuple[str, ...]  # dockwright's steps it runs, for comments
    requires: tuple[str, ...] = ()  # CI jobs, directly
    filters: Filters = field(default_factory=Filters)
    hands_on: bool = False  # it builds, and a job after it needs the images
    loads: tuple[str, ...] = ()  # every CI job before it whose images it needs
    repositories: tuple[Repository, ...] = ()  # where its publish steps (and theirs) push
    where: str = ""  # its entry in dockwright.yaml

    @property
    def publishes(self) -> bool:
        return bool(self.repositories)

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for r in self.repositories for n in r.secrets))


def signed_in_elsewhere(job: CIJob, handled: tuple[str, ...] = ()) -> list[str]:
    """The repositories ``job`` pushes to with no credentials in dockwright.yaml and on no
    host in ``handled`` (those the CI signs in to itself): dockwright takes their
    credentials from Docker's config.json, which the generated file does not write."""
    return [r.name for r in job.repositories if not r.secrets and r.host not in handled]


def elsewhere_comment(repositories: list[str]) -> tuple[str, str]:
    """The comment on :func:`signed_in_elsewhere`'s repositories."""
    return (
        "no credentials in dockwright.yaml for " + ", ".join(repositories) + ":",
        "dockwright reads Docker's config.json (nothing here writes it), else pushes anonymously",
    )


@dataclass(frozen=True)
class CIWorkflow:
    name: str
    jobs: tuple[CIJob, ...]


@dataclass(frozen=True)
class Plan:
    source: str  # dockwright.yaml, relative to the repository's root (POSIX)
    version: str  # of dockwright, pinned in the generated jobs
    options: Options
    workflows: tuple[CIWorkflow, ...]
    default: bool  # no workflows: in the file: the default workflow

    @property
    def jobs(self) -> tuple[CIJob, ...]:
        return tuple(j for w in self.workflows for j in w.jobs)

    @property
    def config_args(self) -> tuple[str, ...]:
        """``-c FILE`` unless dockwright.yaml is at the root, where dockwright looks."""
        return () if self.source == "dockwright.yaml" else ("-c", self.source)

    @property
    def state_dir(self) -> str:
        """The job cache's and the reports' directory, beside dockwright.yaml."""
        parent = str(PurePosixPath(self.source).parent)
        return ".dockwright" if parent == "." else f"{parent}/.dockwright"

    @property
    def reports_dir(self) -> str:
        return f"{self.state_dir}/reports"

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for j in self.jobs for n in j.secrets))

    @property
    def repositories(self) -> tuple[Repository, ...]:
        return tuple(dict.fromkeys(r for j in self.jobs for r in j.repositories))

    def run_command(self, *args: str) -> str:
        return " ".join(["dockwright", "run", *self.config_args, *args])

    def update_command(self) -> str:
        return " ".join(["dockwright", "update", *self.config_args, "--commit"])


def repository_root(config_path: Path) -> Path:
    """The nearest directory above dockwright.yaml with a ``.git`` (a CI reads its
    configuration there), else dockwright.yaml's own directory."""
    start = config_path.resolve().parent
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return start


def build_plan(config: Config, *, version: str, options: Options, root: Path) -> Plan:
    """The CI jobs for ``config``, whose file is under ``root`` (the repository's root)."""
    try:
        source = config.path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"{config.path} is not inside {root}") from None
    if config.workflows:
        several = len(config.workflows) > 1
        workflows = tuple(
            _workflow(config, w, prefix=f"{w.name}-" if several else "")
            for w in config.workflows.values()
        )
    else:
        workflows = (_default(config, options),)
    plan = Plan(source, version, options, workflows, default=not config.workflows)
    _check_names(plan)
    return plan


def _default(config: Config, options: Options) -> CIWorkflow:
    jobs: list[CIJob] = []
    for name, image in config.images.items():
        repositories = tuple(_repository(t) for t in image.publish)
        steps = ("lint", "build", "test")
        jobs.append(
            CIJob(
                name=name,
                record=name,
                args=(name, "--no-publish"),
                steps=steps,
                filters=EVERY_REF,
                hands_on=bool(repositories),
                where=f"images.{name}",
            )
        )
        if repositories:
            jobs.append(
                CIJob(
                    name=f"publish-{name}",
                    record=name,
                    args=(name, "--publish"),
                    steps=("publish",),
                    requires=(name,),
                    # a release (any tag) or the default branch, as `dockwright run` decides
                    filters=Filters(
                        branches=RefFilter(only=(options.default_branch,)),
                        tags=RefFilter(only=("/.*/",)),
                    ),
                    loads=(name,),
                    repositories=repositories,
                    where=f"images.{name}.publish",
                )
            )
    return CIWorkflow("dockwright", tuple(jobs))


def _workflow(config: Config, workflow: Workflow, prefix: str) -> CIWorkflow:
    ordered = topological(workflow.jobs)
    builds = {j.name for j in ordered if any(s.kind == "build" for s in j.steps)}
    needed: set[str] = set()  # jobs some job after them needs the images of
    for job in ordered:
        needed.update(n for n in workflow.upstream(job.name) if n in builds)
    jobs = []
    for job in ordered:
        upstream = workflow.upstream(job.name)
        chain = [job, *(workflow.job(n) for n in upstream)]
        repositories = tuple(dict.fromkeys(r for j in chain for r in _publishes(config, j)))
        jobs.append(
            CIJob(
                name=prefix + job.name,
                record=job.name,
                args=(workflow.name, "--only", job.name),
                steps=tuple(_describe(s) for s in job.steps),
                requires=tuple(prefix + r for r in job.requires),
                filters=job.filters,
                hands_on=job.name in needed,
                loads=tuple(prefix + n for n in _ordered(upstream, ordered) if n in builds),
                repositories=repositories,
                where=job.where,
            )
        )
    return CIWorkflow(workflow.name, tuple(jobs))


def _ordered(names: list[str], ordered: list[Job]) -> list[str]:
    wanted = set(names)
    return [j.name for j in ordered if j.name in wanted]


def _publishes(config: Config, job: Job) -> list[Repository]:
    out: list[Repository] = []
    for step in job.steps:
        if isinstance(step, BuiltinStep) and step.kind == "publish" and step.target:
            out.extend(_repository(t) for t in config.images[step.target.image].publish)
    return out


def _repository(target: PublishTarget) -> Repository:
    creds = target.credentials
    return Repository(
        target.repository,
        creds.username_env if creds else None,
        creds.password_env if creds else None,
    )


def _describe(step: BuiltinStep | RunStep) -> str:
    if isinstance(step, RunStep):
        return f"run: {step.name}"
    if step.target is None:
        return f"{step.kind} (every image)"
    return f"{step.kind} {step.target.key}"


def _check_names(plan: Plan) -> None:
    seen: dict[str, CIJob] = {}
    for job in plan.jobs:
        first = seen.get(job.name)
        if first is not None:
            raise UsageError(
                f"{plan.source}: two CI jobs would be named {job.name!r} "
                f"({first.where} and {job.where}); rename one of them"
            )
        seen[job.name] = job
