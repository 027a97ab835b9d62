"""``dockwright.yaml``: the schema (as data), and the typed configuration it loads into.

Everything is validated before any side effect, and every problem is reported at once; each
names the file, line and key path, what was expected and what was found. Credentials are only
*named* here (environment variable names); the publish step reads them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from dockwright.config.nodes import MappingNode, Node, ScalarNode, compose_file
from dockwright.config.schema import (
    AnyOf,
    Bool,
    Ctx,
    Field,
    Int,
    Map,
    MapOf,
    OneOf,
    Pattern,
    Regex,
    Seq,
    Str,
    Tagged,
)
from dockwright.errors import ConfigError
from dockwright.pipeline.buildschema import BUILD_FIELDS, BuildOptions, build_options
from dockwright.pipeline.workflow import Workflow
from dockwright.pipeline.workflowload import load_workflows
from dockwright.pipeline.workflowschema import JOBS, WORKFLOWS
from dockwright.tags.rules import (
    DEFAULT_RULES,
    REF_EVENTS,
    Flavor,
    LatestMode,
    RefEvent,
    ShaFormat,
    TagRule,
    compile_regex,
)
from dockwright.update.settings import UPDATE, UpdateSettings, update_settings

CONFIG_NAME = "dockwright.yaml"
ENGINE_KINDS = ("docker", "podman", "auto")  # as dockwright.engine.select.KINDS

# ---------------------------------------------------------------------------------------------
# Schema

_NAME = Pattern(r"[a-z0-9][a-z0-9._-]*", "an image name (lowercase letters, digits, '.', '_', '-')")
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
REPOSITORY_PATTERN = rf"(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?{_COMPONENT}(?:/{_COMPONENT})*"
_REPOSITORY = Pattern(
    REPOSITORY_PATTERN,
    "a repository such as registry.example.com/org/name (lowercase, no tag or digest)",
)
_ENV_NAME = Pattern(r"[A-Za-z_][A-Za-z0-9_]*", "an environment variable name")
_PATH = Str(nonempty=True)
_TEXT = Str(coerce=True)
_CODES = Seq(Str(nonempty=True))


def _regex_error(text: str) -> str | None:
    """Why ``text`` is no regular expression for tag rules (Python's re), or None."""
    try:
        compile_regex(text)
    except re.error as exc:
        return str(exc)
    return None


_REGEX = Regex(_regex_error)

_COMMON_RULE_FIELDS = (
    Field("type", Str()),
    Field("prefix", _TEXT),
    Field("suffix", _TEXT),
    Field("enable", AnyOf((Bool(), Str()))),
    Field("priority", Int()),
)
_SEMVER_FIELDS = (Field("pattern", Str(nonempty=True), required=True), Field("value", _TEXT))
_MATCH_RULE_FIELDS = (
    Field("pattern", _REGEX, required=True),
    Field("value", _TEXT),
    Field("group", Int(minimum=0)),
)
_MATCH_FIELDS = (*_SEMVER_FIELDS, Field("match", _REGEX))


def _rule(name: str, *fields: Field) -> Map:
    return Map((*_COMMON_RULE_FIELDS, *fields), where=f"for type {name}")


TAG_RULE = Tagged(
    "type",
    {
        "schedule": _rule("schedule", Field("pattern", Str(nonempty=True))),
        "semver": _rule("semver", *_MATCH_FIELDS),
        "pep440": _rule("pep440", *_MATCH_FIELDS),
        "match": _rule("match", *_MATCH_RULE_FIELDS),
        "edge": _rule("edge", Field("branch", Str(nonempty=True))),
        "ref": _rule("ref", Field("event", OneOf(REF_EVENTS), required=True)),
        "raw": _rule("raw", Field("value", _TEXT, required=True)),
        "sha": _rule("sha", Field("format", OneOf(("short", "long")))),
    },
    default="raw",
)

FLAVOR = Map(
    (
        Field("latest", AnyOf((Bool(), OneOf(("auto",))))),
        Field("prefix", _TEXT),
        Field("prefix-onlatest", Bool()),
        Field("suffix", _TEXT),
        Field("suffix-onlatest", Bool()),
    )
)

PUBLISH_TARGET = Map(
    (
        Field("repository", _REPOSITORY, required=True),
        Field("insecure", Bool()),
        Field("ca", _PATH),
        Field(
            "credentials",
            Map(
                (
                    Field("username-env", _ENV_NAME, required=True),
                    Field("password-env", _ENV_NAME, required=True),
                )
            ),
        ),
    )
)

IMAGE = Map(
    (
        Field("context", _PATH),
        Field("dockerfile", _PATH),
        Field("build-args", MapOf(Str(nonempty=True), _TEXT)),
        Field("target", Str(nonempty=True)),
        Field("tests", Seq(_PATH, allow_scalar=True)),
        Field("tags", Seq(TAG_RULE)),
        Field("flavor", FLAVOR),
        Field("publish", Seq(PUBLISH_TARGET)),
        Field("labels", MapOf(Str(nonempty=True), _TEXT)),
        Field(
            "platforms",
            Seq(
                Pattern(r"[a-z0-9]+/[a-z0-9_]+(?:/[a-z0-9]+)?", "a platform such as linux/amd64"),
                allow_scalar=True,
            ),
        ),
        *BUILD_FIELDS,
    )
)

# hadolint's config keys, checked for type only; the linter interprets them. As in
# .hadolint.yaml, a key with no value is a key not set.
LINT = Map(
    (
        Field("failure-threshold", OneOf(("error", "warning", "info", "style", "ignore", "none"))),
        Field("ignored", _CODES),
        Field(
            "override",
            Map(
                tuple(Field(k, _CODES) for k in ("error", "warning", "info", "style")),
                null_unset=True,
            ),
        ),
        Field("trustedRegistries", _CODES),
        Field(
            "label-schema",
            MapOf(
                Str(nonempty=True),
                OneOf(("text", "url", "semver", "hash", "rfc3339", "spdx", "email", "")),
            ),
        ),
        Field("strict-labels", Bool()),
        Field("disable-ignore-pragma", Bool()),
        Field("no-fail", Bool()),
        Field("no-color", Bool()),
        Field("verbose", Bool()),
        Field("format", Str(nonempty=True)),
        Field("formats", _CODES),
    ),
    null_unset=True,
)

CONFIG = Map(
    (
        Field("version", OneOf((1,)), required=True),
        Field("engine", OneOf(ENGINE_KINDS)),
        Field("images", MapOf(_NAME, IMAGE), required=True),
        Field("lint", LINT),
        Field("update", UPDATE),
        Field("jobs", JOBS),
        Field("workflows", WORKFLOWS),
    )
)

# ---------------------------------------------------------------------------------------------
# Typed result


@dataclass(frozen=True)
class Credentials:
    """Names of the environment variables that hold the credentials (never the values)."""

    username_env: str
    password_env: str


@dataclass(frozen=True)
class PublishTarget:
    repository: str
    insecure: bool = False
    ca: Path | None = None
    credentials: Credentials | None = None


@dataclass(frozen=True)
class LintSettings:
    """hadolint-compatible keys exactly as written (type-checked only), for the linter."""

    raw: Mapping[str, object] = field(default_factory=dict)

    @property
    def failure_threshold(self) -> str | None:
        value = self.raw.get("failure-threshold")
        return value if isinstance(value, str) else None

    @property
    def ignored(self) -> tuple[str, ...]:
        return self._codes("ignored")

    @property
    def trusted_registries(self) -> tuple[str, ...]:
        return self._codes("trustedRegistries")

    def _codes(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key)
        return tuple(str(v) for v in value) if isinstance(value, list) else ()


@dataclass(frozen=True)
class ImageSpec:
    """One entry of `images:` in dockwright.yaml: how to build, test and publish an image."""

    name: str
    context: Path
    dockerfile: Path
    build_args: Mapping[str, str] = field(default_factory=dict)
    target: str | None = None
    tests: tuple[Path, ...] = ()
    tags: tuple[TagRule, ...] = DEFAULT_RULES
    flavor: Flavor = field(default_factory=Flavor)
    publish: tuple[PublishTarget, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    platforms: tuple[str, ...] = ()  # the engine's own platform when empty
    build: BuildOptions = field(default_factory=BuildOptions)


@dataclass(frozen=True)
class Config:
    version: int
    images: dict[str, ImageSpec]
    lint: LintSettings
    path: Path  # the config file
    root: Path  # its directory; relative paths in the file are resolved from here
    update: UpdateSettings = field(default_factory=UpdateSettings)
    # `workflows:` as written, matrix jobs expanded; empty: the default workflow
    workflows: dict[str, Workflow] = field(default_factory=dict)
    engine: str | None = None  # docker, podman or auto; None: not set ($DOCKWRIGHT_ENGINE, auto)


# ---------------------------------------------------------------------------------------------
# Loading


def find_config(start_dir: str | Path = ".") -> Path | None:
    """``dockwright.yaml`` in ``start_dir``, or ``None``."""
    candidate = Path(start_dir) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_config(path: str | Path, *, check_paths: bool = True) -> Config:
    """Load and validate ``path``; raise one :class:`ConfigError` listing every problem.

    With ``check_paths`` the build contexts, Dockerfiles, test files and CA files must exist.
    """
    path = Path(path)
    shown = str(path)
    ctx = Ctx(shown)
    # YAML merge keys (<<: *anchor), as CircleCI configs use them for shared filters
    node = compose_file(path, shown, problems=ctx.problems, merge_keys=True)
    if node is None:
        raise ConfigError(
            "expected a mapping with 'version' and 'images'; found an empty file",
            file=shown,
            line=1,
        )
    data = cast(dict[str, object] | None, ctx.check(CONFIG, node))
    if data is None:
        ctx.raise_problems()
    assert data is not None  # a failed check recorded its problems
    root = path.resolve().parent
    images_data = cast(dict[str, dict[str, object]], data.get("images", {}))
    images = {name: _image(name, raw, root, ctx, check_paths) for name, raw in images_data.items()}
    update = cast(dict[str, object], data.get("update", {}))
    if check_paths:
        for host, registry in cast(dict[str, dict[str, str]], update.get("registries", {})).items():
            if "ca" in registry:
                at = ("update", "registries", host, "ca")
                _exists(ctx, at, root / registry["ca"], directory=False)
    known = set(images_data) | {k for k in _keys(node, "images") if ctx.failed(("images", k))}
    workflows = load_workflows(
        cast(dict[str, dict[str, object]], data.get("jobs", {})),
        cast(dict[str, dict[str, object]], data.get("workflows", {})),
        known,
        ctx,
    )
    ctx.raise_problems()
    lint = LintSettings(cast(dict[str, object], data.get("lint", {})))
    return Config(
        version=1,
        images=images,
        lint=lint,
        path=path,
        root=root,
        update=update_settings(update, root),
        workflows=workflows,
        engine=cast(str | None, data.get("engine")),
    )


def _keys(node: Node, key: str) -> list[str]:
    """The keys of the mapping at top-level ``key`` as written (those that failed included)."""
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == key and isinstance(v, MappingNode):
                return [str(item.value) for item, _ in v.value if isinstance(item, ScalarNode)]
    return []


def _present(items: object) -> list[tuple[int, object]]:
    """The items of a checked list that passed, with their index."""
    return [(i, item) for i, item in enumerate(cast(list[object], items)) if item is not None]


def _image(name: str, raw: dict[str, object], root: Path, ctx: Ctx, check_paths: bool) -> ImageSpec:
    base: tuple[str | int, ...] = ("images", name)
    context = root / cast(str, raw.get("context", "."))
    dockerfile = context / cast(str, raw.get("dockerfile", "Dockerfile"))
    tests = [(i, root / cast(str, t)) for i, t in _present(raw.get("tests", []))]
    publish = [
        (i, _publish(cast(dict[str, object], p), root)) for i, p in _present(raw.get("publish", []))
    ]
    if check_paths:
        # A key that failed its check is not looked for (nor what is relative to it).
        context_ok = not ctx.failed((*base, "context")) and _exists(
            ctx, (*base, "context"), context, directory=True
        )
        if context_ok and not ctx.failed((*base, "dockerfile")):
            _exists(ctx, (*base, "dockerfile"), dockerfile, directory=False)
        for i, test in tests:
            _exists(ctx, (*base, "tests", i), test, directory=False)
        for i, target in publish:
            if target.ca is not None:
                _exists(ctx, (*base, "publish", i, "ca"), target.ca, directory=False)
    rules = raw.get("tags")
    return ImageSpec(
        name=name,
        context=context,
        dockerfile=dockerfile,
        build_args=cast(dict[str, str], raw.get("build-args", {})),
        target=cast(str | None, raw.get("target")),
        tests=tuple(t for _, t in tests),
        tags=DEFAULT_RULES
        if rules is None
        else tuple(_tag_rule(cast(dict[str, object], r)) for _, r in _present(rules)),
        flavor=_flavor(cast(dict[str, object], raw.get("flavor", {}))),
        publish=tuple(p for _, p in publish),
        labels=cast(dict[str, str], raw.get("labels", {})),
        platforms=tuple(cast(str, p) for _, p in _present(raw.get("platforms", []))),
        build=build_options(raw, base, root, ctx, check_paths),
    )


def _exists(ctx: Ctx, at: tuple[str | int, ...], path: Path, *, directory: bool) -> bool:
    ok = path.is_dir() if directory else path.is_file()
    if ok:
        return True
    kind = "directory" if directory else "file"
    # A defaulted key (dockerfile: Dockerfile) has no line of its own: point at the image.
    ctx.report(at, f"expected an existing {kind}; found no {kind} at {path}", near=at[:2])
    return False


def _publish(raw: dict[str, object], root: Path) -> PublishTarget:
    creds = cast(dict[str, str] | None, raw.get("credentials"))
    ca = cast(str | None, raw.get("ca"))
    return PublishTarget(
        repository=cast(str, raw["repository"]),
        insecure=cast(bool, raw.get("insecure", False)),
        ca=None if ca is None else root / ca,
        credentials=None
        if creds is None
        else Credentials(creds["username-env"], creds["password-env"]),
    )


def _tag_rule(raw: dict[str, object]) -> TagRule:
    enable = raw.get("enable", True)
    return TagRule(
        type=cast(str, raw["type"]),
        pattern=cast(str, raw.get("pattern", "nightly" if raw["type"] == "schedule" else "")),
        value=cast(str, raw.get("value", "")),
        match=cast(str, raw.get("match", "")),
        group=cast(int, raw.get("group", 0)),
        event=cast(RefEvent | None, raw.get("event")),
        branch=cast(str, raw.get("branch", "")),
        format=cast(ShaFormat, raw.get("format", "short")),
        prefix=cast(str | None, raw.get("prefix")),
        suffix=cast(str | None, raw.get("suffix")),
        enable=("true" if enable else "false") if isinstance(enable, bool) else str(enable),
        priority=cast(int | None, raw.get("priority")),
    )


def _flavor(raw: dict[str, object]) -> Flavor:
    latest = raw.get("latest", "auto")
    mode = ("true" if latest else "false") if isinstance(latest, bool) else "auto"
    return Flavor(
        latest=cast(LatestMode, mode),
        prefix=cast(str, raw.get("prefix", "")),
        prefix_onlatest=cast(bool, raw.get("prefix-onlatest", False)),
        suffix=cast(str, raw.get("suffix", "")),
        suffix_onlatest=cast(bool, raw.get("suffix-onlatest", False)),
    )
