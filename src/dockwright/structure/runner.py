"""Run structure-test configs through a driver, with CST's result order and semantics.

Per config file: globalEnvVars are expanded against the image env (they reach command tests and
``$VAR`` expansion in paths, never metadata tests); command tests run concurrently (bounded), and
file, license and metadata tests read the image without starting anything. Results come in CST's
order: command, file content, file existence, license, metadata.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from dockwright.engine.base import Engine
from dockwright.structure import checks
from dockwright.structure.config import StructureConfig, load_config
from dockwright.structure.drivers import (
    DEFAULT_TIMEOUT,
    DEFAULT_WORKERS,
    CommandEnv,
    DockerDriver,
    Driver,
    RunSettings,
)
from dockwright.structure.goexpand import expand_env
from dockwright.structure.licenses import license_test
from dockwright.structure.results import FileReport, Report, TestResult

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "FileReport",
    "Report",
    "RunSettings",
    "TestResult",
    "run_config",
    "run_configs",
    "run_structure_tests",
]


def run_config(
    driver: Driver, config: StructureConfig, pool: ThreadPoolExecutor
) -> list[Future[TestResult]]:
    """Schedule one parsed config's tests on ``pool``; the futures are in CST's order."""
    env = driver.image_config().env_map()
    globals_: list[str] = []
    for var in config.global_env_vars:
        value = expand_env(var.value, env)
        globals_.append(f"{var.key}={value}")
        env[var.key] = value
    ctx = CommandEnv(
        env, tuple(globals_), config.container_run_options, config.path, config.schema_version
    )
    futures: list[Future[TestResult]] = []

    def submit(fn: Callable[[], TestResult]) -> None:
        futures.append(pool.submit(fn))

    # Schema 1.0.0 skips a command test whose setup fails, with no result (CST's v1 runner),
    # and every command test fails in setup on a driver that runs none.
    if driver.runs_commands or config.schema_version != "1.0.0":
        for command in config.command_tests:
            submit(lambda t=command: driver.command(t, ctx))  # type: ignore[misc]
    if config.file_content_tests or config.file_existence_tests or config.license_tests:
        view = driver.view()
        for content in config.file_content_tests:
            submit(lambda t=content: checks.file_content(view, t))  # type: ignore[misc]
        for existence in config.file_existence_tests:
            submit(lambda t=existence: checks.file_existence(view, t, env))  # type: ignore[misc]
        for lic in config.license_tests:
            submit(lambda t=lic: license_test(view, t))  # type: ignore[misc]
    if not config.metadata_test.is_empty():
        submit(lambda: checks.metadata(driver.image_config(), config.metadata_test))
    return futures


def run_configs(
    driver: Driver, configs: Sequence[StructureConfig], settings: RunSettings
) -> Report:
    """Run every config through one driver (one inspect, one pool for all files).

    On an interrupt, tests not started are cancelled and the driver is closed at once (which
    stops what runs under runc); it is closed again once the running tests returned."""
    pool = ThreadPoolExecutor(max_workers=max(1, settings.workers))
    try:
        scheduled = [(c.path, run_config(driver, c, pool)) for c in configs]
        files = tuple(FileReport(path, tuple(f.result() for f in fs)) for path, fs in scheduled)
        return Report(files, str(getattr(driver, "exec_path", "")))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        driver.close()
        raise
    finally:
        pool.shutdown(wait=True)
        driver.close()


def run_structure_tests(
    engine: Engine,
    image: str,
    config_paths: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = DEFAULT_WORKERS,
    settings: RunSettings | None = None,
) -> Report:
    """The docker driver on ``image``. Every config is loaded first, so a bad file fails before
    any container starts."""
    configs = [load_config(path) for path in config_paths]
    settings = settings or RunSettings(timeout=timeout, workers=workers)
    return run_configs(DockerDriver(engine, image, settings), configs, settings)
