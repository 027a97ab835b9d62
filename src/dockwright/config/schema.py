"""A small declarative schema for YAML node trees, in the spirit of pre-commit's cfgv.

A schema is data: :class:`Map` of :class:`Field`, :class:`Seq`, :class:`MapOf`, :class:`Tagged`
(a mapping whose ``type`` key picks the variant) and scalar checks. ``check`` walks the composed
YAML tree and returns plain Python values; the first problem raises :class:`ConfigError` naming
the file, line and key path, what was expected and what was found.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Protocol

from dockwright.config.nodes import MappingNode, Node, ScalarNode, SequenceNode, line_of, scalar
from dockwright.errors import ConfigError
from dockwright.tags.rules import compile_regex

KeyPath = tuple[str | int, ...]


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


class Ctx:
    __slots__ = ("file", "lines")

    def __init__(self, file: str) -> None:
        self.file = file
        # rendered key path -> line of every value checked, for errors found after the walk
        self.lines: dict[str, int] = {}

    def seen(self, node: Node, path: KeyPath) -> None:
        self.lines[render_path(path)] = line_of(node)

    def fail(self, node: Node, path: KeyPath, message: str) -> ConfigError:
        return ConfigError(
            message, file=self.file, line=line_of(node), key_path=render_path(path) or None
        )

    def expected(self, node: Node, path: KeyPath, what: str) -> ConfigError:
        return self.fail(node, path, f"expected {what}; found {found(node)}")


class Schema(Protocol):
    @property
    def expects(self) -> str: ...

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> object: ...


class Str:
    """A string. ``coerce`` also takes numbers and booleans, as written (``1.10`` stays "1.10")."""

    __slots__ = ("coerce", "nonempty")

    def __init__(self, *, coerce: bool = False, nonempty: bool = False) -> None:
        self.coerce = coerce
        self.nonempty = nonempty

    @property
    def expects(self) -> str:
        return "a non-empty string" if self.nonempty else "a string"

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> str:
        if not isinstance(node, ScalarNode):
            raise ctx.expected(node, path, self.expects)
        value = scalar(node)
        if isinstance(value, str):
            text = value
        elif self.coerce and isinstance(value, int | float | bool | datetime.date):
            text = str(node.value)
        else:
            raise ctx.expected(node, path, self.expects)
        if self.nonempty and not text:
            raise ctx.expected(node, path, self.expects)
        return text


class Bool:
    __slots__ = ()

    @property
    def expects(self) -> str:
        return "true or false"

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> bool:
        value = scalar(node) if isinstance(node, ScalarNode) else None
        if not isinstance(value, bool):
            raise ctx.expected(node, path, self.expects)
        return value


class Int:
    __slots__ = ("minimum",)

    def __init__(self, minimum: int | None = None) -> None:
        self.minimum = minimum

    @property
    def expects(self) -> str:
        return "an integer" if self.minimum is None else f"an integer >= {self.minimum}"

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> int:
        value = scalar(node) if isinstance(node, ScalarNode) else None
        if not isinstance(value, int) or isinstance(value, bool):
            raise ctx.expected(node, path, self.expects)
        if self.minimum is not None and value < self.minimum:
            raise ctx.expected(node, path, self.expects)
        return value


class OneOf:
    """A scalar that must equal one of ``values`` (compared as YAML resolves them)."""

    __slots__ = ("values",)

    def __init__(self, values: tuple[str | int, ...]) -> None:
        self.values = values

    @property
    def expects(self) -> str:
        shown = [str(v) for v in self.values]
        return shown[0] if len(shown) == 1 else one_of(shown)

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> str | int:
        value = scalar(node) if isinstance(node, ScalarNode) else None
        for allowed in self.values:
            if type(value) is type(allowed) and value == allowed:
                return allowed
        raise ctx.expected(node, path, self.expects)


class Pattern:
    """A string matching ``regex`` (full match); ``what`` says what that means to a user."""

    __slots__ = ("regex", "what")

    def __init__(self, regex: str, what: str) -> None:
        self.regex = regex
        self.what = what

    @property
    def expects(self) -> str:
        return self.what

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> str:
        value = scalar(node) if isinstance(node, ScalarNode) else None
        if not isinstance(value, str) or not re.fullmatch(self.regex, value):
            raise ctx.expected(node, path, self.what)
        return value


class Regex:
    """A regular expression, plain or in the JavaScript ``/source/flags`` form (flags i, m, s)."""

    __slots__ = ()

    @property
    def expects(self) -> str:
        return "a regular expression"

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> str:
        value = scalar(node) if isinstance(node, ScalarNode) else None
        if not isinstance(value, str) or not value:
            raise ctx.expected(node, path, self.expects)
        try:
            compile_regex(value)
        except re.error as exc:
            raise ctx.fail(
                node, path, f"expected a regular expression; found {value!r} ({exc})"
            ) from None
        return value


class AnyOf:
    """The first alternative that accepts the node wins."""

    __slots__ = ("options",)

    def __init__(self, options: tuple[Schema, ...]) -> None:
        self.options = options

    @property
    def expects(self) -> str:
        return " or ".join(o.expects for o in self.options)

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> object:
        for option in self.options:
            try:
                return option.check(node, path, ctx)
            except ConfigError:
                continue
        raise ctx.expected(node, path, self.expects)


class Seq:
    __slots__ = ("allow_scalar", "item")

    def __init__(self, item: Schema, *, allow_scalar: bool = False) -> None:
        self.item = item
        # A lone scalar is read as a one-item list (``tests: structure.yaml``).
        self.allow_scalar = allow_scalar

    @property
    def expects(self) -> str:
        return f"a list of {_plural(self.item.expects)}"

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> list[object]:
        if self.allow_scalar and isinstance(node, ScalarNode) and scalar(node) is not None:
            return [self.item.check(node, path, ctx)]
        if not isinstance(node, SequenceNode):
            raise ctx.expected(node, path, self.expects)
        out: list[object] = []
        for i, item in enumerate(node.value):
            ctx.seen(item, (*path, i))
            out.append(self.item.check(item, (*path, i), ctx))
        return out


class MapOf:
    """A mapping with free keys (checked by ``key``) and uniform values."""

    __slots__ = ("key", "value")

    def __init__(self, key: Schema, value: Schema) -> None:
        self.key = key
        self.value = value

    @property
    def expects(self) -> str:
        return "a mapping"

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> dict[str, object]:
        if not isinstance(node, MappingNode):
            raise ctx.expected(node, path, self.expects)
        out: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = self.key.check(key_node, (*path, _key_text(key_node)), ctx)
            ctx.seen(key_node, (*path, str(key)))
            out[str(key)] = self.value.check(value_node, (*path, str(key)), ctx)
        return out


class Field:
    __slots__ = ("name", "required", "schema")

    def __init__(self, name: str, schema: Schema, *, required: bool = False) -> None:
        self.name = name
        self.schema = schema
        self.required = required


class Map:
    """A mapping with known keys; unknown keys are errors with a suggestion."""

    __slots__ = ("_by_name", "fields", "where")

    def __init__(self, fields: tuple[Field, ...], *, where: str = "") -> None:
        self.fields = fields
        # Said after "unknown key" for the variants of a Tagged mapping, e.g. "for type semver".
        self.where = where
        self._by_name: Mapping[str, Field] = {f.name: f for f in fields}

    @property
    def expects(self) -> str:
        return "a mapping"

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> dict[str, object]:
        if not isinstance(node, MappingNode):
            raise ctx.expected(node, path, self.expects)
        out: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = _key_text(key_node)
            spec = self._by_name.get(key)
            if spec is None:
                raise ctx.fail(key_node, (*path, key), self._unknown(key_node, key))
            ctx.seen(key_node, (*path, key))
            out[key] = spec.schema.check(value_node, (*path, key), ctx)
        for spec in self.fields:
            if spec.required and spec.name not in out:
                where = f" {self.where}" if self.where else ""
                raise ctx.fail(node, path, f"missing required key {spec.name!r}{where}")
        return out

    def _unknown(self, key_node: Node, key: str) -> str:
        where = f" {self.where}" if self.where else ""
        shown = found(key_node) if not isinstance(scalar_or_none(key_node), str) else repr(key)
        names = sorted(self._by_name)
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
        if close:
            return f"unknown key {shown}{where}; did you mean {close[0]!r}?"
        return f"unknown key {shown}{where}; expected {one_of(names)}"


class Tagged:
    """A mapping whose ``key`` (e.g. ``type``) selects which :class:`Map` validates the rest."""

    __slots__ = ("default", "key", "variants")

    def __init__(
        self, key: str, variants: Mapping[str, Map], *, default: str | None = None
    ) -> None:
        self.key = key
        self.variants = variants
        self.default = default

    @property
    def expects(self) -> str:
        return "a mapping"

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> dict[str, object]:
        if not isinstance(node, MappingNode):
            raise ctx.expected(node, path, self.expects)
        chosen = self.default
        for key_node, value_node in node.value:
            if _key_text(key_node) == self.key:
                names = tuple(sorted(self.variants))
                chosen = str(OneOf(names).check(value_node, (*path, self.key), ctx))
        if chosen is None:
            raise ctx.fail(node, path, f"missing required key {self.key!r}")
        out = self.variants[chosen].check(node, path, ctx)
        out[self.key] = chosen
        return out


def scalar_or_none(node: Node) -> object:
    return scalar(node) if isinstance(node, ScalarNode) else None


def _key_text(node: Node) -> str:
    return str(node.value) if isinstance(node, ScalarNode) else "?"


def _plural(expects: str) -> str:
    for article in ("a ", "an "):
        if expects.startswith(article):
            return expects[len(article) :] + "s"
    return expects
