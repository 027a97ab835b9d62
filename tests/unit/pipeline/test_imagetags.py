"""The labels an image's Dockerfile sets itself, as BuildKit would evaluate them."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.pipeline.imagetags import dockerfile_labels

MULTI = """\
ARG TITLE=global-title
FROM scratch AS base
ARG TITLE
ENV VENDOR=acme
LABEL org.opencontainers.image.title="$TITLE" org.opencontainers.image.vendor=${VENDOR}
LABEL stage=base
FROM base AS app
ARG FLAVOUR=plain
LABEL stage=app org.opencontainers.image.description="app ($FLAVOUR) by $VENDOR"
FROM scratch AS unrelated
LABEL stage=unrelated other=1
FROM app AS final
ONBUILD LABEL stage=child
"""


@pytest.fixture
def dockerfile(tmp_path: Path) -> Path:
    path = tmp_path / "Dockerfile"
    path.write_text(MULTI)
    return path


def test_the_last_stage_and_the_stages_it_derives_from(dockerfile: Path) -> None:
    assert dockerfile_labels(dockerfile, None, {}) == {
        "org.opencontainers.image.title": "global-title",
        "org.opencontainers.image.vendor": "acme",
        "stage": "app",
        "org.opencontainers.image.description": "app (plain) by acme",
    }


def test_target_and_build_args(dockerfile: Path) -> None:
    labels = dockerfile_labels(dockerfile, "APP", {"TITLE": "from-arg", "FLAVOUR": "spicy"})
    assert labels["org.opencontainers.image.title"] == "from-arg"
    assert labels["org.opencontainers.image.description"] == "app (spicy) by acme"
    assert dockerfile_labels(dockerfile, "unrelated", {}) == {"stage": "unrelated", "other": "1"}
    assert dockerfile_labels(dockerfile, "base", {})["stage"] == "base"


def test_from_a_variable_naming_a_stage(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(
        "ARG BASE=first\nFROM scratch AS first\nLABEL a=1\nFROM scratch AS second\nLABEL a=2\n"
        "FROM ${BASE}\nLABEL b=3\n"
    )
    assert dockerfile_labels(path, None, {}) == {"a": "1", "b": "3"}
    assert dockerfile_labels(path, None, {"BASE": "second"}) == {"a": "2", "b": "3"}
    assert dockerfile_labels(path, None, {"BASE": "debian:12"}) == {"b": "3"}


def test_unreadable_dockerfiles_give_none(tmp_path: Path) -> None:
    """The lint and build steps report these; labels do not fail the run first."""
    assert dockerfile_labels(tmp_path / "missing", None, {}) == {}
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM scratch\nLABEL a=1\nRUN <<EOF\nno end\n")
    assert dockerfile_labels(bad, None, {}) == {}
    bad.write_text("# only a comment\n")
    assert dockerfile_labels(bad, None, {}) == {}
