"""The ``update:`` section of ``dockwright.yaml``: its schema as data (:data:`UPDATE`, one
field of the file's schema, checked with the rest of it by
:func:`dockwright.pipeline.config.load_config`) and the frozen values it gives
(:class:`UpdateSettings`, made from the checked data by :func:`update_settings`).

::

    update:
      policy: minor            # patch | minor | major | digest (default: minor)
      pin-digests: false       # write image:tag@sha256:… and keep the digest current
      prereleases: false       # propose pre-releases (else only when already on one)
      ignore: [node]           # dependencies left alone (names; globs or /regex/)
      ignore-versions: []      # versions never proposed (globs or /regex/)
      registries:              # how to reach a registry for tag lists and digests
        127.0.0.1:5000: {insecure: true}
        registry.example.com: {ca: certs/ca.pem}
      datasources:             # base URLs of the package APIs
        github: https://api.github.com
        pypi: https://pypi.org/pypi
        npm: https://registry.npmjs.org
      rules:                   # per dependency; every matching rule applies, later ones win
        - match: [python, "ghcr.io/acme/*"]
          policy: patch
          pin-digests: true
          prereleases: true
          ignore-versions: ["3.13*"]
          versioning: docker   # docker, semver, semver-coerced, pep440, npm
          group: base-images   # `--commit` makes one commit per group

Loading the config imports this module, so it names the policies and versionings
(:data:`POLICY_NAMES`, :data:`VERSIONING_NAMES`) rather than importing their
implementations; a test keeps the names equal to ``policy.POLICIES`` and
``versioning.VERSIONINGS``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from dockwright.config.nodes import Node, ScalarNode, scalar
from dockwright.config.schema import (
    Bool,
    Ctx,
    Field,
    JSONSchema,
    KeyPath,
    Map,
    MapOf,
    OneOf,
    Pattern,
    Regex,
    Seq,
    Str,
)
from dockwright.update.patterns import matches_any, pattern_error

if TYPE_CHECKING:
    from dockwright.update.policy import Policy

POLICY_NAMES: tuple[Policy, ...] = ("patch", "minor", "major", "digest")
VERSIONING_NAMES = ("docker", "npm", "pep440", "semver", "semver-coerced")
DATASOURCE_URLS = ("github", "npm", "pypi")

# ---------------------------------------------------------------------------------------------
# Schema


class ListPattern:
    """One entry of a Renovate list: a name or glob (any text), or a ``/regular expression/``
    that must compile. A number or date reads as written (``ignore-versions: [4.0]`` is
    ``"4.0"``).

    ``expects`` reads as the items of the list (``expected a list of names, globs or /regular
    expressions/``); an entry of another type is named in the singular.
    """

    __slots__ = ()

    expects = "names, globs or /regular expressions/"
    _one = "a name, glob or /regular expression/"
    _regex = Regex(pattern_error)

    def check(self, node: Node, path: KeyPath, ctx: Ctx) -> str:
        value = scalar(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, int | float | datetime.date) and not isinstance(value, bool):
            return str(node.value)
        if not isinstance(value, str) or not value:
            raise ctx.expected(node, path, self._one)
        return self._regex.check(node, path, ctx)

    def json_schema(self) -> JSONSchema:
        return {"type": ["string", "number"]}


_PATTERNS = Seq(ListPattern(), allow_scalar=True)
_POLICY = OneOf(POLICY_NAMES)
_HOST = Pattern(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?", "a registry host[:port]")
_URL = Pattern(r"https?://\S+", "an http:// or https:// URL")

RULE = Map(
    (
        Field("match", _PATTERNS, required=True),
        Field("policy", _POLICY),
        Field("pin-digests", Bool()),
        Field("prereleases", Bool()),
        Field("ignore-versions", _PATTERNS),
        Field("versioning", OneOf(VERSIONING_NAMES)),
        Field("group", Str(nonempty=True)),
    )
)

UPDATE = Map(
    (
        Field("policy", _POLICY),
        Field("pin-digests", Bool()),
        Field("prereleases", Bool()),
        Field("ignore", _PATTERNS),
        Field("ignore-versions", _PATTERNS),
        Field(
            "registries",
            MapOf(_HOST, Map((Field("insecure", Bool()), Field("ca", Str(nonempty=True))))),
        ),
        Field("datasources", Map(tuple(Field(name, _URL) for name in DATASOURCE_URLS))),
        Field("rules", Seq(RULE)),
    )
)

# ---------------------------------------------------------------------------------------------
# Values


@dataclass(frozen=True)
class Registry:
    insecure: bool = False
    ca: str | None = None


@dataclass(frozen=True)
class Rule:
    match: tuple[str, ...]
    policy: Policy | None = None
    pin_digests: bool | None = None
    prereleases: bool | None = None
    ignore_versions: tuple[str, ...] = ()
    versioning: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Effective:
    """What applies to one dependency once the matching rules are merged."""

    policy: Policy
    pin_digests: bool
    prereleases: bool
    ignore_versions: tuple[str, ...]
    versioning: str | None
    group: str | None
    ignored: bool


@dataclass(frozen=True)
class UpdateSettings:
    policy: Policy = "minor"
    pin_digests: bool = False
    prereleases: bool = False
    ignore: tuple[str, ...] = ()
    ignore_versions: tuple[str, ...] = ()
    registries: Mapping[str, Registry] = field(default_factory=dict)
    datasources: Mapping[str, str] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()

    def for_dependency(self, *names: str) -> Effective:
        """The settings of a dependency known by ``names`` (its name and package)."""
        policy, pin, pre = self.policy, self.pin_digests, self.prereleases
        ignore_versions = list(self.ignore_versions)
        versioning: str | None = None
        group: str | None = None
        for rule in self.rules:
            if not any(matches_any(n, rule.match) for n in names):
                continue
            policy = rule.policy or policy
            pin = pin if rule.pin_digests is None else rule.pin_digests
            pre = pre if rule.prereleases is None else rule.prereleases
            ignore_versions += rule.ignore_versions
            versioning = rule.versioning or versioning
            group = rule.group or group
        ignored = any(matches_any(n, self.ignore) for n in names)
        return Effective(policy, pin, pre, tuple(ignore_versions), versioning, group, ignored)


def update_settings(raw: Mapping[str, object], root: Path) -> UpdateSettings:
    """The settings of an ``update:`` section as :data:`UPDATE` checked it; a ``ca`` file is
    found from ``root``, the directory of dockwright.yaml."""
    registries = {
        host: Registry(
            insecure=cast(bool, entry.get("insecure", False)),
            ca=str(root / cast(str, entry["ca"])) if "ca" in entry else None,
        )
        for host, entry in cast(dict[str, dict[str, object]], raw.get("registries", {})).items()
    }
    rules = cast(list[dict[str, object] | None], raw.get("rules", []))
    return UpdateSettings(
        policy=cast("Policy", raw.get("policy", "minor")),
        pin_digests=cast(bool, raw.get("pin-digests", False)),
        prereleases=cast(bool, raw.get("prereleases", False)),
        ignore=_patterns(raw.get("ignore")),
        ignore_versions=_patterns(raw.get("ignore-versions")),
        registries=registries,
        datasources=cast(dict[str, str], raw.get("datasources", {})),
        rules=tuple(_rule(rule) for rule in rules if rule is not None),
    )


def _patterns(items: object) -> tuple[str, ...]:
    return tuple(str(p) for p in cast(list[object], items or []) if p is not None)


def _rule(raw: dict[str, object]) -> Rule:
    return Rule(
        match=_patterns(raw.get("match")),
        policy=cast("Policy | None", raw.get("policy")),
        pin_digests=cast(bool | None, raw.get("pin-digests")),
        prereleases=cast(bool | None, raw.get("prereleases")),
        ignore_versions=_patterns(raw.get("ignore-versions")),
        versioning=cast(str | None, raw.get("versioning")),
        group=cast(str | None, raw.get("group")),
    )
