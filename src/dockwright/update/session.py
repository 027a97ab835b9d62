"""One ``dockwright update`` run, minus the rendering: which files, their dependencies, the
registries' clients, the plan, and the rewritten texts (checked before anything is written).

``dockwright.yaml`` is read by :func:`dockwright.pipeline.config.load_config`, as every
command reads it; :func:`config_source` adds what only an update needs: the file's text, and
where each build arg's value is written in it (an update of ``FROM python:${PY}`` with
``build-args: {PY: "3.12"}`` writes there).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from dockwright.config.nodes import MappingNode, Node, ScalarNode, compose
from dockwright.dockerfile.model import Dockerfile
from dockwright.dockerfile.parser import parse_bytes
from dockwright.errors import ConfigError, Problem, UsageError
from dockwright.image.ref import ImageRef
from dockwright.registry import BasicCredentials, RegistryClient
from dockwright.update.deps import Dependency, find_dependencies
from dockwright.update.plan import Plan
from dockwright.update.rewrite import apply, rewrite_dockerfile
from dockwright.update.settings import Registry
from dockwright.update.sourced import Sourced


class PublishTarget(Protocol):
    """What an update reads of an image's ``publish:`` entry."""

    @property
    def repository(self) -> str: ...
    @property
    def insecure(self) -> bool: ...
    @property
    def ca(self) -> Path | None: ...


class Image(Protocol):
    """What an update reads of an image of dockwright.yaml (``pipeline.config.ImageSpec``)."""

    @property
    def name(self) -> str: ...
    @property
    def dockerfile(self) -> Path: ...
    @property
    def build_args(self) -> Mapping[str, str]: ...
    @property
    def publish(self) -> Sequence[PublishTarget]: ...


@dataclass(frozen=True)
class ImageSource:
    name: str
    dockerfile: Path
    build_args: Mapping[str, Sourced] = field(default_factory=dict)


@dataclass(frozen=True)
class ConfigSource:
    """dockwright.yaml as an update rewrites it: ``file`` names it in locations, ``text`` is
    what was read (byte for byte), each image's build args carry where they are written, and
    ``registries`` are the hosts its ``publish:`` entries reach over plain HTTP or with a CA."""

    path: Path
    file: str
    text: str
    images: tuple[ImageSource, ...] = ()
    registries: Mapping[str, Registry] = field(default_factory=dict)


def config_source(path: Path, images: Iterable[Image]) -> ConfigSource:
    """``path`` (already loaded, so valid) and its ``images``, for an update."""
    file = shown(path)
    text = read_text(path, file)
    written = written_build_args(text, file)
    sources = []
    registries: dict[str, Registry] = {}
    for image in images:
        args = {}
        for name, value in image.build_args.items():
            found = written.get((image.name, name))
            args[name] = (
                found if found is not None and found.text == value else Sourced.nowhere(value)
            )
        sources.append(ImageSource(image.name, image.dockerfile, args))
        for target in image.publish:
            if target.insecure or target.ca is not None:
                host = ImageRef.parse(target.repository).domain
                ca = None if target.ca is None else str(target.ca)
                registries[host] = Registry(insecure=target.insecure, ca=ca)
    return ConfigSource(path, file, text, tuple(sources), registries)


def written_build_args(text: str, file: str) -> dict[tuple[str, str], Sourced]:
    """(image, build arg) -> its value where it is written in ``text``, dockwright.yaml as
    read: the composed nodes' marks give each scalar's character offsets. A value written
    otherwise than it reads (escapes, a block scalar) is left out: nowhere to edit it."""
    body = text.removeprefix("\ufeff")  # libyaml's offsets leave a byte order mark out
    shift = len(text) - len(body)
    out: dict[tuple[str, str], Sourced] = {}
    for image_key, image in _pairs(_get(compose(body, file), "images")):
        for arg_key, value in _pairs(_get(image, "build-args")):
            if not isinstance(value, ScalarNode):
                continue
            start, end = value.start_mark.index, value.end_mark.index
            if value.style in ("'", '"'):
                start, end = start + 1, end - 1
            elif value.style:  # a block scalar (| or >); plain is "" (libyaml) or None
                continue
            if body[start:end] == value.value:
                out[(image_key.value, arg_key.value)] = Sourced.at(value.value, file, start + shift)
    return out


def _get(node: Node | None, key: str) -> Node | None:
    for k, v in _pairs(node):
        if k.value == key:
            return v
    return None


def _pairs(node: Node | None) -> list[tuple[ScalarNode, Node]]:
    if not isinstance(node, MappingNode):
        return []
    return [(k, v) for k, v in node.value if isinstance(k, ScalarNode)]


@dataclass(frozen=True)
class Target:
    """A Dockerfile to update: ``file`` names it (relative to the working directory) in
    locations, messages and diffs."""

    file: str
    path: Path
    build_args: Mapping[str, Sourced] = field(default_factory=dict)


def shown(path: Path) -> str:
    """``path`` relative to the working directory when it is below it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)


def targets(files: Sequence[str], config: ConfigSource | None) -> list[Target]:
    """The files named, else the images' Dockerfiles (that exist: the config was loaded), else
    ``./Dockerfile``. A file that is an image's Dockerfile gets that image's build args."""
    by_path: dict[Path, Mapping[str, Sourced]] = {}
    for image in config.images if config else ():
        by_path.setdefault(image.dockerfile.resolve(), image.build_args)
    if files:
        out = []
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise UsageError(f"{name}: no such file")
            out.append(Target(shown(path), path, by_path.get(path.resolve(), {})))
        return out
    if config is not None and config.images:
        return [Target(shown(i.dockerfile), i.dockerfile, i.build_args) for i in config.images]
    if Path("Dockerfile").is_file():
        return [Target("Dockerfile", Path("Dockerfile"))]
    raise UsageError("no Dockerfile here; name the files to update or add a dockwright.yaml")


@dataclass
class Found:
    texts: dict[str, str] = field(default_factory=dict)  # file -> text as read
    paths: dict[str, Path] = field(default_factory=dict)
    dockerfiles: dict[str, Dockerfile] = field(default_factory=dict)
    deps: list[Dependency] = field(default_factory=list)


def read_text(path: Path, file: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{file}: cannot read: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{file}: expected UTF-8 text; found byte {data[exc.start]:#04x}"
        ) from None


def find(found_targets: Sequence[Target], config: ConfigSource | None) -> Found:
    found = Found()
    if config is not None:
        found.texts[config.file] = config.text
        found.paths[config.file] = config.path
    for target in found_targets:
        if target.file not in found.dockerfiles:
            data = target.path.read_bytes()
            df = parse_bytes(data, target.file)
            found.dockerfiles[target.file] = df
            found.texts[target.file] = df.render()
            found.paths[target.file] = target.path
        df = found.dockerfiles[target.file]
        for dep in find_dependencies(df, file=target.file, build_args=target.build_args):
            if dep not in found.deps:
                found.deps.append(dep)
    return found


def rewritten(found: Found, plan: Plan) -> dict[str, str]:
    """The new text of every file the plan changes; a Dockerfile that no longer parses, or a
    YAML file that no longer composes, is an error (nothing is written)."""
    out = {}
    for file in plan.files():
        edits = [e for e in plan.edits() if e.file == file]
        if file in found.dockerfiles:
            out[file] = rewrite_dockerfile(found.dockerfiles[file], edits).render()
        else:
            out[file] = apply(found.texts[file], edits)
            _still_yaml(file, out[file])
    return out


def _still_yaml(file: str, text: str) -> None:
    """``text`` (dockwright.yaml after the edits) still reads, duplicate keys included."""
    try:
        compose(text, file)
    except ConfigError as exc:
        broken = [
            Problem(
                f"the update would break this file: {p.message}",
                file=p.file,
                line=p.line,
                key_path=p.key_path,
            )
            for p in exc.problems
        ]
        raise ConfigError.of(broken) from None


def write(found: Found, file: str, text: str) -> None:
    found.paths[file].write_bytes(text.encode("utf-8"))


class Clients:
    """A client per registry host, made on first use, with the ``registries:`` settings
    (plain HTTP, CA) and Docker's stored credentials (``credentials(host)``, by default
    from Docker's ``config.json`` and its credential helpers)."""

    def __init__(
        self,
        registries: Mapping[str, Registry],
        credentials: Callable[[str], BasicCredentials | None] | None = None,
    ) -> None:
        self._registries = registries
        self._credentials = credentials
        self._made: dict[str, RegistryClient] = {}

    def __call__(self, host: str) -> RegistryClient:
        if host not in self._made:
            reg = self._registries.get(host, Registry())
            if self._credentials is not None:
                creds = self._credentials(host)
            else:
                from dockwright.registry.credentials import credentials_from_docker_config

                creds = credentials_from_docker_config(host)
            self._made[host] = RegistryClient(
                host, insecure=reg.insecure, ca=reg.ca, credentials=creds
            )
        return self._made[host]

    def close(self) -> None:
        for client in self._made.values():
            client.close()
        self._made.clear()
