"""Planning with a fake datasource: choices, digests, pins, failures and conflicts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from dockwright.dockerfile import parse
from dockwright.errors import RegistryUnavailable
from dockwright.update.datasources.base import Lookup
from dockwright.update.deps import find_dependencies
from dockwright.update.plan import Plan, plan
from dockwright.update.policy import Release
from dockwright.update.rewrite import apply
from dockwright.update.settings import Rule, UpdateSettings


def digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


@dataclass
class FakeSource:
    name: str
    tags: dict[str, list[str]]
    digests: dict[tuple[str, str], str] = field(default_factory=dict)
    latest: str | None = None
    calls: list[str] = field(default_factory=list)
    fail: set[str] = field(default_factory=set)

    def releases(self, package: str, registry_url: str | None = None) -> Lookup:
        self.calls.append(f"releases {package}")
        if package in self.fail:
            raise RegistryUnavailable(f"{package}: cannot connect")
        return Lookup(tuple(Release(t) for t in self.tags.get(package, [])), self.latest)

    def digest(self, package: str, tag: str, **kw: object) -> str | None:
        self.calls.append(f"digest {package}:{tag}")
        return self.digests.get((package, tag))

    def close(self) -> None:
        pass


def run(text: str, settings: UpdateSettings, *sources: FakeSource) -> tuple[Plan, str]:
    df = parse(text)
    result = plan(find_dependencies(df), settings, {s.name: s for s in sources})
    return result, apply(text, result.edits())


def docker(**tags: list[str]) -> FakeSource:
    source = FakeSource("docker", tags)
    for name, values in tags.items():
        for tag in values:
            source.digests[(name, tag)] = digest(f"{name}:{tag}")
    return source


def test_version_update_with_pinning() -> None:
    source = docker(python=["3.11", "3.12", "3.13"])
    result, new = run("FROM python:3.11\n", UpdateSettings(pin_digests=True), source)
    assert new == f"FROM python:3.13@{digest('python:3.13')}\n"
    (u,) = result.updates
    assert (u.update_type, u.new_value, u.new_digest) == ("minor", "3.13", digest("python:3.13"))


def test_a_moved_tag_gets_its_new_digest() -> None:
    source = docker(python=["3.13"])
    text = f"FROM python:3.13@{digest('old')}\n"
    result, new = run(text, UpdateSettings(), source)
    assert new == f"FROM python:3.13@{digest('python:3.13')}\n"
    assert result.updates[0].update_type == "digest"


def test_pinned_and_current_is_current() -> None:
    source = docker(python=["3.13"])
    result, new = run(f"FROM python:3.13@{digest('python:3.13')}\n", UpdateSettings(), source)
    assert (result.updates, new) == ((), f"FROM python:3.13@{digest('python:3.13')}\n")
    assert [(o.status, o.reason) for o in result.others] == [("current", "up to date")]


def test_non_version_tags_get_digests_only() -> None:
    source = docker(node=["lts", "20"])
    result, new = run("FROM node:lts\n", UpdateSettings(), source)
    assert [(o.status, o.reason) for o in result.others] == [("skipped", "not-a-version")]
    result, new = run("FROM node:lts\n", UpdateSettings(pin_digests=True), source)
    assert new == f"FROM node:lts@{digest('node:lts')}\n"
    assert result.updates[0].update_type == "pin"
    assert source.calls.count("releases node") == 0


def test_digest_policy_looks_up_no_tags() -> None:
    source = docker(python=["3.11", "3.12"])
    text = f"FROM python:3.11@{digest('old')}\n"
    _, new = run(text, UpdateSettings(policy="digest"), source)
    assert new == f"FROM python:3.11@{digest('python:3.11')}\n"
    assert source.calls == ["digest python:3.11"]


def test_one_lookup_per_package() -> None:
    source = docker(python=["3.11", "3.12"])
    run("FROM python:3.11\nFROM python:3.11 AS b\nCOPY --from=python:3.11 / /\n",
        UpdateSettings(), source)  # fmt: skip
    assert source.calls == ["releases python"]


def test_a_failed_lookup_is_recorded_and_the_rest_goes_on() -> None:
    source = docker(python=["3.11", "3.12"])
    source.fail.add("ghost")
    result, new = run("FROM ghost:1.0\nFROM python:3.11\n", UpdateSettings(), source)
    assert new == "FROM ghost:1.0\nFROM python:3.12\n"
    assert [(o.dependency.name, o.status, o.reason) for o in result.failed] == [
        ("ghost", "failed", "ghost: cannot connect")
    ]


def test_a_tag_without_a_digest_fails() -> None:
    source = docker(python=["3.12"])
    source.digests.clear()
    result, _ = run("FROM python:3.12\n", UpdateSettings(pin_digests=True), source)
    assert [o.reason for o in result.failed] == ["python:3.12: no digest (the tag is gone)"]


def test_two_images_sharing_an_arg() -> None:
    source = docker(a=["1.0", "1.1"], b=["1.0", "1.1"], c=["1.0", "2.0"])
    text = "ARG V=1.0\nFROM a:${V}\nFROM b:${V}\n"
    result, new = run(text, UpdateSettings(), source)
    assert new == "ARG V=1.1\nFROM a:${V}\nFROM b:${V}\n"
    assert len(result.updates) == 2  # the same edit, made once
    text = "ARG V=1.0\nFROM a:${V}\nFROM c:${V}\n"
    result, new = run(text, UpdateSettings(policy="major"), source)
    assert new == text
    assert [o.reason for o in result.others] == [
        "conflict: c (Dockerfile:3) is written in the same place",
        "conflict: a (Dockerfile:2) is written in the same place",
    ]


def test_a_pin_for_one_image_would_pin_the_other() -> None:
    source = docker(a=["1.0"], b=["1.0"])
    text = "ARG V=1.0\nFROM a:${V}\nFROM b:${V}\n"
    settings = UpdateSettings(rules=(Rule(("a",), pin_digests=True),))
    result, new = run(text, settings, source)
    assert new == text
    assert [(o.dependency.name, o.status, o.reason) for o in result.others] == [
        ("b", "current", "up to date"),
        ("a", "skipped", "conflict: b (Dockerfile:3) is written in the same place"),
    ]


def test_skips_with_reasons() -> None:
    source = docker(alpine=["3.19"])
    text = (
        "FROM busybox\n"
        f"FROM alpine@{digest('x')}\n"
        "FROM $REG/alpine:3.19\n"
        "# renovate: datasource=maven depName=x\nARG X_VERSION=1.0\n"
        "# renovate: datasource=docker depName=alpine versioning=loose\nARG A_VERSION=3.18\n"
    )
    result, new = run(text, UpdateSettings(ignore=("nothing",)), source)
    assert new == text
    assert [(o.dependency.name, o.reason) for o in result.others] == [
        ("busybox", "no-tag"),
        ("alpine", "digest-without-tag"),
        ("$REG/alpine:3.19", "contains-variable"),
        ("x", "unsupported-datasource maven"),
        ("alpine", "unsupported-versioning loose"),
    ]


def test_ignore_and_rules() -> None:
    source = docker(python=["3.11", "3.12", "4.0"], node=["20", "22"])
    settings = UpdateSettings(
        ignore=("node",), rules=(Rule(("python",), policy="major", group="base"),)
    )
    result, new = run("FROM python:3.11\nFROM node:20\n", settings, source)
    assert new == "FROM python:4.0\nFROM node:20\n"
    assert result.updates[0].group == "base"
    assert [(o.dependency.name, o.reason) for o in result.others] == [("node", "ignored")]


def test_annotated_github_release_keeps_the_value_style() -> None:
    gh = FakeSource("github-releases", {"hadolint/hadolint": ["v2.12.0", "v2.13.1", "v3.0.0"]})
    text = (
        "# renovate: datasource=github-releases depName=hadolint/hadolint\n"
        "ARG HADOLINT_VERSION=2.12.0\n"
        "# renovate: datasource=github-releases depName=hadolint/hadolint\n"
        "ARG OTHER_VERSION=v2.12.0\n"
    )
    _, new = run(text, UpdateSettings(), gh)
    assert new == text.replace("=2.12.0", "=2.13.1").replace("=v2.12.0", "=v2.13.1")


def test_extract_version() -> None:
    gh = FakeSource("github-tags", {"k/k": ["v1.29.0", "v1.30.2", "other"]})
    text = (
        "# renovate: datasource=github-tags depName=k/k extractVersion=^v(?<version>.*)$\n"
        "ENV K_VERSION=1.29.0\n"
    )
    _, new = run(text, UpdateSettings(), gh)
    assert new == text.replace("1.29.0", "1.30.2")


def test_pypi_versions_are_pep440() -> None:
    pypi = FakeSource("pypi", {"poetry": ["1.8.3", "1.8.4", "2.0.0", "1.9.0rc1"]})
    text = "# renovate: datasource=pypi depName=poetry\nENV POETRY_VERSION=1.8.3\n"
    _, new = run(text, UpdateSettings(), pypi)
    assert new == text.replace("1.8.3", "1.8.4")
    _, new = run(text, UpdateSettings(policy="major"), pypi)
    assert new == text.replace("1.8.3", "2.0.0")


def test_an_annotated_image_version_is_not_pinned() -> None:
    source = docker(python=["3.12-slim", "3.13-slim"])
    text = "# renovate: datasource=docker depName=python\nARG PYTHON_VERSION=3.12-slim\n"
    result, new = run(text, UpdateSettings(pin_digests=True), source)
    assert new == text.replace("3.12-slim", "3.13-slim")
    assert [(u.update_type, u.new_digest) for u in result.updates] == [("minor", None)]
