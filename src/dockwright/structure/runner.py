"""Run structure tests against an image through an :class:`Engine` (CST's docker driver).

Command tests run with the image ENTRYPOINT cleared (``[""]``), their command and args expanded
host-side from the image env like Go's ``os.Expand``, and setup steps committed as intermediate
images. File tests read the filesystem through the archive API of a created, never started,
container. Unlike CST, each command test has a timeout (reported as a failure) and command tests
of one file run concurrently.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from dockwright.engine.base import ContainerSpec, Engine, ImageInfo
from dockwright.errors import ConfigError, EngineError
from dockwright.structure.config import (
    CommandTest,
    FileContentTest,
    FileExistenceTest,
    MetadataTest,
    StructureConfig,
    load_config,
)
from dockwright.structure.goexpand import expand_env, file_mode_string

DEFAULT_TIMEOUT = 600.0
DEFAULT_WORKERS = 4
LABELS = {"dockwright.structure-test": "1"}
# The command a file-reading container is created with; it is never started.
NOOP_COMMAND = ("dockwright-structure-test-noop",)
_EXECUTABLE_MASKS = {"any": 0o111, "owner": 0o100, "group": 0o010, "other": 0o001}


@dataclass(frozen=True)
class TestResult:
    __test__ = False  # not a pytest class

    name: str
    passed: bool
    errors: tuple[str, ...] = ()
    stdout: str = ""
    stderr: str = ""
    duration: float = 0.0  # seconds; CST measures command tests only


@dataclass(frozen=True)
class FileReport:
    path: str
    results: tuple[TestResult, ...]


@dataclass(frozen=True)
class Report:
    files: tuple[FileReport, ...] = field(default_factory=tuple)

    @property
    def results(self) -> tuple[TestResult, ...]:
        return tuple(r for f in self.files for r in f.results)

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def failed(self) -> int:
        return sum(not r.passed for r in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def duration(self) -> float:
        return sum(r.duration for r in self.results)

    @property
    def ok(self) -> bool:
        """CST's verdict: at least one test ran and none failed."""
        return self.total > 0 and self.failed == 0


def _regex(pattern: str) -> Callable[[str], bool] | None:
    import re2

    options = re2.Options()
    options.log_errors = False
    try:
        compiled = re2.compile(pattern, options)
    except re2.error:
        return None
    return lambda text: compiled.search(text) is not None


def _check_patterns(
    errors: list[str], expected: Sequence[str], excluded: Sequence[str], text: str, where: str
) -> None:
    # An invalid regex fails the check in both lists, as in CST.
    for pattern in expected:
        match = _regex(pattern)
        if match is None or not match(text):
            errors.append(f"Expected string '{pattern}' not found in {where} '{text}'")
    for pattern in excluded:
        match = _regex(pattern)
        if match is None or match(text):
            errors.append(f"Excluded string '{pattern}' found in {where} '{text}'")


class _Session:
    """The state of running one config file: base image, created images, the engine."""

    def __init__(self, engine: Engine, image: str, config: StructureConfig, timeout: float) -> None:
        self.engine = engine
        self.image = image
        self.config = config
        self.timeout = timeout
        self.info: ImageInfo = engine.inspect_image(image)
        self.created_images: list[str] = []
        self.base = self.info.id
        self.env = self.info.config.env_map()
        opts = config.container_run_options
        self.run_env: list[str] = []
        if opts.env_file:
            self.run_env += _read_env_file(opts.env_file, config.path)
        self.run_env += [f"{k}={os.environ[k]}" for k in opts.env_vars if os.environ.get(k)]

    def apply_globals(self) -> None:
        if not self.config.global_env_vars:
            return
        env = [f"{e.key}={expand_env(e.value, self.env)}" for e in self.config.global_env_vars]
        container = self.engine.create_container(
            ContainerSpec(self.base, command=NOOP_COMMAND, entrypoint=("",), env=env, labels=LABELS)
        )
        try:
            self.base = self.engine.commit(container, LABELS)
        finally:
            self.engine.remove_container(container)
        self.created_images.append(self.base)
        for item in env:
            key, _, value = item.partition("=")
            self.env[key] = value

    def cleanup(self) -> None:
        for image in reversed(self.created_images):
            with contextlib.suppress(EngineError):
                self.engine.remove_image(image, force=True)

    # -- command tests -------------------------------------------------------------------------

    def command_test(self, test: CommandTest) -> TestResult:
        opts = self.config.container_run_options
        name = f"Command Test: {test.name}"
        argv = [expand_env(a, self.env) for a in (test.command, *test.args)]
        started = time.monotonic()
        image = self.base
        own: list[str] = []
        try:
            for step in test.setup:
                env = [f"{e.key}={expand_env(e.value, self.env)}" for e in test.env_vars]
                container = self.engine.create_container(
                    ContainerSpec(
                        image,
                        command=step,
                        entrypoint=("",),
                        env=[*env, *self.run_env],
                        user=opts.user or None,
                        tty=opts.allocate_tty,
                        cap_add=opts.capabilities,
                        binds=opts.bind_mounts,
                        labels=LABELS,
                    )
                )
                try:
                    self.engine.start_container(container)
                    if self.engine.wait_container(container, self.timeout) is None:
                        raise EngineError(
                            f"setup command {list(step)} did not finish within {self.timeout:g} s"
                        )
                    image = self.engine.commit(container, LABELS)
                    own.append(image)
                finally:
                    self.engine.remove_container(container)
            result = self.engine.run(
                image,
                argv,
                entrypoint=("",),
                env=[*(f"{e.key}={e.value}" for e in test.env_vars), *self.run_env],
                user=opts.user or None,
                tty=opts.allocate_tty,
                cap_add=opts.capabilities,
                binds=opts.bind_mounts,
                labels=LABELS,
                timeout=self.timeout,
            )
        except EngineError as exc:
            return TestResult(
                name,
                False,
                (f"Error creating container: {exc}",),
                duration=time.monotonic() - started,
            )
        finally:
            for created in reversed(own):
                with contextlib.suppress(EngineError):
                    self.engine.remove_image(created, force=True)
        errors: list[str] = []
        if result.timed_out:
            errors.append(f"Test '{test.name}' timed out after {self.timeout:g} s and was killed")
        _check_patterns(errors, test.expected_error, test.excluded_error, result.stderr, "error")
        _check_patterns(errors, test.expected_output, test.excluded_output, result.stdout, "output")
        if not result.timed_out and result.exit_code != test.exit_code:
            errors.append(
                f"Test '{test.name}' exited with incorrect error code. "
                f"Expected: {test.exit_code}, Actual: {result.exit_code}"
            )
        return TestResult(
            name,
            not errors,
            tuple(errors),
            result.stdout,
            result.stderr,
            time.monotonic() - started,
        )

    # -- file tests ----------------------------------------------------------------------------

    def file_container(self) -> str:
        return self.engine.create_container(
            ContainerSpec(self.base, command=NOOP_COMMAND, entrypoint=("",), labels=LABELS)
        )

    def file_existence_test(self, container: str, test: FileExistenceTest) -> TestResult:
        name = f"File Existence Test: {test.name}"
        path = expand_env(test.path, self.env)
        stat = self.engine.stat_path(container, path)
        if stat is not None and stat.type == "other":
            stat = None  # devices, pipes and sockets count as missing, as in CST
        errors: list[str] = []
        if stat is None:
            if test.should_exist:
                errors.append(
                    "Error examining file in container: Error retrieving file from container: "
                    f"Could not find the file {path} in container {container}"
                )
            return TestResult(name, not errors, tuple(errors))
        if not test.should_exist:
            return TestResult(name, False, (f"File {test.path} should not exist but does",))
        mode = file_mode_string(stat.type, stat.mode)
        if test.permissions and mode != test.permissions:
            errors.append(
                f"{test.path} has incorrect permissions. "
                f"Expected: {test.permissions}, Actual: {mode}"
            )
        if test.is_executable_by:
            mask = _EXECUTABLE_MASKS.get(test.is_executable_by)
            if mask is None:
                errors.append(f"{test.is_executable_by} not recognised as a valid option")
            elif not stat.mode & mask:
                errors.append(
                    f"{test.path} has incorrect executable bit. Expected to be executable by "
                    f"{test.is_executable_by}, Actual: {mode}"
                )
        if test.uid != -1 and stat.uid != test.uid:
            errors.append(
                f"{test.path} has incorrect user ownership. "
                f"Expected: {test.uid}, Actual: {stat.uid}"
            )
        if test.gid != -1 and stat.gid != test.gid:
            errors.append(
                f"{test.path} has incorrect group ownership. "
                f"Expected: {test.gid}, Actual: {stat.gid}"
            )
        return TestResult(name, not errors, tuple(errors))

    def file_content_test(self, container: str, test: FileContentTest) -> TestResult:
        name = f"File Content Test: {test.name}"
        path = test.path  # CST does not expand variables here
        stat = self.engine.stat_path(container, path)
        if stat is not None and stat.type == "symlink":
            # Like CST's docker driver, follow one absolute link target.
            target = stat.link_target
            path = target if target.startswith("/") else posixpath.join("/", target)
            stat = self.engine.stat_path(container, path) if target.startswith("/") else None
        if stat is None:
            return TestResult(
                name,
                False,
                (
                    f"Failed to open {test.path}. Error: Error retrieving file from container: "
                    f"Could not find the file {path} in container {container}",
                ),
            )
        if stat.type == "dir":
            return TestResult(
                name,
                False,
                (
                    f"Failed to open {test.path}. Error: Cannot read specified path: "
                    f"{test.path} is a directory, not a file",
                ),
            )
        data = self.engine.read_file(container, path) or b""
        text = data.decode(errors="replace")
        errors: list[str] = []
        _check_patterns(
            errors, test.expected_contents, test.excluded_contents, text, "file content string"
        )
        return TestResult(name, not errors, tuple(errors))

    # -- metadata ------------------------------------------------------------------------------

    def metadata_test(self, test: MetadataTest) -> TestResult:
        cfg = self.info.config  # globalEnvVars never apply here, as in CST
        errors: list[str] = []
        env = cfg.env_map()
        for want in test.env_vars:
            if want.key not in env:
                errors.append(f"variable {want.key} not found in image env")
            elif not _value_matches(env[want.key], want.value, want.is_regex):
                errors.append(
                    f"env var {want.key} value {env[want.key]} does not match expected value: "
                    f"{want.value}"
                )
        for key in test.unbound_env_vars:
            if key in env:
                errors.append(f"env variable {key} should not be present in image metadata")
        for want in test.labels:
            if want.key not in cfg.labels:
                errors.append(f"label {want.key} not found in image metadata")
            elif not _value_matches(cfg.labels[want.key], want.value, want.is_regex):
                errors.append(
                    f"label {want.key} value {cfg.labels[want.key]} does not match expected "
                    f"value: {want.value}"
                )
        if test.entrypoint is not None and tuple(cfg.entrypoint or ()) != test.entrypoint:
            errors.append(
                f"Image entrypoint {_go_list(cfg.entrypoint)} does not match expected "
                f"entrypoint: {_go_list(test.entrypoint)}"
            )
        if test.cmd is not None and tuple(cfg.cmd or ()) != test.cmd:
            errors.append(
                f"Image Cmd {_go_list(cfg.cmd)} does not match expected Cmd: {_go_list(test.cmd)}"
            )
        if test.workdir and cfg.workdir != test.workdir:
            errors.append(
                f"Image workdir {cfg.workdir} does not match config workdir: {test.workdir}"
            )
        if test.user and cfg.user != test.user:
            errors.append(f"Image user {cfg.user} does not match config user: {test.user}")
        ports = {p.split("/", 1)[0] for p in cfg.exposed_ports}
        errors += [f"Port {p} not found in config" for p in test.exposed_ports if p not in ports]
        errors += [f"Port {p} should not be exposed" for p in test.unexposed_ports if p in ports]
        volumes = set(cfg.volumes)
        errors += [f"Volume {v} not found in config" for v in test.volumes if v not in volumes]
        errors += [
            f"Volume {v} should not be mounted" for v in test.unmounted_volumes if v in volumes
        ]
        return TestResult("Metadata Test", not errors, tuple(errors))


def _go_list(items: Sequence[str] | None) -> str:
    return "[" + " ".join(items or ()) + "]"


def _value_matches(actual: str, expected: str, is_regex: bool) -> bool:
    if not is_regex:
        return actual == expected
    match = _regex(expected)
    return match is not None and match(actual)


def _read_env_file(path: str, config_path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError as exc:
        raise ConfigError(
            f"cannot read containerRunOptions.envFile {path!r}: {exc.strerror}", file=config_path
        ) from None
    out = []
    for line in lines:
        key, sep, value = line.strip().partition("=")
        if sep and key and value and not key.startswith("#"):
            out.append(f"{key}={value}")
    return out


def run_config(
    engine: Engine,
    image: str,
    config: StructureConfig,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = DEFAULT_WORKERS,
) -> FileReport:
    """Run one parsed config; results come in CST's order (command, content, existence, meta)."""
    session = _Session(engine, image, config, timeout)
    results: list[TestResult] = []
    try:
        session.apply_globals()
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            results += pool.map(session.command_test, config.command_tests)
        if config.file_content_tests or config.file_existence_tests:
            container = session.file_container()
            try:
                results += [
                    session.file_content_test(container, t) for t in config.file_content_tests
                ]
                results += [
                    session.file_existence_test(container, t) for t in config.file_existence_tests
                ]
            finally:
                engine.remove_container(container)
        if not config.metadata_test.is_empty():
            results.append(session.metadata_test(config.metadata_test))
    finally:
        session.cleanup()
    return FileReport(config.path, tuple(results))


def run_structure_tests(
    engine: Engine,
    image: str,
    config_paths: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = DEFAULT_WORKERS,
) -> Report:
    """Load every config first (a bad file fails before any container starts), then run each."""
    configs = [load_config(path) for path in config_paths]
    return Report(
        tuple(run_config(engine, image, c, timeout=timeout, workers=workers) for c in configs)
    )
