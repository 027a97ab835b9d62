"""``dockwright init`` as a library: find the Dockerfiles, build each image, read structure
tests off it, keep those that pass on it, write the files.

Nothing is written over an existing file unless asked (``force``), and that is checked before
anything is built. An image whose build fails still gets its entry in dockwright.yaml, with
its ``tests:`` left as a comment that says why. A derived test that does not pass on the
image (it should not happen: everything is read off that image) is left out and reported.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dockwright.dockerfile import Dockerfile, parse
from dockwright.engine.base import BuildRequest, Engine
from dockwright.errors import DockwrightError, UsageError
from dockwright.init.derive import PROBE_TIMEOUT, Suite, derive
from dockwright.init.find import Starter, find_dockerfiles, plan_images
from dockwright.init.render import Entry, config_text, structure_text
from dockwright.pipeline.config import CONFIG_NAME

HADOLINT_FILES = (".hadolint.yaml", ".hadolint.yml")


@dataclass(frozen=True)
class Outcome:
    starter: Starter
    image_id: str | None = None
    suite: Suite | None = None
    dropped: tuple[str, ...] = ()  # derived tests that failed on the image, left out
    error: str = ""  # why there is no structure-test file
    builder: str = ""  # the builder that built it, and why


@dataclass
class InitResult:
    root: Path
    outcomes: list[Outcome] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    lint_ignored: list[str] = field(default_factory=list)
    hadolint_file: str = ""


def plan(root: Path, *, force: bool) -> list[Starter]:
    """The images to write; a UsageError when there is nothing to do or a file is in the way."""
    starters = plan_images(root, find_dockerfiles(root))
    if not starters:
        raise UsageError(
            f"no Dockerfile in {root} (hidden, vendored and test-data directories are skipped)"
        )
    if not force:
        present = [CONFIG_NAME] if (root / CONFIG_NAME).exists() else []
        present += [str(s.tests) for s in starters if (root / s.tests).exists()]
        if present:
            raise UsageError(
                f"{', '.join(present)} already exist{'s' if len(present) == 1 else ''} in "
                f"{root}; --force writes over {'it' if len(present) == 1 else 'them'}"
            )
    return starters


def initialize(
    root: Path,
    starters: list[Starter],
    engine: Engine | None,
    *,
    jobs: int = 0,
    on_outcome: Callable[[Outcome], None] = lambda outcome: None,
) -> InitResult:
    """Build (unless ``engine`` is None), derive and check the tests, write every file."""
    result = InitResult(root)
    lock = threading.Lock()

    def one(starter: Starter) -> Outcome:
        if engine is None:
            outcome = Outcome(starter, error="not built (--no-build)")
        else:
            outcome = image_outcome(root, starter, engine)
        with lock:
            on_outcome(outcome)
        return outcome

    workers = max(1, min(len(starters), jobs or os.cpu_count() or 1))
    with ThreadPoolExecutor(workers, thread_name_prefix="init") as pool:
        result.outcomes = list(pool.map(one, starters))
    result.hadolint_file = next((n for n in HADOLINT_FILES if (root / n).is_file()), "")
    if not result.hadolint_file:
        result.lint_ignored = failing_rules([root / s.dockerfile for s in starters])
    for outcome in result.outcomes:
        if outcome.suite is not None:
            path = root / outcome.starter.tests
            path.write_text(structure_text(outcome.starter, outcome.suite), encoding="utf-8")
            result.written.append(path)
    entries = [Entry(o.starter, o.suite is not None, o.error) for o in result.outcomes]
    config = root / CONFIG_NAME
    config.write_text(
        config_text(entries, result.lint_ignored, result.hadolint_file), encoding="utf-8"
    )
    result.written.append(config)
    return result


def image_outcome(root: Path, starter: Starter, engine: Engine) -> Outcome:
    """Build one image and read its structure tests off it."""
    root = root.resolve()
    try:
        text = (root / starter.dockerfile).read_text(encoding="utf-8")
        df = parse(text, path=str(starter.dockerfile))
        built = engine.build(
            BuildRequest(
                context=str(root / starter.context), dockerfile=str(root / starter.dockerfile)
            )
        )
    except (OSError, UnicodeDecodeError) as exc:
        return Outcome(starter, error=f"cannot read {starter.dockerfile}: {exc}")
    except DockwrightError as exc:  # the log's last line says why (the first, which builder)
        lines = [line for line in str(exc).splitlines() if line.strip()] or [repr(exc)]
        return Outcome(starter, error=f"the build failed: {lines[-1]}")
    builder = built.builder.describe()
    try:
        suite = read_suite(engine, built.image_id, df, root / starter.context)
        suite, dropped = keep_passing(engine, built.image_id, starter, suite)
    except DockwrightError as exc:
        return Outcome(starter, built.image_id, error=f"reading the image failed: {exc}")
    return Outcome(starter, built.image_id, suite, dropped, builder=builder)


def read_suite(engine: Engine, image_id: str, df: Dockerfile, context: Path) -> Suite:
    from dockwright.structure.config import CommandTest, ContainerRunOptions
    from dockwright.structure.drivers import CommandEnv, DockerDriver, RunSettings

    driver = DockerDriver(engine, image_id, RunSettings(timeout=PROBE_TIMEOUT))
    try:
        cfg = driver.image_config()
        env = CommandEnv(cfg.env_map(), (), ContainerRunOptions(), "dockwright init")

        def probe(program: str, args: tuple[str, ...]) -> tuple[bool, str, str] | None:
            test = CommandTest("probe", program, args, timeout=PROBE_TIMEOUT)
            ran = driver.command(test, env)
            return ran.passed, ran.stdout, ran.stderr

        return derive(df, cfg, driver.view(), probe, context)
    finally:
        driver.close()


def keep_passing(
    engine: Engine, image_id: str, starter: Starter, suite: Suite
) -> tuple[Suite, tuple[str, ...]]:
    """The suite run on the image as written (through the structure-test file's own reader),
    less what fails; a DockwrightError if what is left still fails."""
    from dockwright.structure.runner import run_structure_tests

    dropped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="dockwright-init-") as tmp:
        path = Path(tmp) / "structure-test.yaml"
        for attempt in range(2):
            path.write_text(structure_text(starter, suite), encoding="utf-8")
            report = run_structure_tests(engine, image_id, [str(path)])
            failed = {r.name for r in report.results if not r.passed}
            if not failed:
                return suite, tuple(dropped)
            if attempt:
                raise DockwrightError(f"structure tests read off {image_id} fail on it: {failed}")
            dropped += sorted(failed)
            suite = suite.without(failed)
    return suite, tuple(dropped)


def failing_rules(dockerfiles: list[Path]) -> list[str]:
    """The rules the Dockerfiles break today at warning or above (hadolint's defaults): the
    starter ignores them, so the first run passes, and says so."""
    from dockwright.lint import LintConfig, lint_path

    config = LintConfig.from_mapping({"failure-threshold": "warning"})
    findings = [f for path in dockerfiles for f in lint_path(str(path), config)]
    return sorted({f.code for f in findings if config.fails(f.severity) and f.code != "DL1000"})
