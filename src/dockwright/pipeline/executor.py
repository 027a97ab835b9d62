"""``dockwright run``: lint → build → test → publish for each image, as one record.

Each step's outcome is data (:class:`StepResult`); the CLI renders it. A step runs only when
every step before it passed; publish runs only for a release or the default branch. The image
ID the structure tests ran against is the one that is pushed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from dockwright.errors import AuthError, DockwrightError, UsageError
from dockwright.image.ref import ImageRef
from dockwright.pipeline.buildstep import build_image
from dockwright.pipeline.imagetags import image_tags, with_dockerfile
from dockwright.pipeline.release import publish_decision
from dockwright.pipeline.stepresult import Status, StepResult
from dockwright.publish import Destination, Published, publish
from dockwright.registry.credentials import (
    BasicCredentials,
    credentials_from_docker_config,
    credentials_from_env,
)

if TYPE_CHECKING:
    # `dockwright publish` uses this module for credentials and builds: the lint and
    # structure-test packages load only when `run` reaches those steps.
    from dockwright.engine.base import Engine
    from dockwright.lint.config import LintConfig
    from dockwright.pipeline.config import Config, ImageSpec, PublishTarget
    from dockwright.tags.compute import TagSet
    from dockwright.tags.context import Context


@dataclass
class ImageRun:
    name: str
    steps: list[StepResult] = field(default_factory=list)
    image_id: str | None = None
    tags: TagSet | None = None
    published: list[Published] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.status is not Status.FAILED for s in self.steps)


@dataclass
class RunReport:
    images: list[ImageRun]
    publishing: bool
    reason: str  # why we publish or not

    @property
    def ok(self) -> bool:
        return all(i.ok for i in self.images)


def destinations(image: ImageSpec) -> list[Destination]:
    """Resolve credentials for every repository before anything runs; a missing one fails."""
    out: list[Destination] = []
    for index, target in enumerate(image.publish):
        out.append(_destination(image.name, index, target))
    return out


def _destination(image: str, index: int, target: PublishTarget) -> Destination:
    where = f"images.{image}.publish[{index}].credentials"
    host = ImageRef.parse(target.repository).domain
    creds: BasicCredentials | None
    if target.credentials:
        try:
            creds = credentials_from_env(
                target.credentials.username_env, target.credentials.password_env, where=where
            )
        except AuthError as exc:
            raise UsageError(str(exc)) from exc
    else:
        creds = credentials_from_docker_config(host)
    return Destination(
        repository=target.repository,
        insecure=target.insecure,
        ca=str(target.ca) if target.ca else None,
        credentials=creds,
    )


def run_pipeline(
    config: Config,
    *,
    engine: Engine,
    context: Context,
    images: Sequence[str] = (),
    publish_mode: bool | None = None,
    on_step: Callable[[StepResult], None] | None = None,
    now: datetime | None = None,
) -> RunReport:
    """Run every step for each selected image (all by default).

    ``publish_mode`` forces publishing on (True) or off (False); ``None`` decides from the
    context. Bad input (unknown image, unset credentials) fails before any step runs.
    """
    names = list(images) or list(config.images)
    unknown = [n for n in names if n not in config.images]
    if unknown:
        raise UsageError(
            f"no image {unknown[0]!r} in {config.path}; it defines {', '.join(config.images)}"
        )
    if publish_mode is None:
        publishing, reason = publish_decision(context)
    else:
        publishing, reason = publish_mode, "asked for" if publish_mode else "turned off"
    dests = {n: destinations(config.images[n]) if publishing else [] for n in names}
    from dockwright.pipeline.lintstep import lint_config

    lint_settings = lint_config(config)
    moment = now or datetime.now(UTC)
    report = RunReport(images=[], publishing=publishing, reason=reason)
    for name in names:
        report.images.append(
            _run_image(
                config.images[name],
                lint_settings,
                engine,
                context,
                dests[name],
                publishing,
                moment,
                on_step,
            )
        )
    return report


def _run_image(
    image: ImageSpec,
    lint_settings: LintConfig,
    engine: Engine,
    context: Context,
    dests: list[Destination],
    publishing: bool,
    now: datetime,
    on_step: Callable[[StepResult], None] | None,
) -> ImageRun:
    run = ImageRun(image.name)
    run.tags = with_dockerfile(image_tags(image, context, now), image)

    def record(result: StepResult) -> bool:
        run.steps.append(result)
        if on_step:
            on_step(result)
        return result.status is Status.PASSED

    def skip(step: str, why: str) -> None:
        record(StepResult(image.name, step, Status.SKIPPED, summary=why))

    from dockwright.pipeline.lintstep import lint_image

    steps: list[tuple[str, Callable[[], StepResult]]] = [
        ("lint", lambda: lint_image(image, lint_settings)),
        ("build", lambda: _build(engine, image, run)),
        ("test", lambda: _test(engine, image, run)),
    ]
    for index, (step, fn) in enumerate(steps):
        if not record(_timed(image.name, step, fn)):
            for later, _ in steps[index + 1 :]:
                skip(later, f"{step} failed")
            skip("publish", f"{step} failed")
            return run
    if not publishing:
        skip("publish", "not publishing")
    elif not dests:
        skip("publish", "no repositories configured")
    else:
        record(_timed(image.name, "publish", lambda: _publish(engine, run, dests)))
    return run


def _timed(image: str, step: str, fn: Callable[[], StepResult]) -> StepResult:
    start = time.monotonic()
    try:
        result = fn()
    except UsageError:
        raise
    except DockwrightError as exc:
        result = StepResult(image, step, Status.FAILED, summary=str(exc))
    elapsed = time.monotonic() - start
    return StepResult(image, step, result.status, elapsed, result.summary, result.details)


def _build(engine: Engine, image: ImageSpec, run: ImageRun) -> StepResult:
    result = build_image(engine, image, run.tags)
    run.image_id = result.image_id
    return StepResult(
        image.name,
        "build",
        Status.PASSED,
        summary=f"{result.image_id} via {result.builder.describe()}",
    )


def _test(engine: Engine, image: ImageSpec, run: ImageRun) -> StepResult:
    from dockwright.structure.runner import run_structure_tests

    assert run.image_id is not None
    if not image.tests:
        return StepResult(
            image.name, "test", Status.PASSED, summary="no structure tests configured"
        )
    report = run_structure_tests(engine, run.image_id, [str(p) for p in image.tests])
    failed = tuple(f"{r.name}: {'; '.join(r.errors)}" for r in report.results if not r.passed)
    status = Status.PASSED if report.ok else Status.FAILED
    return StepResult(
        image.name,
        "test",
        status,
        summary=f"{report.passed} passed, {report.failed} failed",
        details=failed,
    )


def _publish(engine: Engine, run: ImageRun, dests: list[Destination]) -> StepResult:
    assert run.image_id is not None and run.tags is not None
    run.published = publish(engine, run.image_id, run.tags.tags, dests)
    digests = sorted({p.digest for p in run.published})
    return StepResult(
        run.name,
        "publish",
        Status.PASSED,
        summary=f"{len(run.published)} pushes to {len(dests)} repositories, "
        f"digest {', '.join(digests)}",
    )
