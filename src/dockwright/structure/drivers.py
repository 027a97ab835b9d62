"""Where structure tests run: CST's ``docker``, ``tar`` and ``host`` drivers.

A driver gives the image's config (for metadata tests and ``$VAR`` expansion), a read-only
:class:`FileView` (file and license tests) and runs command tests. Only command tests start
containers; a command still running at its timeout is killed and fails (CST would hang).

The docker driver has two execution paths: the Engine API (create, start, wait, logs, commit),
and, when the daemon is local with overlay2 layers we can read and runc is present, runc on
overlay mounts of those layers (:mod:`dockwright.structure.runc`), several times faster. A test
the runc path cannot reproduce (privileged, allocateTty, an unresolvable user, a process that
does not start ...) runs through the engine.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from dockwright.engine.base import ContainerSpec, Engine, ImageConfig
from dockwright.errors import (
    ApiError,
    CommandError,
    ConfigError,
    EngineError,
    RuntimeUnsupported,
    UsageError,
)
from dockwright.structure.checks import check_patterns
from dockwright.structure.config import CommandTest, ContainerRunOptions
from dockwright.structure.goexpand import expand_env
from dockwright.structure.ocispec import Process
from dockwright.structure.results import TestResult
from dockwright.structure.runc import RuncImage, overlay_layers, unavailable_reason
from dockwright.structure.views import ArchiveView, ContainerView, FileView, HostView, RootfsView

DEFAULT_TIMEOUT = 600.0
DEFAULT_WORKERS = 4
LABELS = {"dockwright.structure-test": "1"}
DRIVERS = ("docker", "tar", "host")
EXEC_PATHS = ("auto", "runc", "engine")
EXEC_PATH_ENV = "DOCKWRIGHT_EXEC_PATH"
LOCAL_SOCKET = "unix://"


@dataclass(frozen=True)
class RunSettings:
    """How to run: per-command timeout (a test's own ``timeout`` wins), concurrency, engine
    options (``--platform``, ``--runtime``) and ``--save`` (keep containers and images)."""

    timeout: float = DEFAULT_TIMEOUT
    workers: int = DEFAULT_WORKERS
    platform: str | None = None
    runtime: str | None = None
    save: bool = False
    # "runc", "engine", "auto" (runc when it can reproduce the engine), "" ($DOCKWRIGHT_EXEC_PATH)
    exec_path: str = ""


def exec_path_setting(flag: str | None) -> str:
    """``--exec-path`` or else ``$DOCKWRIGHT_EXEC_PATH``, else ``auto``."""
    value = flag or os.environ.get(EXEC_PATH_ENV) or "auto"
    if value not in EXEC_PATHS:
        source = "--exec-path" if flag else EXEC_PATH_ENV
        raise UsageError(f"{source}: expected one of auto, runc, engine; found {value!r}")
    return value


@dataclass(frozen=True)
class CommandEnv:
    """What a command test sees: the image env after globalEnvVars, for ``$VAR`` expansion, the
    ``KEY=VALUE`` globals to add to the container, containerRunOptions, and the config's
    schemaVersion (1.0.0 words its messages differently)."""

    env: dict[str, str]
    globals: tuple[str, ...]
    options: ContainerRunOptions
    config_path: str
    schema_version: str = "2.0.0"


class Driver(Protocol):
    # False for a driver whose every command test fails in setup (CST's tar driver)
    runs_commands: bool

    def image_config(self) -> ImageConfig: ...

    def view(self) -> FileView: ...

    def command(self, test: CommandTest, ctx: CommandEnv) -> TestResult: ...

    def close(self) -> None: ...


def _outcome(
    test: CommandTest,
    stdout: str,
    stderr: str,
    code: int | None,
    timeout: float,
    started: float,
    schema_version: str = "2.0.0",
) -> TestResult:
    errors: list[str] = []
    if code is None:
        errors.append(f"Test '{test.name}' timed out after {timeout:g} s and was killed")
    for where, expected, excluded, text in (
        ("error", test.expected_error, test.excluded_error, stderr),
        ("output", test.expected_output, test.excluded_output, stdout),
    ):
        found: list[str] = []
        check_patterns(found, expected, excluded, text, where)
        if schema_version == "1.0.0":  # CST's v1 messages end at "in output": no text
            found = [message.removesuffix(f" '{text}'") for message in found]
        errors += found
    if code is not None and code != test.exit_code:
        errors.append(
            f"Test '{test.name}' exited with incorrect error code. "
            f"Expected: {test.exit_code}, Actual: {code}"
        )
    return TestResult(
        f"Command Test: {test.name}",
        not errors,
        tuple(errors),
        stdout,
        stderr,
        time.monotonic() - started,
    )


def _setup_failed(test: CommandTest, message: str, started: float) -> TestResult:
    """A setup step the engine refused: CST names the result by the bare test name."""
    return TestResult(
        test.name, False, (f"error in setup: {message}",), duration=time.monotonic() - started
    )


def read_env_file(path: str, config_path: str) -> list[str]:
    """containerRunOptions.envFile: dotenv lines; empty keys and values are dropped, as in CST."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError as exc:
        raise ConfigError(
            f"cannot read containerRunOptions.envFile {path!r}: {exc.strerror}",
            file=config_path,
            key_path="containerRunOptions.envFile",
        ) from None
    out = []
    for line in lines:
        line = line.strip()
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if sep and key and value and not key.startswith("#"):
            out.append(f"{key}={value}")
    return out


def run_env(options: ContainerRunOptions, config_path: str) -> list[str]:
    """The env containerRunOptions adds: envFile lines, then host variables named in envVars."""
    out = read_env_file(options.env_file, config_path) if options.env_file else []
    # CST passes a name unset on the host as an empty entry, which the engine refuses
    # ("invalid environment variable: "); keeping that keeps CST's verdicts.
    return out + [f"{k}={os.environ[k]}" if os.environ.get(k) else "" for k in options.env_vars]


class DockerDriver:
    """CST's default driver, through the Engine API. The image is inspected once."""

    runs_commands = True

    def __init__(self, engine: Engine, image: str, settings: RunSettings) -> None:
        self.engine = engine
        self.image = image
        self.settings = settings
        self.info = engine.inspect_image(image)
        if settings.platform:
            actual = f"{self.info.os}/{self.info.architecture}"
            if settings.platform.split("/")[:2] != actual.split("/")[:2]:
                raise UsageError(
                    f"image with reference {image} was found but its platform ({actual}) "
                    f"does not match the specified platform ({settings.platform})"
                )
        self._views: list[ContainerView] = []
        self._lock = threading.Lock()
        self.paths: dict[str, str] = {}  # result name -> "runc" or "engine: <why>"
        self.runc: RuncImage | None = None
        mode = exec_path_setting(settings.exec_path or None)
        self.runc_reason = "" if mode != "engine" else "engine path chosen"
        if mode != "engine":
            try:
                self.runc = self._runc_image()
            except RuntimeUnsupported as exc:
                self.runc_reason = str(exc)
                if mode == "runc":
                    raise UsageError(f"the runc path cannot run {image}: {exc}") from None

    def _runc_image(self) -> RuncImage:
        """The runc path for this image, when it can reproduce what the engine does."""
        if self.settings.runtime:
            raise RuntimeUnsupported(f"--runtime {self.settings.runtime} is the engine's")
        if self.settings.save:
            raise RuntimeUnsupported("--save keeps engine containers and images")
        engine_name = str(getattr(self.engine, "name", "docker"))
        if engine_name != "docker":
            raise RuntimeUnsupported(
                f"the runc path reproduces Docker's containers, not {engine_name}'s"
            )
        host = str(getattr(self.engine, "host", ""))
        inspect = getattr(self.engine, "inspect_image_data", None)
        if not host.startswith(LOCAL_SOCKET) or inspect is None:
            raise RuntimeUnsupported(f"the engine at {host or 'an unknown address'} is not local")
        reason = unavailable_reason()
        if reason:
            raise RuntimeUnsupported(reason)
        data = inspect(self.info.id)
        layers = overlay_layers(data.get("GraphDriver") or {})
        cfg = self.info.config
        return RuncImage(layers, cfg.env, cfg.workdir, cfg.user)

    @property
    def exec_path(self) -> str:
        """Which path command tests took, for verbose output."""
        if self.runc is None:
            return f"engine ({self.runc_reason})"
        engine = sorted(k for k, v in self.paths.items() if v != "runc")
        runc = len(self.paths) - len(engine)
        text = f"runc ({runc} command tests)"
        if engine:
            why = "; ".join(f"{name}: {self.paths[name][len('engine: ') :]}" for name in engine)
            text += f", engine for {len(engine)} ({why})"
        return text

    def image_config(self) -> ImageConfig:
        return self.info.config

    def view(self) -> FileView:
        view = ContainerView(
            self.engine, self.info.id, LABELS, self.settings.platform, keep=self.settings.save
        )
        with self._lock:
            self._views.append(view)
        if self.runc is not None:
            try:
                return RootfsView(self.runc.view_root(), secrets.token_hex(32), view)
            except RuntimeUnsupported:
                pass
        return view

    def close(self) -> None:
        """Remove what tests created; safe to call again (and while tests still run: what runs
        under runc is killed, the rest is cleaned up by the next call)."""
        with self._lock:
            views, self._views = self._views, []
        for view in views:
            view.close()
        if self.runc is not None:
            self.runc.close()

    def _spec(
        self, image: str, argv: Sequence[str], env: Sequence[str], o: ContainerRunOptions
    ) -> ContainerSpec:
        return ContainerSpec(
            image,
            command=list(argv),
            entrypoint=("",),  # CST always clears the image's ENTRYPOINT
            env=list(env),
            user=o.user or None,
            tty=o.allocate_tty,
            cap_add=o.capabilities,
            binds=o.bind_mounts,
            labels=LABELS,
            privileged=o.privileged,
            platform=self.settings.platform,
            runtime=self.settings.runtime,
        )

    def _remove(self, container: str) -> None:
        if not self.settings.save:
            with contextlib.suppress(EngineError):
                self.engine.remove_container(container)

    def _run(self, spec: ContainerSpec, timeout: float) -> tuple[str, int | None, str, str]:
        """create, start, wait (kill at the timeout), logs: (id, exit code or None, out, err)."""
        container = self.engine.create_container(spec)
        try:
            self.engine.start_container(container)
            code = self.engine.wait_container(container, timeout)
            if code is None:
                self.engine.kill_container(container)
                self.engine.wait_container(container, 30.0)
            stdout, stderr = self.engine.container_logs(container, tty=spec.tty)
        except BaseException:
            self._remove(container)
            raise
        return container, code, stdout, stderr

    def command(self, test: CommandTest, ctx: CommandEnv) -> TestResult:
        name = f"Command Test: {test.name}"
        why = self.runc_reason
        if self.runc is not None:
            try:
                result = self._command_runc(test, ctx)
                with self._lock:
                    self.paths[name] = "runc"
                return result
            except RuntimeUnsupported as exc:
                why = str(exc)
        with self._lock:
            self.paths[name] = f"engine: {why}"
        return self._command_engine(test, ctx)

    def _command_runc(self, test: CommandTest, ctx: CommandEnv) -> TestResult:
        """The test through runc; RuntimeUnsupported when only the engine can run it."""
        assert self.runc is not None
        o = ctx.options
        if o.privileged:
            raise RuntimeUnsupported("privileged")
        if o.allocate_tty:
            raise RuntimeUnsupported("allocateTty")
        timeout = test.timeout or self.settings.timeout
        extra = run_env(o, ctx.config_path)
        argv = tuple(expand_env(a, ctx.env) for a in (test.command, *test.args))
        started = time.monotonic()

        def process(args: Sequence[str], env: Sequence[str]) -> Process:
            if any(not e or e.startswith("=") or "=" not in e for e in env):
                raise RuntimeUnsupported("an env entry the engine refuses")  # its message
            return Process(tuple(args), tuple(env), o.user, tuple(o.capabilities),
                           tuple(o.bind_mounts))  # fmt: skip

        with self.runc.session() as session:
            for step in test.setup:
                # Setup runs get the test's env, never containerRunOptions' (as in CST).
                env = [f"{e.key}={expand_env(e.value, ctx.env)}" for e in test.env_vars]
                remaining = max(0.1, timeout - (time.monotonic() - started))
                if session.run(process(step, [*ctx.globals, *env]), remaining).exit_code is None:
                    return _outcome(test, "", "", None, timeout, started, ctx.schema_version)
            env = [f"{e.key}={e.value}" for e in test.env_vars]  # passed raw, as in CST
            remaining = max(0.1, timeout - (time.monotonic() - started))
            done = session.run(process(argv, [*ctx.globals, *env, *extra]), remaining)
        return _outcome(
            test, done.stdout, done.stderr, done.exit_code, timeout, started, ctx.schema_version
        )

    def _command_engine(self, test: CommandTest, ctx: CommandEnv) -> TestResult:
        timeout = test.timeout or self.settings.timeout
        extra = run_env(ctx.options, ctx.config_path)
        argv = [expand_env(a, ctx.env) for a in (test.command, *test.args)]
        started = time.monotonic()
        image = self.info.id
        own: list[str] = []
        step = "setup"
        try:
            for command in test.setup:
                # Setup containers get the test's env, never containerRunOptions' (as in CST).
                env = [f"{e.key}={expand_env(e.value, ctx.env)}" for e in test.env_vars]
                remaining = max(0.1, timeout - (time.monotonic() - started))
                spec = self._spec(image, command, [*ctx.globals, *env], ctx.options)
                container, code, _, _ = self._run(spec, remaining)
                try:
                    if code is None:  # setup exit codes are ignored, as in CST; hangs are not
                        return _outcome(test, "", "", None, timeout, started, ctx.schema_version)
                    image = self.engine.commit(container, LABELS)
                    own.append(image)
                finally:
                    self._remove(container)
            step = "command"
            env = [f"{e.key}={e.value}" for e in test.env_vars]  # passed raw, as in CST
            remaining = max(0.1, timeout - (time.monotonic() - started))
            spec = self._spec(image, argv, [*ctx.globals, *env, *extra], ctx.options)
            container, code, stdout, stderr = self._run(spec, remaining)
            self._remove(container)
        except EngineError as exc:
            if isinstance(exc, ApiError):
                message = f"Error creating container: API error ({exc.status}): {exc.detail}"
            else:
                message = f"Error creating container: {exc}"
            if step == "setup":
                return _setup_failed(test, message, started)
            return TestResult(
                f"Command Test: {test.name}",
                False,
                (message,),
                duration=time.monotonic() - started,
            )
        finally:
            if not self.settings.save:
                for created in reversed(own):
                    with contextlib.suppress(EngineError):
                        self.engine.remove_image(created, force=True)
        return _outcome(test, stdout, stderr, code, timeout, started, ctx.schema_version)


class ArchiveDriver:
    """CST's tar driver: an image archive or OCI layout; no engine, no command tests."""

    runs_commands = False

    def __init__(self, path: str, settings: RunSettings) -> None:
        from dockwright.image.layers import ImageArchive

        self.archive = ImageArchive(path, platform=settings.platform)
        config = self.archive.config
        if not isinstance(config, dict):
            raise UsageError(f"{path}: the image config is not a JSON object")
        self._config = ImageConfig.from_json(config.get("config"))

    def image_config(self) -> ImageConfig:
        return self._config

    def view(self) -> FileView:
        return ArchiveView(self.archive)

    def command(self, test: CommandTest, ctx: CommandEnv) -> TestResult:
        return _setup_failed(
            test,
            "Tar driver is unable to process commands, please use a different driver",
            time.monotonic(),
        )

    def close(self) -> None:
        self.archive.close()


class HostDriver:
    """CST's host driver: commands run on this machine; files are the host's own."""

    runs_commands = True

    def __init__(self, metadata: str, settings: RunSettings) -> None:
        self.settings = settings
        try:
            with open(metadata, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise UsageError(f"--metadata {metadata}: cannot read image config: {exc}") from None
        if not isinstance(data, dict):
            raise UsageError(f"--metadata {metadata}: expected a JSON object")
        self._config = ImageConfig.from_json(data.get("config", data))

    def image_config(self) -> ImageConfig:
        return self._config

    def view(self) -> FileView:
        return HostView()

    def _exec(
        self, argv: Sequence[str], env: dict[str, str], timeout: float
    ) -> tuple[int | None, str, str]:
        from dockwright import proc

        try:
            done = proc.run(argv, check=False, env=env, timeout=timeout)
        except CommandError as exc:
            if exc.returncode == -1:
                return None, "", ""
            return exc.returncode, "", exc.stderr
        return done.returncode, done.stdout, done.stderr

    def command(self, test: CommandTest, ctx: CommandEnv) -> TestResult:
        timeout = test.timeout or self.settings.timeout
        env = {**os.environ, **ctx.env}
        env.update({e.key: expand_env(e.value, env) for e in test.env_vars})
        started = time.monotonic()
        for step in test.setup:
            if self._exec(step, env, timeout)[0] is None:
                return _outcome(test, "", "", None, timeout, started, ctx.schema_version)
        argv = [expand_env(a, env) for a in (test.command, *test.args)]
        code, stdout, stderr = self._exec(argv, env, timeout)
        for step in test.teardown:
            self._exec(step, env, timeout)
        return _outcome(test, stdout, stderr, code, timeout, started, ctx.schema_version)

    def close(self) -> None:
        pass
