"""One ``dockwright update`` run, minus the rendering: which files, their dependencies, the
registries' clients, the plan, and the rewritten texts (checked before anything is written).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dockwright.dockerfile.model import Dockerfile
from dockwright.dockerfile.parser import parse_bytes
from dockwright.errors import ConfigError, UsageError
from dockwright.registry import BasicCredentials, RegistryClient
from dockwright.update.deps import Dependency, find_dependencies
from dockwright.update.plan import Plan
from dockwright.update.rewrite import apply, rewrite_dockerfile
from dockwright.update.settings import Registry
from dockwright.update.sourced import Sourced
from dockwright.update.yamlsource import ConfigSource


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
    """The files named, else the images' Dockerfiles, else ``./Dockerfile``. A file that
    is an image's Dockerfile gets that image's build args."""
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
    if config is not None:
        found = []
        for image in config.images:
            if not image.dockerfile.is_file():
                raise ConfigError(
                    f"expected an existing file; found no file at {image.dockerfile}",
                    file=shown(config.path),
                    key_path=f"images.{image.name}.dockerfile",
                )
            found.append(Target(shown(image.dockerfile), image.dockerfile, image.build_args))
        if found:
            return found
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
        name = shown(config.path)
        found.texts[name] = read_text(config.path, name)
        found.paths[name] = config.path
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
    import yaml

    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"the update would break this file: {exc}", file=file) from None


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
                from dockwright.registry.dockerconfig import DockerConfig

                creds = DockerConfig.load().credentials(host)
            self._made[host] = RegistryClient(
                host, insecure=reg.insecure, ca=reg.ca, credentials=creds
            )
        return self._made[host]

    def close(self) -> None:
        for client in self._made.values():
            client.close()
        self._made.clear()
