"""docker/metadata-action semantics, table-driven: rules + flavor + context -> tags."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dockwright.errors import UsageError
from dockwright.tags import DEFAULT_RULES, Context, Flavor, TagRule, compute_tags, sanitize

SHA = "860c1904a1ce19322e91ac35af1ab07466440c37"
NOW = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


def tag(name: str, **kw: object) -> Context:
    return Context(source="git", ref=f"refs/tags/{name}", sha=SHA, **kw)  # type: ignore[arg-type]


def branch(name: str, **kw: object) -> Context:
    return Context(source="git", ref=f"refs/heads/{name}", sha=SHA, **kw)  # type: ignore[arg-type]


PR2 = Context(source="github", event_name="pull_request", ref="refs/pull/2/merge", sha=SHA)
SCHEDULE = Context(source="github", event_name="schedule", ref="refs/heads/main", sha=SHA)
LOOSE = Context(source="git", sha=SHA)  # detached HEAD, no tag

R = TagRule
F = Flavor

CASES: list[tuple[str, tuple[TagRule, ...], Flavor, Context, tuple[str, ...], str, bool]] = [
    # the worked examples of metadata-action's documentation
    (
        "1.8-tag",
        DEFAULT_RULES,
        F(),
        tag("v1.2.3"),
        ("1.2.3", "1.2", "1", "sha-860c190", "latest"),
        "1.2.3",
        True,
    ),
    ("1.8-main", DEFAULT_RULES, F(), branch("main"), ("main", "sha-860c190"), "main", False),
    ("1.8-pr", DEFAULT_RULES, F(), PR2, ("sha-860c190",), "sha-860c190", False),
    (
        "1.8-rc",
        DEFAULT_RULES,
        F(),
        tag("v2.0.0-rc.1"),
        ("2.0.0-rc.1", "sha-860c190"),
        "2.0.0-rc.1",
        False,
    ),
    ("pr-prefix", (R("ref", event="pr"),), F(), PR2, ("pr-2",), "pr-2", False),
    # semver
    (
        "semver-raw",
        (R("semver", pattern="{{raw}}"),),
        F(),
        tag("v1.2.3"),
        ("v1.2.3", "latest"),
        "v1.2.3",
        True,
    ),
    (
        "semver-pre-raw",
        (R("semver", pattern="{{raw}}"), R("semver", pattern="{{major}}")),
        F(),
        tag("v2.0.8-beta.67"),
        ("v2.0.8-beta.67", "2.0.8-beta.67"),
        "v2.0.8-beta.67",
        False,
    ),
    (
        "semver-build-dropped",
        (R("semver", pattern="{{version}}"),),
        F(),
        tag("1.2.3+build.5"),
        ("1.2.3", "latest"),
        "1.2.3",
        True,
    ),
    ("semver-invalid", (R("semver", pattern="{{version}}"),), F(), tag("v1.2"), (), "", False),
    ("semver-leading-zero", (R("semver", pattern="{{major}}"),), F(), tag("01.2.3"), (), "", False),
    ("semver-branch", (R("semver", pattern="{{version}}"),), F(), branch("main"), (), "", False),
    (
        "semver-value",
        (R("semver", pattern="{{major}}.{{minor}}", value="3.4.5"),),
        F(),
        branch("main"),
        ("3.4", "latest"),
        "3.4",
        True,
    ),
    (
        "semver-match",
        (R("semver", pattern="{{version}}", match="app-(.*)"),),
        F(),
        tag("app-1.0.0"),
        ("1.0.0", "latest"),
        "1.0.0",
        True,
    ),
    (
        "semver-zero-major",
        (R("semver", pattern="{{major}}"), R("semver", pattern="{{major}}.{{minor}}")),
        F(),
        tag("v0.1.0"),
        ("0", "0.1", "latest"),
        "0",
        True,
    ),
    # pep440
    (
        "pep440-post",
        (R("pep440", pattern="{{major}}.{{minor}}"),),
        F(),
        tag("1.2.3post1"),
        ("1.2.3.post1",),
        "1.2.3.post1",
        False,
    ),
    (
        "pep440-beta",
        (R("pep440", pattern="{{version}}"),),
        F(),
        tag("1.2.3beta2"),
        ("1.2.3b2",),
        "1.2.3b2",
        False,
    ),
    (
        "pep440-dev",
        (R("pep440", pattern="{{version}}"),),
        F(),
        tag("1.0dev4"),
        ("1.0.dev4",),
        "1.0.dev4",
        False,
    ),
    (
        "pep440-final",
        (R("pep440", pattern="{{major}}.{{minor}}"), R("pep440", pattern="{{version}}")),
        F(),
        tag("v1.2"),
        ("1.2", "latest"),
        "1.2",
        True,
    ),
    # match
    (
        "match-group",
        (R("match", pattern=r"v(\d+\.\d+)", group=1),),
        F(),
        tag("v1.2.3"),
        ("1.2", "latest"),
        "1.2",
        True,
    ),
    ("match-none", (R("match", pattern=r"^x(\d)", group=1),), F(), tag("v1"), (), "", False),
    (
        "match-js-flags",
        (R("match", pattern="/^RELEASE-(.*)$/i", group=1),),
        F(),
        tag("release-7"),
        ("7", "latest"),
        "7",
        True,
    ),
    # ref
    (
        "ref-branch-slash",
        (R("ref", event="branch"),),
        F(),
        branch("feat/x y"),
        ("feat-x-y",),
        "feat-x-y",
        False,
    ),
    (
        "ref-tag",
        (R("ref", event="tag"),),
        F(),
        tag("release/1"),
        ("release-1", "latest"),
        "release-1",
        True,
    ),
    ("ref-tag-on-branch", (R("ref", event="tag"),), F(), branch("main"), (), "", False),
    (
        "ref-detached",
        (R("ref", event="branch"), R("sha")),
        F(),
        LOOSE,
        ("sha-860c190",),
        "sha-860c190",
        False,
    ),
    # edge
    (
        "edge-default-branch",
        (R("edge"), R("ref", event="branch")),
        F(),
        branch("main", default_branch="main"),
        ("edge", "main"),
        "edge",
        False,
    ),
    ("edge-other-branch", (R("edge"),), F(), branch("dev", default_branch="main"), (), "", False),
    ("edge-unknown-default", (R("edge"),), F(), branch("main"), (), "", False),
    ("edge-named", (R("edge", branch="dev"),), F(), branch("dev"), ("edge",), "edge", False),
    # raw and expressions
    ("raw", (R("raw", value="stable"),), F(), branch("x"), ("stable",), "stable", False),
    (
        "raw-latest-on-default",
        (R("raw", value="latest", enable="{{is_default_branch}}"), R("ref", event="branch")),
        F(),
        branch("main", default_branch="main"),
        ("main", "latest"),
        "main",
        False,
    ),
    (
        "raw-latest-off-branch",
        (R("raw", value="latest", enable="{{is_default_branch}}"), R("ref", event="branch")),
        F(),
        branch("dev", default_branch="main"),
        ("dev",),
        "dev",
        False,
    ),
    (
        "raw-expressions",
        (R("raw", value="{{branch}}-{{sha}}-{{date 'YYYYMMDD-HHmm'}}"),),
        F(),
        branch("main"),
        ("main-860c190-20260102-0304",),
        "main-860c190-20260102-0304",
        False,
    ),
    ("raw-disabled", (R("raw", value="x", enable="false"),), F(), branch("main"), (), "", False),
    # sha
    (
        "sha-long",
        (R("sha", format="long"),),
        F(),
        branch("m"),
        (f"sha-{SHA}",),
        f"sha-{SHA}",
        False,
    ),
    ("sha-no-prefix", (R("sha", prefix=""),), F(), branch("m"), ("860c190",), "860c190", False),
    ("sha-none", (R("sha"),), F(), Context(ref="refs/heads/main"), (), "", False),
    (
        "sha-short-length",
        (R("sha"),),
        F(),
        branch("m", short_sha_length=10),
        ("sha-860c1904a1",),
        "sha-860c1904a1",
        False,
    ),
    # schedule
    (
        "schedule-default",
        (R("schedule", pattern="nightly"),),
        F(),
        SCHEDULE,
        ("nightly",),
        "nightly",
        False,
    ),
    (
        "schedule-date",
        (R("schedule", pattern="{{date 'YYYYMMDD' tz='Asia/Tokyo'}}"),),
        F(),
        SCHEDULE,
        ("20260102",),
        "20260102",
        False,
    ),
    ("schedule-on-push", (R("schedule", pattern="nightly"),), F(), branch("main"), (), "", False),
    # flavor
    (
        "flavor-latest-false",
        DEFAULT_RULES,
        F(latest="false"),
        tag("v1.2.3"),
        ("1.2.3", "1.2", "1", "sha-860c190"),
        "1.2.3",
        False,
    ),
    (
        "flavor-latest-true",
        DEFAULT_RULES,
        F(latest="true"),
        branch("main"),
        ("main", "sha-860c190", "latest"),
        "main",
        True,
    ),
    (
        "flavor-prefix-suffix",
        DEFAULT_RULES,
        F(prefix="app-", suffix="-slim", suffix_onlatest=True),
        tag("v1.2.3"),
        ("app-1.2.3-slim", "app-1.2-slim", "app-1-slim", "sha-860c190-slim", "latest-slim"),
        "app-1.2.3-slim",
        True,
    ),
    (
        "flavor-prefix-onlatest",
        (R("semver", pattern="{{version}}"),),
        F(prefix="v", prefix_onlatest=True),
        tag("1.0.0"),
        ("v1.0.0", "vlatest"),
        "v1.0.0",
        True,
    ),
    (
        "rule-prefix-beats-flavor",
        (R("ref", event="branch", prefix="b-"), R("ref", event="pr")),
        F(prefix="f-"),
        branch("main"),
        ("b-main",),
        "b-main",
        False,
    ),
    # priority and dedupe
    (
        "priority-override",
        (R("semver", pattern="{{version}}"), R("raw", value="first", priority=2000)),
        F(),
        tag("v1.0.0"),
        ("first", "1.0.0"),
        "first",
        False,
    ),
    (
        "dedupe",
        (R("raw", value="a"), R("raw", value="a"), R("raw", value="b/c"), R("raw", value="b-c")),
        F(),
        branch("main"),
        ("a", "b-c"),
        "a",
        False,
    ),
    (
        "empty-value-dropped",
        (R("raw", value="{{tag}}"), R("raw", value="x")),
        F(),
        branch("m"),
        ("x",),
        "x",
        False,
    ),
]


@pytest.mark.parametrize(
    ("rules", "flavor", "context", "tags", "version", "latest"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_compute_tags(
    rules: tuple[TagRule, ...],
    flavor: Flavor,
    context: Context,
    tags: tuple[str, ...],
    version: str,
    latest: bool,
) -> None:
    result = compute_tags(rules, flavor, context, NOW)
    assert (result.tags, result.version, result.latest) == (tags, version, latest)


def test_labels_from_context() -> None:
    context = tag(
        "v1.2.3",
        repository="acme/hello",
        url="https://github.com/acme/hello",
        description="Says hello",
        licenses="MIT",
    )
    result = compute_tags(DEFAULT_RULES, Flavor(), context, NOW, labels={"a.custom": "yes"})
    assert result.labels == {
        "a.custom": "yes",
        "org.opencontainers.image.created": "2026-01-02T03:04:05.678Z",
        "org.opencontainers.image.description": "Says hello",
        "org.opencontainers.image.licenses": "MIT",
        "org.opencontainers.image.revision": SHA,
        "org.opencontainers.image.source": "https://github.com/acme/hello",
        "org.opencontainers.image.title": "hello",
        "org.opencontainers.image.url": "https://github.com/acme/hello",
        "org.opencontainers.image.version": "1.2.3",
    }


def test_labels_title_and_override() -> None:
    result = compute_tags(
        (),
        Flavor(),
        Context(),
        NOW,
        title="web",
        labels={"org.opencontainers.image.title": "Web front end"},
    )
    assert result.tags == ()
    assert result.labels == {
        "org.opencontainers.image.created": "2026-01-02T03:04:05.678Z",
        "org.opencontainers.image.title": "Web front end",
    }


def test_dockerfile_labels_stand_over_inferred_ones_but_not_over_the_config() -> None:
    context = tag("v1.2.3", repository="acme/hello", url="https://github.com/acme/hello")
    config = {"org.opencontainers.image.url": "https://acme.example", "a.custom": "yaml"}
    result = compute_tags(DEFAULT_RULES, Flavor(), context, NOW, title="hello", labels=config)
    dockerfile = {
        "org.opencontainers.image.title": "hello-app",  # fills in over the inferred title
        "org.opencontainers.image.description": "From the Dockerfile",  # nothing inferred
        "org.opencontainers.image.version": "0.0.1",  # describes this build: ours
        "org.opencontainers.image.revision": "abc",  # describes this build: ours
        "org.opencontainers.image.created": "1999-01-01",  # describes this build: ours
        "org.opencontainers.image.url": "https://dockerfile.example",  # the config wins
        "a.custom": "dockerfile",  # the config wins
        "maintainer": "someone",  # not ours to manage: the build keeps it
    }
    merged = result.with_dockerfile_labels(dockerfile)
    assert (merged.labels, merged.label_sources) == (
        {
            "a.custom": "yaml",
            "org.opencontainers.image.created": "2026-01-02T03:04:05.678Z",
            "org.opencontainers.image.description": "From the Dockerfile",
            "org.opencontainers.image.revision": SHA,
            "org.opencontainers.image.source": "https://github.com/acme/hello",
            "org.opencontainers.image.title": "hello-app",
            "org.opencontainers.image.url": "https://acme.example",
            "org.opencontainers.image.version": "1.2.3",
        },
        {
            "a.custom": "dockwright.yaml",
            "org.opencontainers.image.created": "inferred",
            "org.opencontainers.image.description": "Dockerfile",
            "org.opencontainers.image.revision": "inferred",
            "org.opencontainers.image.source": "inferred",
            "org.opencontainers.image.title": "Dockerfile",
            "org.opencontainers.image.url": "dockwright.yaml",
            "org.opencontainers.image.version": "inferred",
        },
    )
    # The build sets only what the Dockerfile does not set itself.
    assert merged.build_labels == {
        k: v
        for k, v in merged.labels.items()
        if k.rpartition(".")[2] not in ("title", "description")
    }
    assert merged.with_dockerfile_labels(dockerfile) == merged
    assert result.with_dockerfile_labels({}) == result


def test_refs() -> None:
    result = compute_tags(DEFAULT_RULES, Flavor(), branch("main"), NOW)
    assert result.refs("Ghcr.io/acme/hello") == (
        "ghcr.io/acme/hello:main",
        "ghcr.io/acme/hello:sha-860c190",
    )


def test_enable_must_render_boolean() -> None:
    rules = (R("sha"), R("raw", value="x", enable="{{branch}}"))
    with pytest.raises(UsageError) as info:
        compute_tags(rules, Flavor(), branch("main"), NOW)
    assert str(info.value) == (
        "tags[1].enable: expected true or false; found 'main' (from '{{branch}}')"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("my/branch", "my-branch"), ("a b//c", "a-b-c"), ("v1.2_3-x", "v1.2_3-x"), ("ü", "-")],
)
def test_sanitize(value: str, expected: str) -> None:
    assert sanitize(value) == expected
