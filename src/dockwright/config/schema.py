"""A small declarative schema for YAML node trees, in the spirit of pre-commit's cfgv.

A schema is data: :class:`Map` of :class:`Field`, :class:`Seq`, :class:`MapOf`, :class:`Tagged`
(a mapping whose ``type`` key picks the variant) and scalar checks. ``check`` walks the composed
YAML tree and returns plain Python values. Every problem is kept, not just the first: a check
that fails raises :class:`Invalid`, and the mapping or list around it records the problem in the
:class:`Ctx` and goes on with the next key or item. :meth:`Ctx.raise_problems` then raises one
:class:`ConfigError` naming, for each problem, the file, line and key path, what was expected
and what was found.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Mapping

from dockwright.config.nodes import MappingNode, Node, ScalarNode, SequenceNode, is_null, scalar
from dockwright.config.walk import (
    Ctx,
    Invalid,
    JSONSchema,
    KeyPath,
    Schema,
    found,
    one_of,
    render_path,
)

__all__ = [
    "AnyOf",
    "Bool",
    "Ctx",
    "Field",
    "Int",
    "Invalid",
    "JSONSchema",
    "KeyPath",
    "Map",
    "MapOf",
    "Number",
    "OneOf",
    "Pattern",
    "Regex",
    "Schema",
    "Seq",
    "Str",
    "Tagged",
    "found",
    "render_path",
]


class Str:
    """A string. ``coerce`` also takes numbers and booleans, as written (``1.10`` stays "1.10"),
    as Go's YAML decoder does for a string field; ``null`` is what a null reads as (else an
    error)."""

    __slots__ = ("coerce", "nonempty", "null")

    def __init__(
        self, *, coerce: bool = False, nonempty: bool = False, null: str | None = None
    ) -> None:
        self.coerce = coerce
        self.nonempty = nonempty
        self.null = null

    @property
    def expects(self) -> str:
        return "a non-empty string" if self.nonempty else "a string"

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> str:
        if not isinstance(node, ScalarNode):
            raise ctx.expected(node, path, self.expects)
        value = scalar(node)
        if isinstance(value, str):
            text = value
        elif value is None and self.null is not None:
            text = self.null
        elif self.coerce and isinstance(value, int | float | bool | datetime.date):
            text = str(node.value)
        else:
            raise ctx.expected(node, path, self.expects)
        if self.nonempty and not text:
            raise ctx.expected(node, path, self.expects)
        return text

    def json_schema(self) -> JSONSchema:
        types = ["string", "number", "boolean"] if self.coerce else ["string"]
        types += ["null"] if self.null is not None else []
        out: JSONSchema = {"type": types if len(types) > 1 else types[0]}
        if self.nonempty:
            out["minLength"] = 1
        return out


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

    def json_schema(self) -> JSONSchema:
        return {"type": "boolean"}


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

    def json_schema(self) -> JSONSchema:
        out: JSONSchema = {"type": "integer"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        return out


class Number:
    """A number greater than zero (an integer or a decimal), read as a float."""

    __slots__ = ("what",)

    def __init__(self, what: str = "a number") -> None:
        self.what = what

    @property
    def expects(self) -> str:
        return self.what

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> float:
        value = scalar(node) if isinstance(node, ScalarNode) else None
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            raise ctx.expected(node, path, self.expects)
        return float(value)

    def json_schema(self) -> JSONSchema:
        return {"type": "number", "exclusiveMinimum": 0, "description": self.what}


class OneOf:
    """A scalar that must equal one of ``values`` (compared as YAML resolves them).

    ``hidden`` values are accepted too but not listed in messages (e.g. an empty string that
    means the default)."""

    __slots__ = ("hidden", "values")

    def __init__(self, values: tuple[str | int, ...], *, hidden: tuple[str, ...] = ()) -> None:
        self.values = values
        self.hidden = hidden

    @property
    def expects(self) -> str:
        shown = [str(v) for v in self.values]
        return shown[0] if len(shown) == 1 else one_of(shown)

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> str | int:
        value = scalar(node) if isinstance(node, ScalarNode) else None
        for allowed in (*self.values, *self.hidden):
            if type(value) is type(allowed) and value == allowed:
                return allowed
        raise ctx.expected(node, path, self.expects)

    def json_schema(self) -> JSONSchema:
        return {"enum": [*self.values, *self.hidden]}


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

    def json_schema(self) -> JSONSchema:
        return {"type": "string", "pattern": f"^(?:{self.regex})$", "description": self.what}


class Regex:
    """A non-empty regular expression, as ``compile_error`` judges it: it returns why the text
    does not compile, or ``None``. The caller picks the dialect (Python's re, RE2...)."""

    __slots__ = ("compile_error", "what")

    def __init__(
        self, compile_error: Callable[[str], str | None], what: str = "a regular expression"
    ) -> None:
        self.compile_error = compile_error
        self.what = what

    @property
    def expects(self) -> str:
        return self.what

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> str:
        value = scalar(node) if isinstance(node, ScalarNode) else None
        if not isinstance(value, str) or not value:
            raise ctx.expected(node, path, self.expects)
        error = self.compile_error(value)
        if error is not None:
            raise ctx.fail(node, path, f"expected {self.what}; found {value!r} ({error})")
        return value

    def json_schema(self) -> JSONSchema:
        return {"type": "string", "minLength": 1, "format": "regex", "description": self.what}


class AnyOf:
    """The first alternative that accepts the node wins."""

    __slots__ = ("options", "what")

    def __init__(self, options: tuple[Schema, ...], *, what: str | None = None) -> None:
        self.options = options
        self.what = what

    @property
    def expects(self) -> str:
        return self.what or " or ".join(o.expects for o in self.options)

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> object:
        before = len(ctx.problems)
        for option in self.options:
            try:
                return option.check(node, path, ctx)
            except Invalid:
                del ctx.problems[before:]  # what a rejected alternative recorded
        raise ctx.expected(node, path, self.expects)

    def json_schema(self) -> JSONSchema:
        return {"anyOf": [o.json_schema() for o in self.options]}


class Seq:
    """A list. An item that fails keeps its place as ``None``, so the indexes of the others (and
    of problems found later) stay right."""

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
            out.append(ctx.check(self.item, item, (*path, i)))
        return out

    def json_schema(self) -> JSONSchema:
        items = self.item.json_schema()
        listed: JSONSchema = {"type": "array", "items": items}
        return {"anyOf": [listed, items]} if self.allow_scalar else listed


class MapOf:
    """A mapping with free keys (checked by ``key``) and uniform values; an entry that fails
    is left out."""

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
            here = (*path, _key_text(key_node))
            try:
                key = str(self.key.check(key_node, here, ctx))
                ctx.seen(key_node, (*path, key))
                out[key] = self.value.check(value_node, (*path, key), ctx)
            except Invalid as exc:
                ctx.problems.extend(exc.problems)
        return out

    def json_schema(self) -> JSONSchema:
        out: JSONSchema = {"type": "object", "additionalProperties": self.value.json_schema()}
        keys = self.key.json_schema()
        if set(keys) - {"type", "description"}:
            out["propertyNames"] = keys
        return out


class Field:
    __slots__ = ("name", "required", "schema")

    def __init__(self, name: str, schema: Schema, *, required: bool = False) -> None:
        self.name = name
        self.schema = schema
        self.required = required


class Map:
    """A mapping with known keys; a key whose value fails is left out.

    ``strict``: an unknown key is a problem (with a suggestion), else it is ignored.
    ``null_unset``: a key with no value (``key:`` or ``key: null``) is a key not set.
    """

    __slots__ = ("_by_name", "fields", "null_unset", "strict", "where")

    def __init__(
        self,
        fields: tuple[Field, ...],
        *,
        where: str = "",
        strict: bool = True,
        null_unset: bool = False,
    ) -> None:
        self.fields = fields
        # Said after "unknown key" for the variants of a Tagged mapping, e.g. "for type semver".
        self.where = where
        self.strict = strict
        self.null_unset = null_unset
        self._by_name: Mapping[str, Field] = {f.name: f for f in fields}

    @property
    def expects(self) -> str:
        return "a mapping"

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> dict[str, object]:
        if not isinstance(node, MappingNode):
            raise ctx.expected(node, path, self.expects)
        out: dict[str, object] = {}
        given: set[str] = set()
        suggested: set[str] = set()
        broken = False
        for key_node, value_node in node.value:
            key = _key_text(key_node)
            spec = self._by_name.get(key)
            if spec is None:
                if self.strict:
                    message, close = self._unknown(key_node, key)
                    ctx.problems.append(ctx.problem(key_node, (*path, key), message))
                    suggested.update(close)
                continue
            if self.null_unset and is_null(value_node):
                continue
            given.add(key)
            ctx.seen(key_node, (*path, key))
            try:
                out[key] = spec.schema.check(value_node, (*path, key), ctx)
            except Invalid as exc:
                ctx.problems.extend(exc.problems)
                out.pop(key, None)
                broken = broken or spec.required
        where = f" {self.where}" if self.where else ""
        missing = [
            ctx.problem(node, path, f"missing required key {spec.name!r}{where}")
            for spec in self.fields
            # a misspelt key already says "did you mean ...?"
            if spec.required and spec.name not in given and spec.name not in suggested
        ]
        if suggested & {spec.name for spec in self.fields if spec.required} - given:
            broken = True
        if missing or broken:
            raise Invalid(missing)
        return out

    def json_schema(self) -> JSONSchema:
        properties: JSONSchema = {}
        for spec in self.fields:
            value = spec.schema.json_schema()
            properties[spec.name] = (
                {"anyOf": [value, {"type": "null"}]} if self.null_unset else value
            )
        out: JSONSchema = {"type": "object", "properties": properties}
        required = [spec.name for spec in self.fields if spec.required]
        if required:
            out["required"] = required
        if self.strict:
            out["additionalProperties"] = False
        return out

    def _unknown(self, key_node: Node, key: str) -> tuple[str, list[str]]:
        where = f" {self.where}" if self.where else ""
        shown = found(key_node) if not isinstance(scalar_or_none(key_node), str) else repr(key)
        names = sorted(self._by_name)
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
        if close:
            return f"unknown key {shown}{where}; did you mean {close[0]!r}?", close
        return f"unknown key {shown}{where}; expected {one_of(names)}", close


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

    def json_schema(self) -> JSONSchema:
        """One ``if``/``then`` per variant, chosen by the ``key`` (``default`` when absent)."""
        names = sorted(self.variants)
        rules: list[JSONSchema] = []
        for name in names:
            chosen: JSONSchema = {"properties": {self.key: {"const": name}}}
            if name != self.default:
                chosen["required"] = [self.key]
            rules.append({"if": chosen, "then": self.variants[name].json_schema()})
        return {
            "type": "object",
            "properties": {self.key: {"enum": names}},
            "allOf": rules,
        }


def scalar_or_none(node: Node) -> object:
    return scalar(node) if isinstance(node, ScalarNode) else None


def _key_text(node: Node) -> str:
    return str(node.value) if isinstance(node, ScalarNode) else "?"


def _plural(expects: str) -> str:
    for article in ("a ", "an "):
        if expects.startswith(article):
            return expects[len(article) :] + "s"
    return expects
