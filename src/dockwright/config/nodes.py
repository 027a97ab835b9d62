"""YAML with positions: compose the node tree (no construction), so validators can point at lines.

PyYAML's composer keeps a start mark on every node; the schema in
:mod:`dockwright.config.schema` walks that tree and reports the file, line and key path of
the offending node. Duplicate keys are an error here, not a silent last-one-wins.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dockwright.errors import ConfigError

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
    "line_of",
    "scalar",
]

_STR = "tag:yaml.org,2002:str"
_constructor = yaml.constructor.SafeConstructor()


def line_of(node: Node) -> int:
    """1-based line where ``node`` starts."""
    return int(node.start_mark.line) + 1


def compose(text: str, file: str) -> Node | None:
    """Parse ``text`` into a node tree; ``None`` for an empty document.

    Raises :class:`ConfigError` for a syntax error (with line and column) and for a duplicate
    key in any mapping.
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
    if node is not None:
        _check_duplicates(node, file, "", set())
    return node


def compose_file(path: Path, file: str) -> Node | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("no such file", file=file) from None
    except UnicodeDecodeError as exc:
        bad = exc.object[exc.start]
        raise ConfigError(f"expected UTF-8 text; found byte {bad:#04x}", file=file) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", file=file) from None
    return compose(text, file)


def scalar(node: ScalarNode) -> object:
    """The Python value of a scalar as YAML 1.1 resolves it (str, int, float, bool, None, ...)."""
    if node.tag == _STR:
        return node.value
    return _constructor.construct_object(node, deep=True)


def _check_duplicates(node: Node, file: str, path: str, seen: set[int]) -> None:
    # Aliases make the tree a DAG; visit each node once.
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        first: dict[object, int] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else "?"
            here = f"{path}.{name}" if path else str(name)
            if isinstance(key, ScalarNode):
                k = scalar(key)
                if isinstance(k, str | int | float | bool) or k is None:
                    if k in first:
                        raise ConfigError(
                            f"duplicate key {k!r} (first defined at line {first[k]})",
                            file=file,
                            line=line_of(key),
                            key_path=here,
                        )
                    first[k] = line_of(key)
            _check_duplicates(value, file, here, seen)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            _check_duplicates(item, file, f"{path}[{i}]", seen)
