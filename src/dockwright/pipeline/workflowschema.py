"""The schema of ``jobs:`` and ``workflows:`` in dockwright.yaml (CircleCI's shapes, as data).

A workflow lists its jobs as CircleCI does: a job's name, or a mapping of one key, the job's
name, to its settings in this workflow (``requires``, ``filters``, ``matrix``, ``name``,
``image``...). A job is defined under the top-level ``jobs:`` or in place, with ``steps:``. A
step is a built-in's name, ``{build: {image: app}}``, or ``{run: ...}``. Keys borrowed from
CircleCI keep its spelling (``working_directory``, ``no_output_timeout``, ``on_success``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from dockwright.config.nodes import MappingNode, Node, ScalarNode, is_null
from dockwright.config.schema import (
    Ctx,
    Field,
    JSONSchema,
    KeyPath,
    Map,
    MapOf,
    OneOf,
    Pattern,
    Schema,
    Seq,
    Str,
    found,
)
from dockwright.pipeline.workflow import BUILTIN_STEPS, WHEN

TEMPLATE = re.compile(r"<<\s*matrix\.([A-Za-z0-9_-]+)\s*>>")
JOB_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]*"
JOB_NAME_WHAT = "a job name (letters, digits, '.', '_', '-')"
DURATION = re.compile(r"(\d+(?:\.\d+)?)([hms])")


class ByKind:
    """A scalar checked by ``scalar``, a mapping by ``mapping`` (so a problem inside the
    mapping is reported as itself, not as "expected a string or a mapping")."""

    __slots__ = ("mapping", "scalar", "what")

    def __init__(self, scalar: Schema, mapping: Schema, what: str) -> None:
        self.scalar = scalar
        self.mapping = mapping
        self.what = what

    @property
    def expects(self) -> str:
        return self.what

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> object:
        if isinstance(node, ScalarNode) and not is_null(node):
            return self.scalar.check(node, path, ctx)
        if isinstance(node, MappingNode):
            return self.mapping.check(node, path, ctx)
        raise ctx.expected(node, path, self.what)

    def json_schema(self) -> JSONSchema:
        return {"anyOf": [self.scalar.json_schema(), self.mapping.json_schema()]}


class SingleKey:
    """A mapping of exactly one key, returned as ``(key, value)``: ``{run: ...}``, or
    ``{job-name: {...}}``. ``variants`` lists the keys allowed and their values' schemas;
    without it any key matching ``key`` takes ``value``. A key with no value reads as ``{}``.
    """

    __slots__ = ("key", "value", "variants", "what")

    def __init__(
        self,
        what: str,
        *,
        variants: Mapping[str, Schema] | None = None,
        key: Pattern | None = None,
        value: Schema | None = None,
    ) -> None:
        self.what = what
        self.variants = variants
        self.key = key
        self.value = value

    @property
    def expects(self) -> str:
        return self.what

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> tuple[str, object]:
        if not isinstance(node, MappingNode):
            raise ctx.expected(node, path, self.what)
        if len(node.value) != 1:
            keys = ", ".join(found(k) for k, _ in node.value)
            hint = ""
            if node.value and is_null(node.value[0][1]):
                first = found(node.value[0][0])
                hint = f" (indent the settings under {first})"
            raise ctx.fail(
                node,
                path,
                f"expected {self.what}; found {len(node.value)} keys: {keys}{hint}",
            )
        key_node, value_node = node.value[0]
        if self.variants is not None:
            name = str(OneOf(tuple(self.variants)).check(key_node, path, ctx))
            schema = self.variants[name]
        else:
            assert self.key is not None and self.value is not None
            name = self.key.check(key_node, path, ctx)
            schema = self.value
        here = (*path, name)
        ctx.seen(key_node, here)
        if is_null(value_node):
            return name, {}
        return name, schema.check(value_node, here, ctx)

    def json_schema(self) -> JSONSchema:
        out: JSONSchema = {"type": "object", "minProperties": 1, "maxProperties": 1}
        if self.variants is not None:
            out["properties"] = {
                k: {"anyOf": [v.json_schema(), {"type": "null"}]} for k, v in self.variants.items()
            }
            out["additionalProperties"] = False
        else:
            assert self.key is not None and self.value is not None
            out["propertyNames"] = self.key.json_schema()
            out["additionalProperties"] = {"anyOf": [self.value.json_schema(), {"type": "null"}]}
        return out


class RefPattern:
    """A branch or tag name, or ``/regex/`` (matched against the whole name)."""

    __slots__ = ()

    @property
    def expects(self) -> str:
        return "a branch or tag name, or /regex/"

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> str:
        text = Str(coerce=True, nonempty=True).check(node, path, ctx)
        if len(text) >= 2 and text.startswith("/") and text.endswith("/"):
            try:
                re.compile(text[1:-1])
            except re.error as exc:
                raise ctx.fail(
                    node, path, f"expected a regular expression; found {text!r} ({exc})"
                ) from None
        return text

    def json_schema(self) -> JSONSchema:
        return {"type": ["string", "number"], "minLength": 1, "description": self.expects}


def duration_seconds(text: str) -> float:
    """``10m`` -> 600.0 (checked by the schema first)."""
    m = DURATION.fullmatch(text)
    assert m is not None
    return float(m.group(1)) * {"h": 3600, "m": 60, "s": 1}[m.group(2)]


_TEXT = Str(coerce=True)
_PATH = Str(nonempty=True)
_ENV = MapOf(Pattern(r"[A-Za-z_][A-Za-z0-9_]*", "an environment variable name"), _TEXT)
# A name that may hold << matrix.NAME >>; checked once the matrix is expanded.
_TEMPLATED = Str(coerce=True, nonempty=True)

RUN = ByKind(
    Str(nonempty=True),
    Map(
        (
            Field("command", Str(nonempty=True), required=True),
            Field("name", Str(nonempty=True)),
            Field("environment", _ENV),
            Field("working_directory", _PATH),
            Field("when", OneOf(WHEN)),
            Field("shell", Str(nonempty=True)),
            Field(
                "no_output_timeout",
                Pattern(DURATION.pattern, "a duration such as 10m, 90s or 1.5h"),
            ),
        ),
        where="for a run step",
    ),
    "a shell command, or a mapping with command",
)
_BUILTIN = Map((Field("image", _TEMPLATED),), where="for a built-in step")
STEP = ByKind(
    OneOf(BUILTIN_STEPS),
    SingleKey(
        "a step: one key, run or a built-in step",
        variants={"run": RUN, **{name: _BUILTIN for name in BUILTIN_STEPS}},
    ),
    f"a step ({', '.join(BUILTIN_STEPS)}, or a mapping with run)",
)


class Listed(Seq):
    """A list whose items' description does not make a plural by adding an s."""

    __slots__ = ("what",)

    def __init__(self, item: Schema, what: str, *, allow_scalar: bool = False) -> None:
        super().__init__(item, allow_scalar=allow_scalar)
        self.what = what

    @property
    def expects(self) -> str:
        return self.what


_BODY = (
    Field(
        "steps",
        Listed(STEP, f"a list of steps ({', '.join(BUILTIN_STEPS)}, or a mapping with run)"),
    ),
    Field("image", _TEMPLATED),
    Field("environment", _ENV),
    Field("working_directory", _PATH),
)
JOB = Map(tuple(Field(f.name, f.schema, required=f.name == "steps") for f in _BODY))
JOBS = MapOf(Pattern(JOB_NAME, JOB_NAME_WHAT), JOB)

_REF_PATTERNS = Listed(
    RefPattern(), "a branch or tag name, /regex/, or a list of them", allow_scalar=True
)
_REF_FILTER = Map((Field("only", _REF_PATTERNS), Field("ignore", _REF_PATTERNS)))
FILTERS = Map((Field("branches", _REF_FILTER), Field("tags", _REF_FILTER)))
_PARAMETER = Pattern(r"[A-Za-z_][A-Za-z0-9_-]*", "a parameter name")
MATRIX = Map(
    (
        Field("parameters", MapOf(_PARAMETER, Seq(Str(coerce=True))), required=True),
        Field("exclude", Seq(MapOf(_PARAMETER, Str(coerce=True)))),
        Field("alias", Pattern(JOB_NAME, JOB_NAME_WHAT)),
    )
)
INVOCATION = Map(
    (
        Field("name", _TEMPLATED),
        Field("requires", Seq(_TEMPLATED)),
        Field("filters", FILTERS),
        Field("matrix", MATRIX),
        Field("build-args", MapOf(Str(nonempty=True), _TEXT)),
        Field("tag-suffix", _TEXT),
        *_BODY,
    ),
    where="for a workflow job",
)
WORKFLOW_JOB = ByKind(
    Pattern(JOB_NAME, JOB_NAME_WHAT),
    SingleKey(
        "a mapping of one key, the job's name, to its settings",
        key=Pattern(JOB_NAME, JOB_NAME_WHAT),
        value=INVOCATION,
    ),
    "a job name, or a mapping of one key (the job's name) to its settings",
)
WORKFLOW = Map(
    (
        Field(
            "jobs",
            Listed(WORKFLOW_JOB, "a list of job names or mappings of a job's name to its settings"),
            required=True,
        ),
    )
)
WORKFLOWS = MapOf(Pattern(JOB_NAME, "a workflow name (letters, digits, '.', '_', '-')"), WORKFLOW)


def check_template(text: str, params: Mapping[str, str]) -> str | None:
    """Why ``text`` cannot be expanded with ``params`` (a matrix's values), or ``None``."""
    for name in TEMPLATE.findall(text):
        if name not in params:
            if not params:
                return f"<< matrix.{name} >> is used outside a matrix"
            have = ", ".join(sorted(params))
            return f"names matrix parameter {name!r}, which the matrix does not have ({have})"
    return None


def expand(text: str, params: Mapping[str, str]) -> str:
    return TEMPLATE.sub(lambda m: params.get(m.group(1), m.group(0)), text)
