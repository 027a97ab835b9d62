"""What ``dockwright update`` reads from ``dockwright.yaml``: the ``update:`` section (with
the line of every key, for error messages), each image's Dockerfile, its build args with
where their values are written (an update of ``FROM python:${PY}`` with ``build-args:
{PY: "3.12"}`` writes there), and which registries its ``publish:`` entries reach over plain
HTTP or with their own CA.

Only these parts are read; the rest of the file is the config layer's to validate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dockwright.errors import ConfigError
from dockwright.update.settings import Registry, UpdateSettings, parse_settings
from dockwright.update.sourced import Sourced


@dataclass(frozen=True)
class ImageSource:
    name: str
    dockerfile: Path
    build_args: dict[str, Sourced] = field(default_factory=dict)


@dataclass(frozen=True)
class ConfigSource:
    path: Path
    update: object = None  # the ``update:`` section as plain data, None when absent
    lines: dict[str, int] = field(default_factory=dict)  # key path -> line
    images: tuple[ImageSource, ...] = ()
    registries: dict[str, Registry] = field(default_factory=dict)  # from publish entries


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _key_lines(node: Node, path: str, out: dict[str, int]) -> None:
    out[path] = _line(node)
    if isinstance(node, MappingNode):
        for key, value in node.value:
            name = str(key.value) if isinstance(key, ScalarNode) else "?"
            _key_lines(value, f"{path}.{name}", out)
            out[f"{path}.{name}"] = _line(key)  # a key's own line, not its value's
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _key_lines(item, f"{path}[{i}]", out)


def _get(node: Node | None, key: str) -> Node | None:
    if not isinstance(node, MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == key:
            found: Node = v
            return found
    return None


def _scalar_text(node: Node | None) -> str | None:
    return node.value if isinstance(node, ScalarNode) else None


def _sourced(node: ScalarNode, text: str, file: str) -> Sourced:
    """The scalar's value with its characters' offsets, when written as it reads."""
    start, end = node.start_mark.index, node.end_mark.index
    value = node.value
    if node.style is None and text[start:end] == value:
        return Sourced.at(value, file, start)
    if node.style in ("'", '"') and text[start + 1 : end - 1] == value:
        return Sourced.at(value, file, start + 1)
    return Sourced.nowhere(value)


def read_config(path: Path, file: str) -> ConfigSource:
    """Read ``path``; ``file`` names it in messages and locations."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", file=file) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"expected UTF-8 text; found byte {exc.object[exc.start]:#04x}",
                          file=file) from None  # fmt: skip
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ConfigError(
            f"invalid YAML: {exc.problem}", file=file, line=mark.line + 1 if mark else None
        ) from None
    if root is None:
        return ConfigSource(path)
    if not isinstance(root, MappingNode) or not isinstance(data, dict):
        raise ConfigError("expected a mapping", file=file, line=_line(root))
    lines: dict[str, int] = {}
    update_node = _get(root, "update")
    if update_node is not None:
        _key_lines(update_node, "update", lines)
        lines["update"] = _line(update_node)
    base = path.resolve().parent
    images: list[ImageSource] = []
    registries: dict[str, Registry] = {}
    images_node = _get(root, "images")
    if isinstance(images_node, MappingNode):
        for key, spec in images_node.value:
            name = str(key.value)
            context = _scalar_text(_get(spec, "context")) or "."
            dockerfile = _scalar_text(_get(spec, "dockerfile")) or "Dockerfile"
            args: dict[str, Sourced] = {}
            args_node = _get(spec, "build-args")
            if isinstance(args_node, MappingNode):
                for k, v in args_node.value:
                    if isinstance(k, ScalarNode) and isinstance(v, ScalarNode):
                        args[str(k.value)] = _sourced(v, text, file)
            images.append(ImageSource(name, base / context / dockerfile, args))
            publish = _get(spec, "publish")
            for target in publish.value if isinstance(publish, SequenceNode) else []:
                _publish_registry(target, base, registries)
    return ConfigSource(path, data.get("update"), lines, tuple(images), registries)


def _publish_registry(target: Node, base: Path, out: dict[str, Registry]) -> None:
    repository = _scalar_text(_get(target, "repository")) or ""
    host = repository.split("/", 1)[0] if "/" in repository else ""
    insecure = _scalar_text(_get(target, "insecure")) in ("true", "True", "yes", "on")
    ca = _scalar_text(_get(target, "ca"))
    if host and (insecure or ca):
        out[host] = Registry(insecure=insecure, ca=str(base / ca) if ca else None)


class _Context(Protocol):
    file: str


class UpdateSchema:
    """``update:`` as a field of dockwright.yaml's declarative schema: ``check`` takes the
    composed YAML node and gives :class:`UpdateSettings`, or raises ConfigError with the
    file, the line and the key path (``Field("update", UPDATE)``)."""

    expects = "a mapping"

    def check(self, node: Node, path: tuple[str | int, ...], ctx: _Context) -> UpdateSettings:
        lines: dict[str, int] = {}
        _key_lines(node, "update", lines)
        data = yaml.constructor.SafeConstructor().construct_object(node, deep=True)
        return parse_settings(data, file=ctx.file, line_at=lines.get)


UPDATE = UpdateSchema()
