"""The ``update:`` section of ``dockwright.yaml``, as frozen values, and its validation.

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

:func:`parse_settings` takes the section as plain data (what a YAML loader gives) and the
line of each key path when the caller knows it; a bad value is a ConfigError naming the
file, line and key path (``update.rules[0].policy``), what was expected and what was found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from dockwright.errors import ConfigError
from dockwright.update.patterns import matches_any
from dockwright.update.policy import POLICIES, Policy
from dockwright.update.versioning import VERSIONINGS

DATASOURCE_URLS = ("github", "npm", "pypi")
_TOP = (
    "datasources",
    "ignore",
    "ignore-versions",
    "pin-digests",
    "policy",
    "prereleases",
    "registries",
    "rules",
)
_RULE = ("group", "ignore-versions", "match", "pin-digests", "policy", "prereleases", "versioning")
_REGISTRY = ("ca", "insecure")
_HOST = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?")


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


@dataclass(frozen=True)
class Problem:
    path: str
    message: str


def _render(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _found(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def bad(self, path: Sequence[str | int], expected: str, value: object) -> None:
        self.problems.append(Problem(_render(path), f"expected {expected}; found {_found(value)}"))

    def mapping(
        self, value: object, path: Sequence[str | int], keys: Sequence[str]
    ) -> Mapping[str, object]:
        if not isinstance(value, Mapping):
            self.bad(path, "a mapping", value)
            return {}
        for key in value:
            if key not in keys:
                self.problems.append(
                    Problem(
                        _render([*path, str(key)]),
                        f"unknown key {_found(key)}; expected one of {', '.join(keys)}",
                    )
                )
        return value

    def boolean(self, value: object, path: Sequence[str | int]) -> bool | None:
        if not isinstance(value, bool):
            self.bad(path, "true or false", value)
            return None
        return value

    def choice(
        self, value: object, path: Sequence[str | int], options: Sequence[str]
    ) -> str | None:
        if not isinstance(value, str) or value not in options:
            self.bad(path, "one of " + ", ".join(options), value)
            return None
        return value

    def text(self, value: object, path: Sequence[str | int]) -> str | None:
        if not isinstance(value, str) or not value:
            self.bad(path, "a non-empty string", value)
            return None
        return value

    def patterns(self, value: object, path: Sequence[str | int]) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.bad(path, "a list of names, globs or /regular expressions/", value)
            return ()
        out = []
        for i, item in enumerate(value):
            if isinstance(item, int | float) and not isinstance(item, bool):
                item = str(item)
            text = self.text(item, [*path, i])
            if text is None:
                continue
            if len(text) >= 2 and text.startswith("/") and text.endswith("/"):
                try:
                    re.compile(text[1:-1])
                except re.error as exc:
                    self.problems.append(
                        Problem(
                            _render([*path, i]),
                            f"expected a regular expression; found {text!r} ({exc})",
                        )
                    )
                    continue
            out.append(text)
        return tuple(out)


def problems_and_settings(raw: object) -> tuple[list[Problem], UpdateSettings]:
    """Every problem of the section (empty when valid) and the settings read from it."""
    c = _Checker()
    top = c.mapping({} if raw is None else raw, ["update"], _TOP)
    base = ["update"]
    values: dict[str, object] = {}
    if "policy" in top:
        values["policy"] = c.choice(top["policy"], [*base, "policy"], POLICIES)
    for key, attr in (("pin-digests", "pin_digests"), ("prereleases", "prereleases")):
        if key in top:
            values[attr] = c.boolean(top[key], [*base, key])
    for key, attr in (("ignore", "ignore"), ("ignore-versions", "ignore_versions")):
        if key in top:
            values[attr] = c.patterns(top[key], [*base, key])
    if "registries" in top:
        values["registries"] = _registries(c, top["registries"], [*base, "registries"])
    if "datasources" in top:
        found = c.mapping(top["datasources"], [*base, "datasources"], DATASOURCE_URLS)
        urls = {}
        for key, url in found.items():
            if key in DATASOURCE_URLS:
                text = c.text(url, [*base, "datasources", key])
                if text is not None and not re.match(r"https?://", text):
                    c.bad([*base, "datasources", key], "an http:// or https:// URL", text)
                elif text is not None:
                    urls[key] = text
        values["datasources"] = urls
    if "rules" in top:
        rules = top["rules"]
        if not isinstance(rules, list):
            c.bad([*base, "rules"], "a list of rules", rules)
        else:
            values["rules"] = tuple(
                _rule(c, item, [*base, "rules", i]) for i, item in enumerate(rules)
            )
    kept = {k: v for k, v in values.items() if v is not None}
    return c.problems, UpdateSettings(**kept)  # type: ignore[arg-type]


def _registries(c: _Checker, value: object, path: list[str | int]) -> dict[str, Registry]:
    if not isinstance(value, Mapping):
        c.bad(path, "a mapping of registry hosts", value)
        return {}
    out = {}
    for host, entry in value.items():
        at = [*path, str(host)]
        if not isinstance(host, str) or not _HOST.fullmatch(host):
            c.problems.append(
                Problem(_render(at), f"expected a registry host[:port]; found {_found(host)}")
            )
            continue
        fields = c.mapping(entry, at, _REGISTRY)
        insecure = (
            c.boolean(fields["insecure"], [*at, "insecure"]) if "insecure" in fields else None
        )
        ca = c.text(fields["ca"], [*at, "ca"]) if "ca" in fields else None
        out[host] = Registry(insecure=bool(insecure), ca=ca)
    return out


def _rule(c: _Checker, value: object, path: list[str | int]) -> Rule:
    fields = c.mapping(value, path, _RULE)
    if isinstance(value, Mapping) and "match" not in fields:
        c.problems.append(Problem(_render(path), "missing required key 'match'"))
    match = c.patterns(fields["match"], [*path, "match"]) if "match" in fields else ()
    policy = c.choice(fields["policy"], [*path, "policy"], POLICIES) if "policy" in fields else None
    pin = (
        c.boolean(fields["pin-digests"], [*path, "pin-digests"])
        if "pin-digests" in fields
        else None
    )
    pre = (
        c.boolean(fields["prereleases"], [*path, "prereleases"])
        if "prereleases" in fields
        else None
    )
    ignore = (
        c.patterns(fields["ignore-versions"], [*path, "ignore-versions"])
        if "ignore-versions" in fields
        else ()
    )
    versioning = (
        c.choice(fields["versioning"], [*path, "versioning"], sorted(VERSIONINGS))
        if "versioning" in fields
        else None
    )
    group = c.text(fields["group"], [*path, "group"]) if "group" in fields else None
    return Rule(match, policy, pin, pre, ignore, versioning, group)  # type: ignore[arg-type]


def parse_settings(
    raw: object,
    *,
    file: str | None = None,
    line_at: Callable[[str], int | None] = lambda _path: None,
) -> UpdateSettings:
    """The settings of an ``update:`` section; ConfigError for the first problem, with the
    file and the line ``line_at(key_path)`` gives (the nearest enclosing key's when the key
    itself has no line)."""
    found, settings = problems_and_settings(raw)
    if found:
        first = found[0]
        raise ConfigError(
            first.message, file=file, line=_line(first.path, line_at), key_path=first.path
        )
    return settings


def _line(path: str, line_at: Callable[[str], int | None]) -> int | None:
    while path:
        line = line_at(path)
        if line is not None:
            return line
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None
