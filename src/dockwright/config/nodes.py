"""YAML with positions: compose the node tree (no construction), so validators can point at lines.

PyYAML's composer keeps a start mark on every node; the schema in
:mod:`dockwright.config.schema` walks that tree and reports the file, line and key path of
the offending node. Duplicate keys are problems here, not a silent last-one-wins. JSON is read
as the YAML it nearly is, to learn its line numbers too.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dockwright.errors import ConfigError, Problem

try:  # the C composer is ~10x faster; fall back silently when libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

__all__ = [
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "compose",
    "compose_file",
    "compose_json",
    "is_null",
    "line_of",
    "read_text",
    "scalar",
]

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_constructor = yaml.constructor.SafeConstructor()


def line_of(node: Node) -> int | None:
    """1-based line where ``node`` starts (``None`` for a node made from plain data)."""
    mark = node.start_mark
    return None if mark is None else int(mark.line) + 1


def compose(
    text: str,
    file: str,
    *,
    problems: list[Problem] | None = None,
    merge_keys: bool = False,
) -> Node | None:
    """Parse ``text`` into a node tree; ``None`` for an empty document.

    A syntax error raises :class:`ConfigError` (with line and column). Every duplicate key is
    a problem: added to ``problems`` when given, else raised. ``merge_keys`` applies YAML's
    ``<<`` merge keys (as Go's YAML does; explicit keys win over merged ones).
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is None:
            raise ConfigError(f"invalid YAML: {problem}", file=file) from None
        lines = text.splitlines()
        row = lines[mark.line] if mark.line < len(lines) else ""
        if mark.column < len(row) and row[mark.column] == "\t":
            problem += " (a tab: indent with spaces)"
        raise ConfigError(
            f"invalid YAML at column {mark.column + 1}: {problem}", file=file, line=mark.line + 1
        ) from None
    except yaml.YAMLError as exc:  # e.g. a reader error for a non-printable character
        raise ConfigError(f"invalid YAML: {exc}", file=file) from None
    if node is None:
        return None
    found: list[Problem] = []
    _check_duplicates(node, file, "", set(), found)
    if problems is not None:
        problems.extend(found)
    elif found:
        raise ConfigError.of(found)
    if merge_keys:
        _flatten(node, set())
    return node


def read_text(path: Path, file: str) -> str:
    """The UTF-8 text of ``path``; a :class:`ConfigError` naming ``file`` when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("no such file", file=file) from None
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start]
        raise ConfigError(f"expected UTF-8 text; found byte {bad:#04x}", file=file) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", file=file) from None


def compose_file(
    path: Path, file: str, *, problems: list[Problem] | None = None, merge_keys: bool = False
) -> Node | None:
    return compose(read_text(path, file), file, problems=problems, merge_keys=merge_keys)


def compose_json(text: str, file: str, *, problems: list[Problem] | None = None) -> Node:
    """JSON text as a node tree with line numbers.

    ``json`` decides what is valid; the YAML composer supplies the lines when it reads the text
    the same way (nearly always), else the tree is built from the decoded value without lines.
    """
    try:
        value = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(f"invalid JSON: {exc}", file=file, line=line) from None
    duplicates: list[Problem] = []
    try:
        node = compose(text, file, problems=duplicates)
    except ConfigError:
        node = None
    if node is not None and _plain(node) == value:
        if problems is not None:
            problems.extend(duplicates)
        elif duplicates:
            raise ConfigError.of(duplicates)
        return node
    return _from_value(value)


def scalar(node: ScalarNode) -> object:
    """The Python value of a scalar as YAML 1.1 resolves it (str, int, float, bool, None, ...)."""
    if node.tag == _STR:
        return node.value
    return _constructor.construct_object(node, deep=True)


def is_null(node: Node) -> bool:
    """A key written with no value (``ignored:``), or ``null``/``~``."""
    return isinstance(node, ScalarNode) and scalar(node) is None


def _plain(node: Node) -> object:
    if isinstance(node, MappingNode):
        return {_plain(k): _plain(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [_plain(item) for item in node.value]
    return scalar(node) if isinstance(node, ScalarNode) else None


def _from_value(value: object) -> Node:
    """A node tree (without positions) for decoded JSON."""
    if isinstance(value, dict):
        pairs = [(_from_value(k), _from_value(v)) for k, v in value.items()]
        return MappingNode("tag:yaml.org,2002:map", pairs)
    if isinstance(value, list):
        return SequenceNode("tag:yaml.org,2002:seq", [_from_value(v) for v in value])
    if value is None:
        return ScalarNode("tag:yaml.org,2002:null", "null")
    if isinstance(value, bool):
        return ScalarNode("tag:yaml.org,2002:bool", "true" if value else "false")
    if isinstance(value, int):
        return ScalarNode("tag:yaml.org,2002:int", str(value))
    if isinstance(value, float):
        return ScalarNode("tag:yaml.org,2002:float", repr(value))
    return ScalarNode(_STR, str(value))


def _check_duplicates(
    node: Node, file: str, path: str, seen: set[int], problems: list[Problem]
) -> None:
    # Aliases make the tree a DAG; visit each node once.
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        first: dict[object, int | None] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else "?"
            here = f"{path}.{name}" if path else str(name)
            if isinstance(key, ScalarNode) and key.tag != _MERGE:
                k = scalar(key)
                if isinstance(k, str | int | float | bool) or k is None:
                    if k in first:
                        problems.append(
                            Problem(
                                f"duplicate key {k!r} (first defined at line {first[k]})",
                                file=file,
                                line=line_of(key),
                                key_path=here,
                            )
                        )
                    else:
                        first[k] = line_of(key)
            _check_duplicates(value, file, here, seen, problems)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _check_duplicates(item, file, f"{path}[{i}]", seen, problems)


def _flatten(node: Node, seen: set[int]) -> None:
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        if any(k.tag == _MERGE for k, _ in node.value):
            _constructor.flatten_mapping(node)
        for _, value in node.value:
            _flatten(value, seen)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _flatten(item, seen)
