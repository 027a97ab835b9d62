"""From the checked ``jobs:`` and ``workflows:`` of dockwright.yaml to :class:`Workflow` models:
matrix jobs expanded, names and ``requires`` resolved, and every cross-reference checked
(unknown jobs and images, cycles, a test or publish with no build before it), each problem
recorded with its key path so the file's every problem is reported at once.

Matrix jobs follow CircleCI: one job per combination of the parameters' values (less the
``exclude`` entries), named ``<job>-<value>-<value>`` (values in the order of the parameters'
names) unless ``name:`` says otherwise (``<< matrix.NAME >>`` expands there, and in
``requires``, ``image``, ``build-args`` and ``tag-suffix``). Requiring the matrix's alias
(default: the job's name) requires every job it expanded to.
"""

from __future__ import annotations

import difflib
import itertools
import re
import shlex
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Literal, cast

from dockwright.config.schema import Ctx, KeyPath, render_path
from dockwright.pipeline.workflow import (
    BuiltinStep,
    Filters,
    Job,
    RefFilter,
    RunStep,
    Step,
    Target,
    Workflow,
)
from dockwright.pipeline.workflowschema import (
    JOB_NAME,
    check_template,
    duration_seconds,
    expand,
)

Raw = dict[str, object]
_NEEDS_IMAGE = ("build", "test", "publish")


@dataclass
class _Draft:
    name: str
    alias: str  # what `requires` may name to mean every job of a matrix
    path: KeyPath  # the workflow's entry
    steps: list[Step]
    step_paths: list[KeyPath]
    requires: list[tuple[str, KeyPath]]
    filters: Filters
    target: Target | None
    environment: Mapping[str, str]
    working_directory: str | None
    matrix: tuple[tuple[str, str], ...]
    resolved: list[str] = field(default_factory=list)


def load_workflows(
    jobs: Mapping[str, Raw], workflows: Mapping[str, Raw], images: Collection[str], ctx: Ctx
) -> dict[str, Workflow]:
    """Every workflow of the file; problems go to ``ctx`` (the caller raises them)."""
    return {
        name: _Loader(name, jobs, images, ctx).load(cast(list[object], raw.get("jobs", [])))
        for name, raw in workflows.items()
    }


class _Loader:
    def __init__(
        self, workflow: str, jobs: Mapping[str, Raw], images: Collection[str], ctx: Ctx
    ) -> None:
        self.workflow = workflow
        self.jobs = jobs
        self.images = images
        self.ctx = ctx

    def load(self, items: list[object]) -> Workflow:
        drafts: list[_Draft] = []
        for index, item in enumerate(items):
            if item is None:  # failed its check: already reported
                continue
            path: KeyPath = ("workflows", self.workflow, "jobs", index)
            if isinstance(item, str):
                drafts.extend(self._invocation(item, {}, path, path))
            else:
                name, settings = cast(tuple[str, Raw], item)
                drafts.extend(self._invocation(name, settings, path, (*path, name)))
        by_name = self._unique(drafts)
        self._resolve(drafts, by_name)
        if not self._cycles(drafts, by_name):
            self._builds_first(drafts, by_name)
        jobs = tuple(
            Job(
                name=d.name,
                steps=tuple(d.steps),
                requires=tuple(d.resolved),
                filters=d.filters,
                target=d.target,
                environment=d.environment,
                working_directory=d.working_directory,
                matrix=d.matrix,
                where=render_path(d.path),
            )
            for d in drafts
        )
        return Workflow(self.workflow, jobs)

    # -- one entry of the workflow's jobs, expanded ------------------------------------------

    def _invocation(self, name: str, settings: Raw, entry: KeyPath, at: KeyPath) -> list[_Draft]:
        ctx = self.ctx
        definition = self.jobs.get(name)
        if "steps" in settings:
            if definition is not None:
                ctx.report(
                    (*at, "steps"),
                    f"job {name!r} is defined under jobs: already; "
                    "give this one another name, or leave out its steps",
                )
                return []
            body, body_path = settings, at
        elif definition is not None:
            body, body_path = definition, ("jobs", name)
        else:
            # a definition, or steps given here, that failed its check: reported already
            if not ctx.failed(("jobs", name)) and not ctx.failed((*at, "steps")):
                ctx.report(entry, self._no_job(name))
            return []
        matrix = cast(Raw | None, settings.get("matrix"))
        combos = self._combinations(matrix, (*at, "matrix")) if matrix else [{}]
        alias = str(matrix.get("alias", name)) if matrix else name
        out = []
        for params in combos:
            draft = self._draft(name, alias, settings, at, body, body_path, params)
            if draft is not None:
                out.append(draft)
        return out

    def _no_job(self, name: str) -> str:
        close = difflib.get_close_matches(name, list(self.jobs), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"no job {name!r}: define it under jobs:, or give it steps: here{hint}"

    def _combinations(self, matrix: Raw, at: KeyPath) -> list[dict[str, str]]:
        parameters = cast(dict[str, list[str | None]], matrix.get("parameters", {}))
        names = sorted(parameters)
        for name in names:
            if not [v for v in parameters[name] if v is not None]:
                self.ctx.report((*at, "parameters", name), "expected at least one value")
                return []
        values = [[v for v in parameters[n] if v is not None] for n in names]
        combos = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*values)]
        for index, excluded in enumerate(cast(list[Raw | None], matrix.get("exclude", []))):
            if excluded is None:
                continue
            where = (*at, "exclude", index)
            if sorted(excluded) != names:
                self.ctx.report(
                    where,
                    f"expected a value for each parameter of the matrix ({', '.join(names)}); "
                    f"found {', '.join(sorted(excluded)) or 'none'}",
                )
            elif excluded not in combos:
                self.ctx.report(where, "excludes no combination of the matrix's values")
            else:
                combos.remove(cast(dict[str, str], excluded))
        return combos

    def _text(self, value: object, params: dict[str, str], at: KeyPath) -> str | None:
        why = check_template(str(value), params)
        if why is not None:
            self.ctx.report(at, why)
            return None
        return expand(str(value), params)

    def _draft(
        self,
        base: str,
        alias: str,
        settings: Raw,
        at: KeyPath,
        body: Raw,
        body_path: KeyPath,
        params: dict[str, str],
    ) -> _Draft | None:
        if "name" in settings:
            name = self._text(settings["name"], params, (*at, "name"))
        else:
            name = "-".join([base, *(params[k] for k in sorted(params))])
        if name is None:
            return None
        if not _is_job_name(name):
            self.ctx.report(
                (*at, "name") if "name" in settings else (*at, "matrix"),
                f"expected a job name (letters, digits, '.', '_', '-'); found {name!r}",
            )
            return None
        found = self._target(settings, at, body, body_path, params)
        # False: the job's image is unknown (reported): its steps need not say they lack one
        target = None if found is False else found
        steps: list[Step] = []
        step_paths: list[KeyPath] = []
        for index, raw in enumerate(cast(list[object], body.get("steps", []))):
            if raw is None:
                continue
            here = (*body_path, "steps", index)
            step = self._step(raw, target, params, here, quiet=found is False)
            if step is not None:
                steps.append(step)
                step_paths.append(here)
        requires = []
        for index, required in enumerate(cast(list[str | None], settings.get("requires", []))):
            here = (*at, "requires", index)
            text = None if required is None else self._text(required, params, here)
            if text is not None:
                requires.append((text, here))
        return _Draft(
            name=name,
            alias=alias,
            path=at,
            steps=steps,
            step_paths=step_paths,
            requires=requires,
            filters=_filters(cast(Raw, settings.get("filters", {}))),
            target=target,
            environment=cast(dict[str, str], body.get("environment", {})),
            working_directory=cast(str | None, body.get("working_directory")),
            matrix=tuple(sorted(params.items())),
        )

    def _target(
        self, settings: Raw, at: KeyPath, body: Raw, body_path: KeyPath, params: dict[str, str]
    ) -> Target | Literal[False] | None:
        """The job's image (``None``: none given; ``False``: a bad one, already reported)."""
        if "image" in settings:
            image, where = self._text(settings["image"], params, (*at, "image")), (*at, "image")
        elif "image" in params:
            image, where = params["image"], (*at, "matrix", "parameters", "image")
        elif "image" in body:
            where = (*body_path, "image")
            image = self._text(body["image"], params, where)
        else:
            return None
        if image is None or not self._known_image(image, where):
            return False
        args = []
        for key, value in cast(dict[str, str], settings.get("build-args", {})).items():
            text = self._text(value, params, (*at, "build-args", key))
            if text is not None:
                args.append((key, text))
        raw_suffix = settings.get("tag-suffix")
        suffix = None
        if raw_suffix is not None:
            suffix = self._text(raw_suffix, params, (*at, "tag-suffix"))
        return Target(image, tuple(sorted(args)), suffix)

    def _known_image(self, image: str, at: KeyPath) -> bool:
        if image in self.images:
            return True
        known = ", ".join(sorted(self.images)) or "none"
        self.ctx.report(at, f"no image {image!r} in images: (the images are: {known})")
        return False

    def _step(
        self,
        raw: object,
        target: Target | None,
        params: dict[str, str],
        at: KeyPath,
        *,
        quiet: bool,
    ) -> Step | None:
        if isinstance(raw, str):
            kind, settings = raw, cast(Raw, {})
        else:
            kind, value = cast(tuple[str, object], raw)
            if kind == "run":
                return _run_step(value)
            settings = cast(Raw, value)
            at = (*at, kind)
        if "image" in settings:
            image = self._text(settings["image"], params, (*at, "image"))
            if image is None or not self._known_image(image, (*at, "image")):
                return None
            if target is None or target.image != image:
                target = Target(image)
        if target is None and kind in _NEEDS_IMAGE:
            if quiet:
                return None
            self.ctx.report(
                at,
                f"{kind} needs an image: set image: on the step, on the job, or on its entry "
                "in the workflow (or give the matrix an image parameter)",
            )
            return None
        return BuiltinStep(kind, target)

    # -- across the workflow's jobs ------------------------------------------------------------

    def _unique(self, drafts: list[_Draft]) -> dict[str, _Draft]:
        by_name: dict[str, _Draft] = {}
        for draft in drafts:
            first = by_name.get(draft.name)
            if first is None:
                by_name[draft.name] = draft
                continue
            hint = ""
            if draft.matrix:
                hint = "; give the matrix job a name: with << matrix.NAME >> in it"
            self.ctx.report(
                draft.path,
                f"duplicate job name {draft.name!r} in workflow {self.workflow!r} "
                f"(first at {render_path(first.path)}){hint}",
            )
        drafts[:] = [d for d in drafts if by_name.get(d.name) is d]
        return by_name

    def _resolve(self, drafts: list[_Draft], by_name: dict[str, _Draft]) -> None:
        aliases: dict[str, list[str]] = {}
        for draft in drafts:
            if draft.matrix:
                aliases.setdefault(draft.alias, []).append(draft.name)
        for draft in drafts:
            for name, at in draft.requires:
                if name in by_name:
                    found = [name]
                elif name in aliases:
                    found = aliases[name]
                else:
                    names = sorted([*by_name, *aliases])
                    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    self.ctx.report(
                        at,
                        f"requires {name!r}, which is no job of workflow {self.workflow!r}{hint}",
                    )
                    continue
                draft.resolved.extend(n for n in found if n not in draft.resolved)

    def _cycles(self, drafts: list[_Draft], by_name: dict[str, _Draft]) -> bool:
        state: dict[str, int] = {}  # 1: on the path, 2: done
        found = False

        def visit(name: str, path: list[str]) -> None:
            nonlocal found
            state[name] = 1
            for required in by_name[name].resolved:
                if state.get(required) == 1:
                    loop = [*path[path.index(required) :], required]
                    draft = by_name[required]
                    self.ctx.report(
                        (*draft.path, "requires"),
                        "requires form a cycle: " + " → ".join(loop),
                        near=draft.path,
                    )
                    found = True
                elif required not in state:
                    visit(required, [*path, required])
            state[name] = 2

        for draft in drafts:
            if draft.name not in state:
                visit(draft.name, [draft.name])
        return found

    def _builds_first(self, drafts: list[_Draft], by_name: dict[str, _Draft]) -> None:
        """A test or publish step acts on an image built earlier in its job or in a job it
        requires (what was built and tested is what is published: never a rebuild)."""
        built: dict[str, set[Target]] = {}
        for d in drafts:
            built[d.name] = {
                s.target
                for s in d.steps
                if isinstance(s, BuiltinStep) and s.kind == "build" and s.target is not None
            }
        for draft in drafts:
            upstream: set[Target] = set()
            queue, seen = list(draft.resolved), set()
            while queue:
                name = queue.pop()
                if name not in seen:
                    seen.add(name)
                    upstream |= built[name]
                    queue.extend(by_name[name].resolved)
            here: set[Target] = set()
            for step, at in zip(draft.steps, draft.step_paths, strict=True):
                if not isinstance(step, BuiltinStep) or step.target is None:
                    continue
                if step.kind == "build":
                    here.add(step.target)
                elif step.kind in ("test", "publish") and step.target not in here | upstream:
                    self.ctx.report(
                        at,
                        f"{step.kind} of {step.target.key} in job {draft.name!r} needs the image "
                        f"built first: add a build step before it, or require a job that builds "
                        f"{step.target.key}",
                    )


def _is_job_name(name: str) -> bool:
    return re.fullmatch(JOB_NAME, name) is not None


def _run_step(value: object) -> RunStep:
    if isinstance(value, str):
        return RunStep(command=value, name=_first_line(value))
    raw = cast(Raw, value)
    command = cast(str, raw["command"])
    shell = cast(str | None, raw.get("shell"))
    timeout = cast(str | None, raw.get("no_output_timeout"))
    return RunStep(
        command=command,
        name=cast(str, raw.get("name", _first_line(command))),
        environment=cast(dict[str, str], raw.get("environment", {})),
        working_directory=cast(str | None, raw.get("working_directory")),
        when=cast(str, raw.get("when", "on_success")),
        shell=None if shell is None else tuple(shlex.split(shell)),
        **({} if timeout is None else {"no_output_timeout": duration_seconds(timeout)}),
    )


def _first_line(command: str) -> str:
    return command.strip().splitlines()[0] if command.strip() else command


def _filters(raw: Raw) -> Filters:
    def one(key: str) -> RefFilter | None:
        part = cast(Raw | None, raw.get(key))
        if part is None:
            return None
        only, ignore = part.get("only"), part.get("ignore")
        return RefFilter(
            only=None if only is None else tuple(v for v in cast(list[str], only) if v),
            ignore=None if ignore is None else tuple(v for v in cast(list[str], ignore) if v),
        )

    return Filters(branches=one("branches"), tags=one("tags"))
