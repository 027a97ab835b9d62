"""The built-in steps of a job: lint, build, test, publish and update, each through the
package that does the work (the linter, the engine, the structure-test runner, the publisher).

Each remembers a passing result in the job cache under the fingerprint of its inputs, and
repeats it instead of redoing the work when they are unchanged: a build whose image is still
in the engine (one inspect) is not rebuilt, structure tests of the same image ID with the same
test files are not rerun, a Dockerfile and lint settings seen before are not linted again. A
publish always asks the registries (a tag already on the image costs one HEAD).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, cast

from dockwright.errors import ImageNotFound
from dockwright.pipeline.fingerprint import canonical, context_digest, digest, file_digest
from dockwright.pipeline.jobrun import JobRun, StepHandler
from dockwright.pipeline.runrecord import PublishedTag, State, StepRecord, TestCase
from dockwright.pipeline.workflow import BuiltinStep, Step, Target

if TYPE_CHECKING:
    from dockwright.pipeline.config import ImageSpec

CREATED = "org.opencontainers.image.created"


def _targets(run: JobRun, step: BuiltinStep) -> list[Target]:
    if step.target is not None:
        return [step.target]
    return [Target(name) for name in run.rc.config.images]


def lint(run: JobRun, step: Step, rec: StepRecord) -> None:
    from dockwright.pipeline.lintstep import lint_image
    from dockwright.pipeline.stepresult import Status

    assert isinstance(step, BuiltinStep)
    findings: list[str] = []
    failed = hits = 0
    seen = set()
    targets = _targets(run, step)
    for target in targets:
        image, _ = run.rc.image(target)
        if image.dockerfile in seen:
            continue
        seen.add(image.dockerfile)
        key = digest("lint", file_digest(image.dockerfile), str(image.dockerfile), run.rc.lint_key)
        cached = run.rc.cache.get("lint", key)
        if cached is not None:
            hits += 1
            findings += cast(list[str], cached.get("findings", []))
            continue
        result = lint_image(image, run.rc.lint_config())
        findings += result.details
        if result.status is Status.FAILED:
            failed += 1
        else:
            run.rc.cache.put("lint", key, {"findings": list(result.details)})
    for line in findings:
        run.output(rec, line)
    rec.details = tuple(findings)
    rec.summary = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    rec.cached = hits == len(seen)
    rec.state = State.FAILED if failed else State.PASSED


def engine_name(run: JobRun) -> str:
    """Which engine the run talks to: its builds and containers are its own, so are their
    cached results (an image ID may be in both engines, copied from one to the other)."""
    return str(getattr(run.rc.engine, "name", "docker"))


def build_fingerprint(run: JobRun, image: ImageSpec, labels: dict[str, str]) -> str:
    from dockwright.tags.context import created_time

    if created_time(run.rc.context, run.rc.env) is None:
        labels = {k: v for k, v in labels.items() if k != CREATED}  # the clock: not an input
    return digest(
        "build",
        engine_name(run),
        context_digest(image.context, image.dockerfile, run.rc.config.root / ".dockwright"),
        file_digest(image.dockerfile),
        str(image.dockerfile.relative_to(image.context))
        if image.dockerfile.is_relative_to(image.context)
        else str(image.dockerfile),
        image.build_args,
        image.target,
        labels,
        image.platforms,
        image.build,  # cache, secrets (by source), SSH, reproducible...
        run.rc.env.get("SOURCE_DATE_EPOCH") if image.build.reproducible else None,
    )


def build(run: JobRun, step: Step, rec: StepRecord) -> None:
    from dockwright.pipeline.buildstep import build_image

    assert isinstance(step, BuiltinStep) and step.target is not None
    rc = run.rc
    image, tags = rc.image(step.target)
    key = build_fingerprint(run, image, dict(tags.labels))
    # no-cache: true asks for a fresh build every time, the job cache included
    cached = None if image.build.no_cache else rc.cache.get("build", key)
    image_id = cached.get("image_id") if cached else None
    if isinstance(image_id, str):
        try:
            rc.engine.inspect_image(image_id)
            rec.cached = True
        except ImageNotFound:
            image_id = None
    if rec.cached:
        rec.summary = f"{image_id} (inputs unchanged: not rebuilt)"
    else:
        result = build_image(rc.engine, image, tags)
        rc.announce(result.builder)
        image_id = result.image_id
        rc.cache.put("build", key, {"image_id": image_id})
        rec.summary = str(image_id)
    assert isinstance(image_id, str)
    rec.image_id = image_id
    run.record.tags = tags.tags
    rc.record_build(run.record.name, step.target, image_id, tags)


def test(run: JobRun, step: Step, rec: StepRecord) -> None:
    assert isinstance(step, BuiltinStep) and step.target is not None
    rc = run.rc
    image, _ = rc.image(step.target)
    built = rc.built(run.record.name, step.target)
    assert built is not None  # the config checks a build comes first
    rec.image_id = built.image_id
    if not image.tests:
        rec.summary = "no structure tests configured"
        return
    files = [(str(p), file_digest(p)) for p in image.tests]
    key = digest("test", engine_name(run), built.image_id, files)
    cached = rc.cache.get("test", key)
    if cached is not None:
        rec.tests = tuple(_test_case(cast(dict[str, object], t)) for t in _list(cached, "tests"))
        rec.cached = True
    else:
        from dockwright.structure.runner import run_structure_tests

        report = run_structure_tests(rc.engine, built.image_id, [p for p, _ in files])
        rec.tests = tuple(
            TestCase(f.path, r.name, r.passed, tuple(r.errors), r.duration)
            for f in report.files
            for r in f.results
        )
        if report.ok:
            rc.cache.put("test", key, {"tests": [canonical(t) for t in rec.tests]})
    failed = [t for t in rec.tests if not t.passed]
    rec.details = tuple(f"{t.name}: {'; '.join(t.errors)}" for t in failed)
    rec.summary = f"{len(rec.tests) - len(failed)} passed, {len(failed)} failed"
    rec.state = State.FAILED if failed or not rec.tests else State.PASSED


def _test_case(data: dict[str, object]) -> TestCase:
    return TestCase(
        file=str(data.get("file", "")),
        name=str(data.get("name", "")),
        passed=bool(data.get("passed")),
        errors=tuple(str(e) for e in _list(data, "errors")),
        seconds=float(cast(float, data.get("seconds", 0.0))),
    )


def _list(data: dict[str, object], key: str) -> list[object]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def publish(run: JobRun, step: Step, rec: StepRecord) -> None:
    from dockwright.publish import Event, publish

    assert isinstance(step, BuiltinStep) and step.target is not None
    rc = run.rc
    if rc.publish_mode is False:
        rec.state, rec.summary = State.SKIPPED, "not publishing (--no-publish)"
        return
    if step.release_only and rc.publish_mode is None and not rc.publishing:
        rec.state, rec.summary = State.SKIPPED, f"not publishing: {rc.publish_reason}"
        return
    dests = rc.destinations.get(step.target.image, [])
    if not dests:
        rec.state, rec.summary = State.SKIPPED, "no repositories configured"
        return
    built = rc.built(run.record.name, step.target)
    assert built is not None  # the config checks a build comes first
    rec.image_id = built.image_id

    def progress(event: Event) -> None:
        run.output(rec, f"{event.kind} {event.repository} {event.detail}".rstrip())

    # Never cut off mid-way: a cancel waits for the publish to end.
    with run.scope.shield():
        done = publish(rc.engine, built.image_id, built.tags.tags, dests, on_event=progress)
    rec.published = tuple(PublishedTag(p.repository, p.tag, p.digest) for p in done)
    digests = sorted({p.digest for p in done})
    rec.summary = f"{len(done)} pushes to {len(dests)} repositories, digest {', '.join(digests)}"


def update(run: JobRun, step: Step, rec: StepRecord) -> None:
    """``dockwright update`` on the images' Dockerfiles, in a child process (its output is the
    step's), so a scheduled job can update, then build, test and publish."""
    from dockwright import proc

    assert isinstance(step, BuiltinStep)
    files = sorted({str(run.rc.image(t)[0].dockerfile) for t in _targets(run, step)})
    argv = [sys.executable, "-m", "dockwright", "update", "-c", str(run.rc.config.path), *files]
    done = proc.stream(argv, lambda line: run.output(rec, line), cwd=run.rc.config.root)
    rec.exit_code = done.returncode
    if done.returncode != 0:
        rec.state, rec.summary = State.FAILED, f"dockwright update exited with {done.returncode}"
        rec.details = tuple(rec.tail)
    else:
        rec.summary = rec.tail[-1] if rec.tail else "up to date"


def handlers() -> dict[str, StepHandler]:
    from dockwright.pipeline.shellstep import run_step

    return {
        "lint": lint,
        "build": build,
        "test": test,
        "publish": publish,
        "update": update,
        "run": run_step,
    }
