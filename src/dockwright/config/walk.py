"""The state of one schema walk over one file: key paths, how values read in messages, and
the problems found (:class:`Ctx`); :class:`Invalid` carries a failed check's problems up to the
mapping or list that records them and goes on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from dockwright.config.nodes import MappingNode, Node, ScalarNode, SequenceNode, line_of, scalar
from dockwright.errors import ConfigError, Problem

KeyPath = tuple[str | int, ...]
JSONSchema = dict[str, object]  # one JSON Schema object, as json.dumps writes it


def render_path(path: KeyPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def found(node: Node) -> str:
    """How an offending value reads in a message."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, ScalarNode):
        value = scalar(node)
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return repr(value)
        return str(node.value)
    return "an unsupported YAML node"  # pragma: no cover


def one_of(values: Sequence[str]) -> str:
    return "one of " + ", ".join(values)


class Invalid(Exception):
    """A value failed its check; ``problems`` are not yet recorded in the :class:`Ctx`."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems


class Ctx:
    """One walk over one file: where values were seen, and every problem found."""

    __slots__ = ("file", "lines", "problems")

    def __init__(self, file: str) -> None:
        self.file = file
        # rendered key path -> line of every value checked, for problems found after the walk
        self.lines: dict[str, int | None] = {}
        self.problems: list[Problem] = []

    def seen(self, node: Node, path: KeyPath) -> None:
        self.lines[render_path(path)] = line_of(node)

    def problem(self, node: Node, path: KeyPath, message: str) -> Problem:
        return Problem(
            message, file=self.file, line=line_of(node), key_path=render_path(path) or None
        )

    def fail(self, node: Node, path: KeyPath, message: str) -> Invalid:
        return Invalid([self.problem(node, path, message)])

    def expected(self, node: Node, path: KeyPath, what: str) -> Invalid:
        return self.fail(node, path, f"expected {what}; found {found(node)}")

    def report(self, path: KeyPath, message: str, *, near: KeyPath | None = None) -> None:
        """Record a problem found after the walk, at the line ``path`` (or ``near``) was seen."""
        line = self.lines.get(render_path(path))
        if line is None and near is not None:
            line = self.lines.get(render_path(near))
        self.problems.append(
            Problem(message, file=self.file, line=line, key_path=render_path(path) or None)
        )

    def failed(self, path: KeyPath) -> bool:
        """Whether a problem was found at ``path`` or inside it."""
        at = render_path(path)
        return any(
            p.key_path is not None
            and (p.key_path == at or p.key_path.startswith((f"{at}.", f"{at}[")))
            for p in self.problems
        )

    def check(self, schema: Schema, node: Node, path: KeyPath = ()) -> object:
        """``schema.check`` with its problems recorded; ``None`` if the whole value failed."""
        try:
            return schema.check(node, path, self)
        except Invalid as exc:
            self.problems.extend(exc.problems)
            return None

    def raise_problems(self) -> None:
        if self.problems:
            raise ConfigError.of(self.problems)


class Schema(Protocol):
    @property
    def expects(self) -> str: ...

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> object: ...

    def json_schema(self) -> JSONSchema:
        """This check as JSON Schema (the part of it JSON Schema can say)."""
        ...
