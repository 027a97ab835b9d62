"""container-structure-test config files (schema 2.0.0, and 1.0.0's list-form ``command``).

As in CST, the format follows the extension: ``.yaml``/``.yml`` are strict (an unknown key is an
error) and ``.json`` is not. Unlike CST, which turns a bad file into a nameless failing result,
every problem here is a :class:`ConfigError` naming the file, line and key path, raised before
any container starts.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml

from dockwright.errors import ConfigError

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


# -- a tree of values that remembers where each came from --------------------------------------


@dataclass(frozen=True)
class _Node:
    value: Any  # dict[str, _Node] | list[_Node] | scalar
    line: int | None
    raw: str | None = None  # the scalar's source text (YAML), for string fields given numbers


def _from_yaml(node: yaml.Node, loader: yaml.SafeLoader) -> _Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[str, _Node] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            out[str(key)] = _from_yaml(value_node, loader)
        return _Node(out, line)
    if isinstance(node, yaml.SequenceNode):
        return _Node([_from_yaml(item, loader) for item in node.value], line)
    return _Node(loader.construct_object(node, deep=True), line, str(node.value))


def _from_plain(value: Any) -> _Node:
    if isinstance(value, dict):
        return _Node({str(k): _from_plain(v) for k, v in value.items()}, None)
    if isinstance(value, list):
        return _Node([_from_plain(v) for v in value], None)
    return _Node(value, None)


def _compose(text: str, file: str) -> _Node:
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        return _Node({}, 1) if root is None else _from_yaml(root, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ConfigError(
            f"expected valid YAML, found a syntax error: {exc.problem or exc}",
            file=file,
            line=mark.line + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"expected valid YAML: {exc}", file=file) from None
    finally:
        loader.dispose()


def _parse_json(text: str, file: str) -> _Node:
    try:
        value = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(f"expected valid JSON, found: {exc}", file=file, line=line) from None
    # JSON is (nearly) YAML: compose it again only to learn line numbers.
    try:
        return _compose(text, file)
    except ConfigError:
        return _from_plain(value)


# -- reading typed fields -------------------------------------------------------------------


_KIND = {dict: "a mapping", list: "a list", str: "a string", int: "an integer", bool: "a boolean"}


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


class _Reader:
    def __init__(self, file: str, strict: bool) -> None:
        self.file = file
        self.strict = strict

    def error(self, node: _Node | None, path: str, message: str) -> ConfigError:
        return ConfigError(message, file=self.file, line=node.line if node else None, key_path=path)

    def mapping(self, node: _Node, path: str, allowed: tuple[str, ...]) -> dict[str, _Node]:
        if not isinstance(node.value, dict):
            raise self.error(node, path, f"expected a mapping, found {_describe(node.value)}")
        if self.strict:
            for key, child in node.value.items():
                if key not in allowed:
                    raise self.error(
                        child,
                        f"{path}.{key}" if path else key,
                        f"unknown key {key!r}; expected one of: {', '.join(allowed)}",
                    )
        return node.value

    def string(self, node: _Node | None, path: str, default: str = "") -> str:
        if node is None or node.value is None:
            return default
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, int | float) and node.raw is not None:
            return node.raw  # Go's YAML decoder accepts any scalar for a string field
        raise self.error(node, path, f"expected a string, found {_describe(node.value)}")

    def integer(self, node: _Node | None, path: str, default: int) -> int:
        if node is None or node.value is None:
            return default
        if isinstance(node.value, int) and not isinstance(node.value, bool):
            return node.value
        if isinstance(node.value, float) and node.value.is_integer() and node.raw is None:
            return int(node.value)  # JSON numbers
        raise self.error(node, path, f"expected an integer, found {_describe(node.value)}")

    def boolean(self, node: _Node | None, path: str, default: bool) -> bool:
        if node is None or node.value is None:
            return default
        if isinstance(node.value, bool):
            return node.value
        raise self.error(node, path, f"expected true or false, found {_describe(node.value)}")

    def items(self, node: _Node | None, path: str) -> list[tuple[str, _Node]]:
        if node is None or node.value is None:
            return []
        if not isinstance(node.value, list):
            raise self.error(node, path, f"expected a list, found {_describe(node.value)}")
        return [(f"{path}[{i}]", item) for i, item in enumerate(node.value)]

    def strings(self, node: _Node | None, path: str) -> tuple[str, ...]:
        return tuple(self.string(item, p) for p, item in self.items(node, path))

    def optional_strings(self, node: _Node | None, path: str) -> tuple[str, ...] | None:
        if node is None or node.value is None:
            return None
        return self.strings(node, path)

    def each(self, node: _Node | None, path: str, read: Callable[[_Node, str], T]) -> tuple[T, ...]:
        return tuple(read(item, p) for p, item in self.items(node, path))


def _env_var(r: _Reader, node: _Node, path: str, *, regex: bool = True) -> EnvVar:
    keys = ("key", "value", "isRegex") if regex else ("key", "value")
    m = r.mapping(node, path, keys)
    return EnvVar(
        key=r.string(m.get("key"), f"{path}.key"),
        value=r.string(m.get("value"), f"{path}.value"),
        is_regex=r.boolean(m.get("isRegex"), f"{path}.isRegex", False) if regex else False,
    )


def _require_name(r: _Reader, m: Mapping[str, _Node], node: _Node, path: str) -> str:
    name = r.string(m.get("name"), f"{path}.name")
    if not name:
        raise r.error(node, f"{path}.name", "expected a non-empty test name, found none")
    return name


def _command_test(r: _Reader, node: _Node, path: str, schema: str) -> CommandTest:
    m = r.mapping(
        node,
        path,
        (
            "name", "setup", "teardown", "envVars", "exitCode", "command", "args",
            "expectedOutput", "excludedOutput", "expectedError", "excludedError", "timeout",
        ),
    )  # fmt: skip
    name = _require_name(r, m, node, path)
    if schema == "1.0.0":  # 1.0.0 writes the whole argv as a list
        argv = r.strings(m.get("command"), f"{path}.command")
        command, args = (argv[0], argv[1:]) if argv else ("", ())
    else:
        command = r.string(m.get("command"), f"{path}.command")
        args = r.strings(m.get("args"), f"{path}.args")
    if not command:
        raise r.error(node, f"{path}.command", f"expected a command to run for test {name!r}")

    def argvs(key: str) -> tuple[tuple[str, ...], ...]:
        out = []
        for p, item in r.items(m.get(key), f"{path}.{key}"):
            argv = r.strings(item, p)
            if not argv:
                raise r.error(item, p, f"expected a non-empty command in {key}, found none")
            out.append(argv)
        return tuple(out)

    env_vars = r.each(m.get("envVars"), f"{path}.envVars", lambda n, p: _env_var(r, n, p))
    for (p, item), env in zip(r.items(m.get("envVars"), f"{path}.envVars"), env_vars, strict=True):
        if not env.key or not env.value:
            raise r.error(item, p, "expected a non-empty key and value for every env var")
    return CommandTest(
        name=name,
        command=command,
        args=args,
        env_vars=env_vars,
        setup=argvs("setup"),
        teardown=argvs("teardown"),
        expected_output=r.strings(m.get("expectedOutput"), f"{path}.expectedOutput"),
        excluded_output=r.strings(m.get("excludedOutput"), f"{path}.excludedOutput"),
        expected_error=r.strings(m.get("expectedError"), f"{path}.expectedError"),
        excluded_error=r.strings(m.get("excludedError"), f"{path}.excludedError"),
        exit_code=r.integer(m.get("exitCode"), f"{path}.exitCode", 0),
        timeout=_timeout(r, m.get("timeout"), f"{path}.timeout"),
    )


def _timeout(r: _Reader, node: _Node | None, path: str) -> float | None:
    if node is None or node.value is None:
        return None
    value = node.value
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise r.error(node, path, f"expected a positive number of seconds, found {_describe(value)}")


def _license_test(r: _Reader, node: _Node, path: str) -> LicenseTest:
    m = r.mapping(node, path, ("debian", "files"))
    return LicenseTest(
        debian=r.boolean(m.get("debian"), f"{path}.debian", False),
        files=r.strings(m.get("files"), f"{path}.files"),
    )


def _file_existence_test(r: _Reader, node: _Node, path: str) -> FileExistenceTest:
    m = r.mapping(
        node, path, ("name", "path", "shouldExist", "permissions", "uid", "gid", "isExecutableBy")
    )
    name = _require_name(r, m, node, path)
    file_path = r.string(m.get("path"), f"{path}.path")
    if not file_path:
        raise r.error(node, f"{path}.path", f"expected a file path for test {name!r}")
    # CST's YAML defaults (shouldExist true, uid/gid unchecked) do not apply to JSON configs.
    yaml_defaults = r.strict
    return FileExistenceTest(
        name=name,
        path=file_path,
        should_exist=r.boolean(m.get("shouldExist"), f"{path}.shouldExist", yaml_defaults),
        permissions=r.string(m.get("permissions"), f"{path}.permissions"),
        uid=r.integer(m.get("uid"), f"{path}.uid", -1 if yaml_defaults else 0),
        gid=r.integer(m.get("gid"), f"{path}.gid", -1 if yaml_defaults else 0),
        is_executable_by=r.string(m.get("isExecutableBy"), f"{path}.isExecutableBy"),
    )


def _file_content_test(r: _Reader, node: _Node, path: str) -> FileContentTest:
    m = r.mapping(node, path, ("name", "path", "expectedContents", "excludedContents"))
    name = _require_name(r, m, node, path)
    file_path = r.string(m.get("path"), f"{path}.path")
    if not file_path:
        raise r.error(node, f"{path}.path", f"expected a file path for test {name!r}")
    return FileContentTest(
        name=name,
        path=file_path,
        expected_contents=r.strings(m.get("expectedContents"), f"{path}.expectedContents"),
        excluded_contents=r.strings(m.get("excludedContents"), f"{path}.excludedContents"),
    )


def _metadata_test(r: _Reader, node: _Node | None, path: str) -> MetadataTest:
    if node is None or node.value is None:
        return MetadataTest()
    m = r.mapping(
        node,
        path,
        (
            "envVars", "unboundEnvVars", "exposedPorts", "unexposedPorts", "entrypoint", "cmd",
            "workdir", "volumes", "unmountedVolumes", "labels", "user",
        ),
    )  # fmt: skip

    def keyed(key: str) -> tuple[EnvVar, ...]:
        out = r.each(m.get(key), f"{path}.{key}", lambda n, p: _env_var(r, n, p))
        for (p, item), env in zip(r.items(m.get(key), f"{path}.{key}"), out, strict=True):
            if not env.key:
                raise r.error(item, p, "expected a non-empty key")
        return out

    def non_empty(key: str) -> tuple[str, ...]:
        out = r.strings(m.get(key), f"{path}.{key}")
        for (p, item), value in zip(r.items(m.get(key), f"{path}.{key}"), out, strict=True):
            if not value:
                raise r.error(item, p, "expected a non-empty value")
        return out

    unbound = r.each(
        m.get("unboundEnvVars"), f"{path}.unboundEnvVars", lambda n, p: _env_var(r, n, p)
    )
    return MetadataTest(
        env_vars=keyed("envVars"),
        unbound_env_vars=tuple(e.key for e in unbound),
        labels=keyed("labels"),
        entrypoint=r.optional_strings(m.get("entrypoint"), f"{path}.entrypoint"),
        cmd=r.optional_strings(m.get("cmd"), f"{path}.cmd"),
        workdir=r.string(m.get("workdir"), f"{path}.workdir"),
        user=r.string(m.get("user"), f"{path}.user"),
        exposed_ports=non_empty("exposedPorts"),
        unexposed_ports=non_empty("unexposedPorts"),
        volumes=non_empty("volumes"),
        unmounted_volumes=non_empty("unmountedVolumes"),
    )


def _run_options(r: _Reader, node: _Node | None, path: str) -> ContainerRunOptions:
    if node is None or node.value is None:
        return ContainerRunOptions()
    m = r.mapping(
        node,
        path,
        ("user", "privileged", "allocateTty", "envFile", "envVars", "capabilities", "bindMounts"),
    )
    return ContainerRunOptions(
        user=r.string(m.get("user"), f"{path}.user"),
        privileged=r.boolean(m.get("privileged"), f"{path}.privileged", False),
        allocate_tty=r.boolean(m.get("allocateTty"), f"{path}.allocateTty", False),
        env_file=r.string(m.get("envFile"), f"{path}.envFile"),
        env_vars=r.strings(m.get("envVars"), f"{path}.envVars"),
        capabilities=r.strings(m.get("capabilities"), f"{path}.capabilities"),
        bind_mounts=r.strings(m.get("bindMounts"), f"{path}.bindMounts"),
    )


TOP_KEYS = (
    "schemaVersion", "globalEnvVars", "commandTests", "fileExistenceTests", "fileContentTests",
    "metadataTest", "licenseTests", "containerRunOptions",
)  # fmt: skip


def parse_config(text: str, file: str) -> StructureConfig:
    """Parse one config's text; ``file``'s extension picks YAML (strict) or JSON."""
    ext = os.path.splitext(file)[1].lower()
    if ext in (".yaml", ".yml"):
        root, strict = _compose(text, file), True
    elif ext == ".json":
        root, strict = _parse_json(text, file), False
    else:
        raise ConfigError(
            f"expected a .yaml, .yml or .json structure test file, found extension {ext!r}",
            file=file,
        )
    r = _Reader(file, strict)
    # Read schemaVersion before anything else, as CST does.
    if not isinstance(root.value, dict):
        raise r.error(root, "", f"expected a mapping at the top, found {_describe(root.value)}")
    version_node = root.value.get("schemaVersion")
    version = r.string(version_node, "schemaVersion")
    if not version:
        raise r.error(root, "schemaVersion", 'expected a schemaVersion ("2.0.0"), found none')
    if version not in SCHEMA_VERSIONS:
        raise r.error(
            version_node,
            "schemaVersion",
            f"unsupported schema version {version!r}; expected one of {', '.join(SCHEMA_VERSIONS)}",
        )
    m = r.mapping(root, "", TOP_KEYS)
    global_env = r.each(
        m.get("globalEnvVars"), "globalEnvVars", lambda n, p: _env_var(r, n, p, regex=False)
    )
    return StructureConfig(
        path=file,
        schema_version=version,
        global_env_vars=global_env,
        command_tests=r.each(
            m.get("commandTests"), "commandTests", lambda n, p: _command_test(r, n, p, version)
        ),
        file_existence_tests=r.each(
            m.get("fileExistenceTests"),
            "fileExistenceTests",
            lambda n, p: _file_existence_test(r, n, p),
        ),
        file_content_tests=r.each(
            m.get("fileContentTests"), "fileContentTests", lambda n, p: _file_content_test(r, n, p)
        ),
        metadata_test=_metadata_test(r, m.get("metadataTest"), "metadataTest"),
        license_tests=r.each(
            m.get("licenseTests"), "licenseTests", lambda n, p: _license_test(r, n, p)
        ),
        container_run_options=_run_options(r, m.get("containerRunOptions"), "containerRunOptions"),
    )


def load_config(path: str) -> StructureConfig:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise ConfigError(f"cannot read structure test file: {exc.strerror}", file=path) from None
    return parse_config(text, path)
