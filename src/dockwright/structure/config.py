"""container-structure-test config files (schema 2.0.0, and 1.0.0's list-form ``command``).

As in CST, the format follows the extension: ``.yaml``/``.yml`` are strict (an unknown key is an
error) and ``.json`` is not. Unlike CST, which turns a bad file into a nameless failing result,
a bad file is a :class:`ConfigError` listing every problem, each naming the file, line and key
path, raised before any container starts; that includes a duplicate key (also in JSON, where
CST keeps the last) and a regular expression RE2 cannot compile (CST fails only that test).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar, cast

from dockwright.errors import ConfigError

if TYPE_CHECKING:
    from dockwright.config.schema import Ctx, KeyPath, Map

SCHEMA_VERSIONS = ("1.0.0", "2.0.0")
T = TypeVar("T")


@dataclass(frozen=True)
class EnvVar:
    key: str
    value: str = ""
    is_regex: bool = False


@dataclass(frozen=True)
class CommandTest:
    name: str
    command: str
    args: tuple[str, ...] = ()
    env_vars: tuple[EnvVar, ...] = ()
    setup: tuple[tuple[str, ...], ...] = ()
    teardown: tuple[tuple[str, ...], ...] = ()
    expected_output: tuple[str, ...] = ()
    excluded_output: tuple[str, ...] = ()
    expected_error: tuple[str, ...] = ()
    excluded_error: tuple[str, ...] = ()
    exit_code: int = 0
    timeout: float | None = None  # seconds; a dockwright key (CST has none and rejects it)


@dataclass(frozen=True)
class FileExistenceTest:
    name: str
    path: str
    should_exist: bool = True
    permissions: str = ""
    uid: int = -1
    gid: int = -1
    is_executable_by: str = ""


@dataclass(frozen=True)
class FileContentTest:
    name: str
    path: str
    expected_contents: tuple[str, ...] = ()
    excluded_contents: tuple[str, ...] = ()


@dataclass(frozen=True)
class MetadataTest:
    env_vars: tuple[EnvVar, ...] = ()
    unbound_env_vars: tuple[str, ...] = ()
    labels: tuple[EnvVar, ...] = ()
    entrypoint: tuple[str, ...] | None = None
    cmd: tuple[str, ...] | None = None
    workdir: str = ""
    user: str = ""
    exposed_ports: tuple[str, ...] = ()
    unexposed_ports: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    unmounted_volumes: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return self == MetadataTest()


@dataclass(frozen=True)
class LicenseTest:
    debian: bool = False
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContainerRunOptions:
    user: str = ""
    privileged: bool = False
    allocate_tty: bool = False
    env_file: str = ""
    env_vars: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    bind_mounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class StructureConfig:
    path: str
    schema_version: str
    global_env_vars: tuple[EnvVar, ...] = ()
    command_tests: tuple[CommandTest, ...] = ()
    file_existence_tests: tuple[FileExistenceTest, ...] = ()
    file_content_tests: tuple[FileContentTest, ...] = ()
    metadata_test: MetadataTest = field(default_factory=MetadataTest)
    license_tests: tuple[LicenseTest, ...] = ()
    container_run_options: ContainerRunOptions = field(default_factory=ContainerRunOptions)

    @property
    def test_count(self) -> int:
        return (
            len(self.command_tests)
            + len(self.file_existence_tests)
            + len(self.file_content_tests)
            + len(self.license_tests)
            + (0 if self.metadata_test.is_empty() else 1)
        )


# -- reading ----------------------------------------------------------------------------------

Raw = dict[str, object]


@lru_cache(maxsize=4)
def _schema(strict: bool, version: str) -> Map:
    """The file's schema as data. YAML (``strict``) is read as Go's YAML decoder reads it:
    a number or boolean given for a string keeps its text (``1.10`` stays "1.10"); JSON takes
    strings only. A key with no value is a key not set; a null in a list of strings is ""."""
    from dockwright.config.schema import Bool, Field, Int, Map, Number, Seq, Str

    text = Str(coerce=strict, null="")
    texts = Seq(text)

    def fields(*names: str) -> tuple[Field, ...]:
        return tuple(Field(n, texts) for n in names)

    def m(*fields: Field) -> Map:
        return Map(fields, strict=strict, null_unset=True)

    env = m(Field("key", text), Field("value", text), Field("isRegex", Bool()))
    command = m(
        Field("name", text),
        Field("command", texts if version == "1.0.0" else text),  # 1.0.0: the whole argv
        *fields("args", "expectedOutput", "excludedOutput", "expectedError", "excludedError"),
        Field("setup", Seq(texts)),
        Field("teardown", Seq(texts)),
        Field("envVars", Seq(env)),
        Field("exitCode", Int()),
        Field("timeout", Number("a positive number of seconds")),  # ours; CST has none
    )
    existence = m(
        *(Field(n, text) for n in ("name", "path", "permissions", "isExecutableBy")),
        Field("shouldExist", Bool()),
        Field("uid", Int()),
        Field("gid", Int()),
    )
    content = m(
        Field("name", text), Field("path", text), *fields("expectedContents", "excludedContents")
    )
    metadata = m(
        *(Field(n, Seq(env)) for n in ("envVars", "unboundEnvVars", "labels")),
        *fields("exposedPorts", "unexposedPorts", "volumes", "unmountedVolumes"),
        *fields("entrypoint", "cmd"),
        Field("workdir", text),
        Field("user", text),
    )
    run_options = m(
        Field("user", text),
        Field("envFile", text),
        Field("privileged", Bool()),
        Field("allocateTty", Bool()),
        *fields("envVars", "capabilities", "bindMounts"),
    )
    return m(
        Field("schemaVersion", text),
        Field("globalEnvVars", Seq(m(Field("key", text), Field("value", text)))),
        Field("commandTests", Seq(command)),
        Field("fileExistenceTests", Seq(existence)),
        Field("fileContentTests", Seq(content)),
        Field("metadataTest", metadata),
        Field("licenseTests", Seq(m(Field("debian", Bool()), Field("files", texts)))),
        Field("containerRunOptions", run_options),
    )


class _Reader:
    """Typed tests from the checked values, with the rules a schema does not say (non-empty
    names, paths and commands; env vars; regular expressions), each a problem in ``ctx``."""

    def __init__(self, ctx: Ctx, strict: bool, version: str) -> None:
        self.ctx = ctx
        self.strict = strict
        self.version = version

    def each(self, raw: Raw, key: str, read: Callable[[Raw, KeyPath], T]) -> tuple[T, ...]:
        """``read`` over the items of list ``key`` that passed the schema (failed ones are None)."""
        items = cast(list[Raw | None], raw.get(key, []))
        return tuple(read(item, (key, i)) for i, item in enumerate(items) if item is not None)

    def strings(self, raw: Raw, key: str) -> tuple[str, ...]:
        return tuple(cast(list[str], raw.get(key, [])))

    def missing(self, raw: Raw, path: KeyPath, key: str) -> bool:
        """``key`` is empty and not already explained by a misspelt key ("did you mean")."""
        from dockwright.config.schema import render_path

        if raw.get(key):
            return False
        inside, hint = render_path(path) + ".", f"did you mean {key!r}?"
        return not any(
            (p.key_path or "").startswith(inside) and p.message.endswith(hint)
            for p in self.ctx.problems
        )

    def name(self, raw: Raw, path: KeyPath) -> str:
        name = cast(str, raw.get("name", ""))
        if self.missing(raw, path, "name"):
            self.ctx.report(
                (*path, "name"), "expected a non-empty test name; found none", near=path
            )
        return name

    def path(self, raw: Raw, path: KeyPath, name: str) -> str:
        value = cast(str, raw.get("path", ""))
        if self.missing(raw, path, "path"):
            self.ctx.report(
                (*path, "path"), f"expected a file path for test {name!r}; found none", near=path
            )
        return value

    def patterns(self, raw: Raw, path: KeyPath, key: str, whose: str) -> tuple[str, ...]:
        out = self.strings(raw, key)
        for i, pattern in enumerate(out):
            self.regex(pattern, (*path, key, i), whose)
        return out

    def regex(self, pattern: str, path: KeyPath, whose: str) -> None:
        """A pattern RE2 cannot compile is a problem here; CST would fail only that test."""
        from dockwright.structure.regex import regex_error

        error = regex_error(pattern)
        if error is not None:
            self.ctx.report(
                path,
                f"expected a regular expression (RE2) for {whose}; found {pattern!r} ({error})",
            )

    def env_vars(
        self, raw: Raw, path: KeyPath, key: str, *, value: bool = False, whose: str = ""
    ) -> tuple[EnvVar, ...]:
        """``value``: the value must be non-empty too; ``whose``: values with isRegex are
        regular expressions (metadata tests)."""
        out = []
        for item, here in self.each_with_path(raw, path, key):
            env = EnvVar(
                key=cast(str, item.get("key", "")),
                value=cast(str, item.get("value", "")),
                is_regex=cast(bool, item.get("isRegex", False)),
            )
            if not env.key or (value and not env.value):
                what = "a non-empty key and value for every env var" if value else "a non-empty key"
                self.ctx.report(here, f"expected {what}; found {_shown(env)}")
            if whose and env.is_regex:
                self.regex(env.value, (*here, "value"), whose)
            out.append(env)
        return tuple(out)

    def each_with_path(self, raw: Raw, path: KeyPath, key: str) -> list[tuple[Raw, KeyPath]]:
        items = cast(list[Raw | None], raw.get(key, []))
        return [(item, (*path, key, i)) for i, item in enumerate(items) if item is not None]

    def command_test(self, raw: Raw, path: KeyPath) -> CommandTest:
        name = self.name(raw, path)
        if self.version == "1.0.0":
            argv = self.strings(raw, "command")
            command, args = (argv[0], argv[1:]) if argv else ("", ())
        else:
            command, args = cast(str, raw.get("command", "")), self.strings(raw, "args")
        if not command and self.missing(raw, path, "command"):
            self.ctx.report(
                (*path, "command"),
                f"expected a command to run for test {name!r}; found none",
                near=path,
            )

        def argvs(key: str) -> tuple[tuple[str, ...], ...]:
            out = tuple(tuple(a) for a in cast(list[list[str] | None], raw.get(key, [])) if a)
            for i, argv in enumerate(cast(list[object], raw.get(key, []))):
                if argv == []:
                    self.ctx.report((*path, key, i), f"expected a non-empty command in {key}")
            return out

        whose = f"test {name!r}"
        return CommandTest(
            name=name,
            command=command,
            args=args,
            env_vars=self.env_vars(raw, path, "envVars", value=True),
            setup=argvs("setup"),
            teardown=argvs("teardown"),
            expected_output=self.patterns(raw, path, "expectedOutput", whose),
            excluded_output=self.patterns(raw, path, "excludedOutput", whose),
            expected_error=self.patterns(raw, path, "expectedError", whose),
            excluded_error=self.patterns(raw, path, "excludedError", whose),
            exit_code=cast(int, raw.get("exitCode", 0)),
            timeout=cast(float | None, raw.get("timeout")),
        )

    def file_existence_test(self, raw: Raw, path: KeyPath) -> FileExistenceTest:
        name = self.name(raw, path)
        # CST's YAML defaults (shouldExist true, uid/gid unchecked) do not apply to JSON configs.
        yaml_defaults = self.strict
        return FileExistenceTest(
            name=name,
            path=self.path(raw, path, name),
            should_exist=cast(bool, raw.get("shouldExist", yaml_defaults)),
            permissions=cast(str, raw.get("permissions", "")),
            uid=cast(int, raw.get("uid", -1 if yaml_defaults else 0)),
            gid=cast(int, raw.get("gid", -1 if yaml_defaults else 0)),
            is_executable_by=cast(str, raw.get("isExecutableBy", "")),
        )

    def file_content_test(self, raw: Raw, path: KeyPath) -> FileContentTest:
        name = self.name(raw, path)
        whose = f"test {name!r}"
        return FileContentTest(
            name=name,
            path=self.path(raw, path, name),
            expected_contents=self.patterns(raw, path, "expectedContents", whose),
            excluded_contents=self.patterns(raw, path, "excludedContents", whose),
        )

    def metadata_test(self, raw: Raw) -> MetadataTest:
        path: KeyPath = ("metadataTest",)

        def non_empty(key: str) -> tuple[str, ...]:
            out = self.strings(raw, key)
            for i, value in enumerate(out):
                if not value:
                    self.ctx.report((*path, key, i), "expected a non-empty value; found ''")
            return out

        whose = "the metadata test"
        unbound = self.env_vars(raw, path, "unboundEnvVars")
        entrypoint, cmd = raw.get("entrypoint"), raw.get("cmd")
        return MetadataTest(
            env_vars=self.env_vars(raw, path, "envVars", whose=whose),
            unbound_env_vars=tuple(e.key for e in unbound),
            labels=self.env_vars(raw, path, "labels", whose=whose),
            entrypoint=None if entrypoint is None else tuple(cast(list[str], entrypoint)),
            cmd=None if cmd is None else tuple(cast(list[str], cmd)),
            workdir=cast(str, raw.get("workdir", "")),
            user=cast(str, raw.get("user", "")),
            exposed_ports=non_empty("exposedPorts"),
            unexposed_ports=non_empty("unexposedPorts"),
            volumes=non_empty("volumes"),
            unmounted_volumes=non_empty("unmountedVolumes"),
        )


def _shown(env: EnvVar) -> str:
    return f"key {env.key!r}, value {env.value!r}"


SCHEMA_TOP = "schemaVersion"


def parse_config(text: str, file: str) -> StructureConfig:
    """Parse one config's text; ``file``'s extension picks YAML (strict) or JSON."""
    from dockwright.config.nodes import MappingNode, compose, compose_json, line_of
    from dockwright.config.schema import Ctx, Str

    ctx = Ctx(file)
    ext = os.path.splitext(file)[1].lower()
    if ext in (".yaml", ".yml"):
        strict = True
        root = compose(text, file, problems=ctx.problems, merge_keys=True)
    elif ext == ".json":
        strict = False
        root = compose_json(text, file, problems=ctx.problems)
    else:
        raise ConfigError(
            f"expected a .yaml, .yml or .json structure test file, found extension {ext!r}",
            file=file,
        )
    if root is not None and not isinstance(root, MappingNode):
        ctx.check(_schema(strict, "2.0.0"), root)  # "expected a mapping; found ..."
        ctx.raise_problems()
    # Read schemaVersion before anything else, as CST does: it decides the rest.
    pairs = [] if root is None else [(k, v) for k, v in root.value if k.value == SCHEMA_TOP]
    version = ""
    if pairs:
        version = cast(str, ctx.check(Str(coerce=strict, null=""), pairs[-1][1], (SCHEMA_TOP,)))
        ctx.raise_problems()
    line = line_of(pairs[-1][1]) if pairs else (line_of(root) if root is not None else 1)
    if not version:
        raise ConfigError(
            'expected a schemaVersion ("2.0.0"), found none',
            file=file,
            line=line,
            key_path=SCHEMA_TOP,
        )
    if version not in SCHEMA_VERSIONS:
        raise ConfigError(
            f"unsupported schema version {version!r}; expected one of {', '.join(SCHEMA_VERSIONS)}",
            file=file,
            line=line,
            key_path=SCHEMA_TOP,
        )
    assert root is not None
    raw = cast(Raw, ctx.check(_schema(strict, version), root) or {})
    r = _Reader(ctx, strict, version)
    config = StructureConfig(
        path=file,
        schema_version=version,
        global_env_vars=r.env_vars(raw, (), "globalEnvVars"),
        command_tests=r.each(raw, "commandTests", r.command_test),
        file_existence_tests=r.each(raw, "fileExistenceTests", r.file_existence_test),
        file_content_tests=r.each(raw, "fileContentTests", r.file_content_test),
        metadata_test=r.metadata_test(cast(Raw, raw.get("metadataTest", {}))),
        license_tests=tuple(
            LicenseTest(debian=cast(bool, t.get("debian", False)), files=r.strings(t, "files"))
            for t, _ in r.each_with_path(raw, (), "licenseTests")
        ),
        container_run_options=_run_options(cast(Raw, raw.get("containerRunOptions", {}))),
    )
    ctx.raise_problems()
    return config


def _run_options(raw: Raw) -> ContainerRunOptions:
    return ContainerRunOptions(
        user=cast(str, raw.get("user", "")),
        privileged=cast(bool, raw.get("privileged", False)),
        allocate_tty=cast(bool, raw.get("allocateTty", False)),
        env_file=cast(str, raw.get("envFile", "")),
        env_vars=tuple(cast(list[str], raw.get("envVars", []))),
        capabilities=tuple(cast(list[str], raw.get("capabilities", []))),
        bind_mounts=tuple(cast(list[str], raw.get("bindMounts", []))),
    )


def load_config(path: str) -> StructureConfig:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise ConfigError(f"cannot read structure test file: {exc.strerror}", file=path) from None
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start]
        raise ConfigError(f"expected UTF-8 text; found byte {bad:#04x}", file=path) from None
    return parse_config(text, path)
