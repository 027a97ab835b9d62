"""Finding dependencies: what Renovate's Dockerfile manager and dockerfileVersions preset
find, and where each version and digest is written."""

from __future__ import annotations

import pytest

from dockwright.dockerfile import parse
from dockwright.update.deps import Dependency, find_dependencies
from dockwright.update.sourced import Sourced

DIGEST = "sha256:" + "a" * 64
DIGEST2 = "sha256:" + "b" * 64


def deps(text: str, **kw: object) -> list[Dependency]:
    return find_dependencies(parse(text), **kw)  # type: ignore[arg-type]


def at(text: str, dep: Dependency) -> tuple[str | None, str | None]:
    """The characters the dependency says its value and digest are."""
    value = text[dep.value_at[1] : dep.value_at[2]] if dep.value_at else None
    digest = text[dep.digest_at[1] : dep.digest_at[2]] if dep.digest_at else None
    return value, digest


def summary(found: list[Dependency]) -> list[tuple[str, str, str | None, str | None, str]]:
    return [(d.kind, d.name, d.value, d.digest, d.skip or d.dep_type) for d in found]


def test_from_tag_digest_platform_and_final() -> None:
    text = (
        f"FROM --platform=linux/arm64 python:3.12-slim@{DIGEST} AS build\n"
        "RUN true\n"
        "FROM 127.0.0.1:5000/team/app:1.0\n"
    )
    found = deps(text)
    assert summary(found) == [
        ("from", "python", "3.12-slim", DIGEST, "stage"),
        ("from", "127.0.0.1:5000/team/app", "1.0", None, "final"),
    ]
    assert found[0].platform == "linux/arm64"
    for dep in found:
        assert at(text, dep) == (dep.value, dep.digest)
    assert found[1].pin_at == ("Dockerfile", text.index("1.0") + 3, text.index("1.0") + 3)


def test_registry_port_is_not_a_tag() -> None:
    (dep,) = deps("FROM localhost:5000/app\n")
    assert (dep.name, dep.value, dep.pin_at) == ("localhost:5000/app", None, None)


def test_stage_names_and_scratch_are_not_dependencies() -> None:
    text = (
        "FROM golang:1.22 AS Builder\n"
        "FROM builder AS test\n"
        "FROM scratch\n"
        "COPY --from=builder /a /a\n"
        "COPY --from=0 /b /b\n"
        "COPY --from=busybox:1.36 /bin/sh /sh\n"
        "RUN --mount=type=cache,from=test,target=/c --mount=type=bind,from=node:20,target=/n true\n"
    )
    assert summary(deps(text)) == [
        ("from", "golang", "1.22", None, "stage"),
        ("copy-from", "busybox", "1.36", None, "stage"),
        ("mount-from", "node", "20", None, "stage"),
    ]


def test_global_arg_is_updated_where_it_is_defined() -> None:
    text = "ARG TAG=3.19.4\nFROM alpine:${TAG}\n"
    (dep,) = deps(text)
    assert (dep.name, dep.value, dep.line) == ("alpine", "3.19.4", 2)
    assert dep.value_at == ("Dockerfile", 8, 14)
    assert dep.pin_at == ("Dockerfile", 14, 14)  # `ARG TAG=3.19.4@sha256:…`, as Renovate


def test_whole_image_in_a_quoted_arg() -> None:
    text = f'ARG IMAGE="python:3.12@{DIGEST}"\nFROM $IMAGE\n'
    (dep,) = deps(text)
    assert (dep.name, dep.value, dep.digest) == ("python", "3.12", DIGEST)
    assert at(text, dep) == ("3.12", DIGEST)


def test_default_in_the_from_line() -> None:
    text = f"ARG IMAGE\nFROM ${{IMAGE:-alpine:3.18@{DIGEST}}}\n"
    (dep,) = deps(text)
    assert (dep.name, dep.value, dep.digest, dep.skip) == ("alpine", "3.18", DIGEST, None)
    assert at(text, dep) == ("3.18", DIGEST)


def test_a_stage_arg_does_not_reach_a_later_from() -> None:
    # BuildKit expands FROM with global ARGs only (Renovate would take the stage's value)
    text = "FROM alpine:3.19\nARG V=1.0\nFROM busybox:${V}\n"
    assert summary(deps(text))[1] == ("from", "busybox:${V}", "", None, "contains-variable")


def test_stage_arg_and_env_for_copy_from() -> None:
    text = (
        "ARG HELPER=1.2\n"
        "FROM alpine:3.19\n"
        "ARG HELPER\n"
        "ENV TOOL=tool\n"
        "COPY --from=example.com/${TOOL}:${HELPER} /x /x\n"
    )
    found = deps(text)
    assert summary(found)[1] == ("copy-from", "example.com/tool", "1.2", None, "stage")
    assert found[1].value_at == ("Dockerfile", 11, 14)


def test_variables_without_a_value() -> None:
    assert summary(deps("FROM $REGISTRY/alpine:3.19\n")) == [
        ("from", "$REGISTRY/alpine:3.19", "3.19", None, "contains-variable")
    ]


def test_a_value_spread_over_two_args() -> None:
    text = "ARG MAJOR=3\nARG MINOR=19\nFROM alpine:${MAJOR}.${MINOR}\n"
    (dep,) = deps(text)
    assert (dep.value, dep.skip, dep.value_at) == ("3.19", None, None)
    assert dep.value_locs == (
        ("Dockerfile", 10),
        ("Dockerfile", 45),
        ("Dockerfile", 22),
        ("Dockerfile", 23),
    )


def test_a_tag_partly_from_an_arg() -> None:
    text = 'ARG GO_VERSION=1.21\nFROM golang:"${GO_VERSION}"-alpine\n'
    (dep,) = deps(text)
    assert (dep.value, dep.skip) == ("1.21-alpine", None)
    assert [text[loc[1]] for loc in dep.value_locs if loc] == list("1.21-alpine")
    assert dep.pin_at == ("Dockerfile", len(text) - 1, len(text) - 1)


def test_build_arg_from_dockwright_yaml_wins() -> None:
    yaml_text = 'images:\n  app:\n    build-args: {PY: "3.11"}\n'
    start = yaml_text.index("3.11")
    build_args = {"PY": Sourced.at("3.11", "dockwright.yaml", start)}
    (dep,) = deps("ARG PY=3.12\nFROM python:${PY}-slim\n", build_args=build_args)
    assert (dep.value, dep.value_at, dep.via, dep.skip) == (
        "3.11-slim",
        None,  # `3.11` in the YAML, `-slim` in the Dockerfile
        ("dockwright.yaml",),
        None,
    )
    assert dep.value_locs[:4] == tuple(("dockwright.yaml", start + i) for i in range(4))
    (dep,) = deps("ARG PY=3.12\nFROM python:${PY}\n", build_args=build_args)
    assert (dep.value, dep.value_at, dep.skip) == (
        "3.11",
        ("dockwright.yaml", start, start + 4),
        None,
    )


def test_continuations_comments_and_backtick_escape() -> None:
    text = (
        "# escape=`\nFROM `\n  # the base\n  --platform=linux/amd64 `\n  python:3.12 `\n  AS base\n"
    )
    (dep,) = deps(text)
    assert (dep.value, dep.line, dep.platform) == ("3.12", 2, "linux/amd64")
    assert at(text, dep) == ("3.12", None)


def test_bom_and_crlf() -> None:
    text = "\ufeffARG X=1\r\nFROM python:3.12\r\nCOPY --from=node:20 /a /b\r\n"
    found = deps(text)
    assert [at(text, d) for d in found] == [("3.12", None), ("20", None)]


def test_syntax_directive() -> None:
    text = "# syntax=docker/dockerfile:1.7\nFROM alpine:3.19\n"
    found = deps(text)
    assert summary(found)[0] == ("syntax", "docker/dockerfile", "1.7", None, "syntax")
    assert at(text, found[0]) == ("1.7", None)


RENOVATE_EXAMPLE = """\
# renovate: datasource=github-releases depName=hadolint/hadolint
ARG HADOLINT_VERSION=v2.12.0
# renovate: datasource=pypi depName=poetry versioning=pep440
ENV POETRY_VERSION="1.8.3"
# renovate: datasource=docker depName=python versioning=docker
ARG PYTHON_VERSION=3.12-slim
FROM python:3.12
"""


def test_renovate_annotations() -> None:
    found = [d for d in deps(RENOVATE_EXAMPLE) if d.kind != "from"]
    assert [(d.kind, d.datasource, d.name, d.versioning, d.value, d.line) for d in found] == [
        ("arg", "github-releases", "hadolint/hadolint", None, "v2.12.0", 2),
        ("env", "pypi", "poetry", "pep440", "1.8.3", 4),
        ("arg", "docker", "python", "docker", "3.12-slim", 6),
    ]
    assert [at(RENOVATE_EXAMPLE, d)[0] for d in found] == ["v2.12.0", "1.8.3", "3.12-slim"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # keys in the preset's order, with packageName, extractVersion and registryUrl
        (
            "# renovate: datasource=github-tags depName=kubectl packageName=kubernetes/kubernetes"
            " extractVersion=^v(?<version>.*)$ registryUrl=https://github.com\n"
            "ENV KUBECTL_VERSION 1.29.0\n",
            [("kubectl", "kubernetes/kubernetes", "1.29.0")],
        ),
        # lookupName is packageName's old spelling
        (
            "# renovate: datasource=npm depName=pnpm lookupName=pnpm\nARG PNPM_VERSION=8.1.0\n",
            [("pnpm", "pnpm", "8.1.0")],
        ),
        # keys out of order: no match
        ("# renovate: depName=x datasource=pypi\nARG X_VERSION=1\n", []),
        # the variable must end in _VERSION
        ("# renovate: datasource=pypi depName=x\nARG XVER=1\n", []),
        # the comment must come right before
        ("# renovate: datasource=pypi depName=x\n\nARG X_VERSION=1\n", []),
        # CRLF files are read too
        ("# renovate: datasource=pypi depName=x\r\nARG X_VERSION=1.0\r\n", [("x", "x", "1.0")]),
        # single quotes are dropped
        ("# renovate: datasource=pypi depName=x\nARG X_VERSION='2.0'\n", [("x", "x", "2.0")]),
    ],
)
def test_annotation_forms(text: str, found: list[tuple[str, str, str]]) -> None:
    got = [d for d in deps(text) if d.kind in ("arg", "env")]
    assert [(d.name, d.package, d.value) for d in got] == found
    for d in got:
        assert at(text, d)[0] == d.value


def test_annotated_arg_set_by_a_build_arg_is_written_in_the_yaml() -> None:
    text = "# renovate: datasource=pypi depName=poetry\nARG POETRY_VERSION=1.0.0\n"
    build_args = {"POETRY_VERSION": Sourced.at("1.8.3", "dockwright.yaml", 40)}
    (dep,) = deps(text, build_args=build_args)
    assert (dep.value, dep.value_at, dep.via) == (
        "1.8.3",
        ("dockwright.yaml", 40, 45),
        ("dockwright.yaml",),
    )


def test_invalid_names_are_skipped() -> None:
    assert summary(deps("FROM Python:3\n")) == [("from", "Python", "3", None, "invalid-name")]


def test_digest_only_and_untagged() -> None:
    text = f"FROM alpine@{DIGEST}\nFROM busybox\n"
    found = deps(text)
    assert summary(found) == [
        ("from", "alpine", None, DIGEST, "stage"),
        ("from", "busybox", None, None, "final"),
    ]
    assert at(text, found[0]) == (None, DIGEST)
    assert found[0].pin_at is None
