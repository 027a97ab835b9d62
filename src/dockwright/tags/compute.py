"""Tags and OCI labels from rules, flavor and context: docker/metadata-action's algorithm.

Rules run in priority order (highest first, stable). The first enabled rule that yields a
value gives the main version, and decides ``latest`` (with flavor ``latest=auto``); every
other distinct value is a further tag. Values are sanitised to Docker's tag alphabet.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from dockwright.errors import UsageError
from dockwright.tags.context import Context
from dockwright.tags.rules import Flavor, TagRule, compile_regex
from dockwright.tags.template import iso_utc, render
from dockwright.tags.versions import Version, parse_pep440, parse_semver

OCI = "org.opencontainers.image."
INFERRED_LABELS = tuple(
    OCI + k
    for k in ("title", "description", "url", "source", "version", "created", "revision", "licenses")
)
# Labels that describe this build, not the image's contents: always ours, over the Dockerfile's.
BUILD_LABELS = frozenset(OCI + k for k in ("version", "revision", "created"))
# Where a label's value comes from, lowest precedence first.
INFERRED, DOCKERFILE, CONFIG = "inferred", "Dockerfile", "dockwright.yaml"


@dataclass(frozen=True)
class TagSet:
    version: str  # the main version ("" when no rule produced one)
    tags: tuple[str, ...]  # tag names, main first, then the others, then latest
    labels: Mapping[str, str] = field(default_factory=dict)  # what the image will carry
    latest: bool = False
    # label key -> INFERRED, DOCKERFILE or CONFIG
    label_sources: Mapping[str, str] = field(default_factory=dict)

    def refs(self, repository: str) -> tuple[str, ...]:
        """``repository:tag`` for each tag (repository lower-cased, as Docker requires)."""
        return tuple(f"{repository.lower()}:{tag}" for tag in self.tags)

    @property
    def build_labels(self) -> dict[str, str]:
        """The labels a build must set: all but those the Dockerfile already sets itself."""
        return {k: v for k, v in self.labels.items() if self.label_sources.get(k) != DOCKERFILE}

    def with_dockerfile_labels(self, dockerfile: Mapping[str, str]) -> TagSet:
        """These labels with the Dockerfile's own LABELs in place of inferred ones: an inferred
        label fills in only what the Dockerfile leaves unset, except :data:`BUILD_LABELS`,
        which always describe this build; the config's labels win over both."""
        labels, sources = dict(self.labels), dict(self.label_sources)
        for key, value in dockerfile.items():
            ours = sources.get(key, INFERRED) == INFERRED
            if key in INFERRED_LABELS and key not in BUILD_LABELS and ours:
                labels[key], sources[key] = value, DOCKERFILE
        keys = sorted(labels)
        return replace(
            self, labels={k: labels[k] for k in keys}, label_sources={k: sources[k] for k in keys}
        )


def sanitize(value: str) -> str:
    return re.sub(r"[^a-zA-Z0-9._-]+", "-", value)


def compute_tags(
    rules: Sequence[TagRule],
    flavor: Flavor,
    context: Context,
    now: datetime,
    *,
    title: str = "",
    labels: Mapping[str, str] | None = None,
    created: datetime | None = None,
) -> TagSet:
    """Compute the tags and labels; ``title`` defaults to the repository name and ``labels``
    (from the config) override generated ones with the same key. ``created`` dates the
    ``created`` label (default ``now``); see :func:`dockwright.tags.context.created_time`.
    :meth:`TagSet.with_dockerfile_labels` then puts the Dockerfile's own labels first."""
    run = _Run(flavor, context, now)
    main: str | None = None
    others: list[str] = []
    latest: bool | None = None
    for index, rule in sorted(enumerate(rules), key=lambda p: -p[1].effective_priority):
        if not run.enabled(rule, index):
            continue
        produced = run.value(rule)
        if produced is None:
            continue
        raw, auto_latest = produced
        value = sanitize(raw)
        if not value:
            continue
        if main is None:
            main = value
        elif value != main and value not in others:
            others.append(value)
        if latest is None:
            latest = auto_latest if flavor.latest == "auto" else flavor.latest == "true"
    tags = ([main] if main else []) + others
    if main is not None and latest:
        name = "latest"
        if flavor.prefix_onlatest:
            name = run.expand(flavor.prefix) + name
        if flavor.suffix_onlatest:
            name += run.expand(flavor.suffix)
        name = sanitize(name)
        if name not in tags:
            tags.append(name)
    values, sources = _labels(context, created or now, main or "", title=title, extra=labels or {})
    return TagSet(
        version=main or "",
        tags=tuple(tags),
        labels=values,
        latest=bool(main is not None and latest),
        label_sources=sources,
    )


def oci_labels(
    context: Context, now: datetime, version: str, *, title: str = "", extra: Mapping[str, str]
) -> dict[str, str]:
    """The OCI labels the context knows (empty ones left out), then ``extra``, sorted by key."""
    return _labels(context, now, version, title=title, extra=extra)[0]


def _labels(
    context: Context, now: datetime, version: str, *, title: str, extra: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The labels, sorted by key, and where each comes from (INFERRED or CONFIG)."""
    generated = {
        "title": title or context.name,
        "description": context.description,
        "url": context.url,
        "source": context.url,
        "version": version,
        "created": iso_utc(now),
        "revision": context.sha,
        "licenses": context.licenses,
    }
    values = {OCI + k: v for k, v in generated.items() if v}
    sources = dict.fromkeys(values, INFERRED)
    for key, value in extra.items():
        values[key], sources[key] = value, CONFIG
    keys = sorted(values)
    return {k: values[k] for k in keys}, {k: sources[k] for k in keys}


class _Run:
    """One computation: the rendering variables and each rule type's value."""

    def __init__(self, flavor: Flavor, context: Context, now: datetime) -> None:
        self.flavor = flavor
        self.ctx = context
        self.times = {"date": now, "commit_date": context.commit_date or now}
        self.globals = {
            "branch": context.branch,
            "tag": context.tag,
            "sha": context.short_sha,
            "base_ref": context.base_ref,
            "is_default_branch": "true" if context.is_default_branch else "false",
            "is_not_default_branch": "false" if context.is_default_branch else "true",
        }

    def expand(self, text: str, extra: Mapping[str, str] | None = None) -> str:
        variables = self.globals if extra is None else {**self.globals, **extra}
        return render(text, variables, self.times)

    def enabled(self, rule: TagRule, index: int) -> bool:
        value = self.expand(rule.enable).strip()
        if value not in ("true", "false"):
            raise UsageError(
                f"tags[{index}].enable: expected true or false; found {value!r} "
                f"(from {rule.enable!r})"
            )
        return value == "true"

    def decorate(self, value: str, rule: TagRule) -> str:
        prefix = rule.effective_prefix
        suffix = rule.suffix
        value = self.expand(self.flavor.prefix if prefix is None else prefix) + value
        return value + self.expand(self.flavor.suffix if suffix is None else suffix)

    def value(self, rule: TagRule) -> tuple[str, bool] | None:
        """The rule's tag before sanitising and whether it makes ``latest`` (auto)."""
        kind = rule.type
        if kind in ("semver", "pep440"):
            return self._version(rule)
        if kind == "match":
            return self._match(rule)
        if kind == "ref":
            return self._ref(rule)
        if kind == "edge":
            branch = rule.branch or self.ctx.default_branch
            if branch and self.ctx.branch == branch:
                return self.decorate("edge", rule), False
            return None
        if kind == "raw":
            return self.decorate(self.expand(rule.value), rule), False
        if kind == "sha":
            if not self.ctx.sha:
                return None
            sha = self.ctx.sha if rule.format == "long" else self.ctx.short_sha
            return self.decorate(sha, rule), False
        if kind == "schedule":
            if self.ctx.event_name != "schedule":
                return None
            return self.decorate(self.expand(rule.pattern or "nightly"), rule), False
        raise UsageError(f"unknown tag type {kind!r}")  # the config schema prevents this

    def _source(self, rule: TagRule) -> str | None:
        if rule.value:
            return self.expand(rule.value)
        return self.ctx.tag or None

    def _version(self, rule: TagRule) -> tuple[str, bool] | None:
        raw = self._source(rule)
        if raw is None:
            return None
        if rule.match:
            m = compile_regex(rule.match).search(raw)
            if m is not None and m.re.groups >= 1 and m.group(1) is not None:
                raw = m.group(1)
        raw = raw.replace("/", "-")
        parsed: Version | None = (parse_semver if rule.type == "semver" else parse_pep440)(raw)
        if parsed is None:
            return None
        fields = parsed.fields()
        if parsed.is_prerelease:
            pattern = rule.pattern if _is_raw(rule.pattern) else "{{version}}"
        else:
            pattern = rule.pattern
        return self.decorate(self.expand(pattern, fields), rule), not parsed.is_prerelease

    def _match(self, rule: TagRule) -> tuple[str, bool] | None:
        raw = self._source(rule)
        if raw is None:
            return None
        m = compile_regex(rule.pattern).search(raw)
        if m is None or rule.group > m.re.groups or m.group(rule.group) is None:
            return None
        return self.decorate(m.group(rule.group), rule), True

    def _ref(self, rule: TagRule) -> tuple[str, bool] | None:
        if rule.event == "branch":
            value, latest = self.ctx.branch, False
        elif rule.event == "tag":
            value, latest = self.ctx.tag, True
        else:
            value, latest = self.ctx.pr_number, False
        if not value:
            return None
        return self.decorate(value, rule), latest


def _is_raw(pattern: str) -> bool:
    return re.fullmatch(r"{{\s*raw\s*}}", pattern) is not None
