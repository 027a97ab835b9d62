from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.pipeline.config import (
    Config,
    Credentials,
    ImageSpec,
    LintSettings,
    PublishTarget,
    find_config,
    load_config,
)
from dockwright.tags.rules import DEFAULT_RULES, Flavor, TagRule

FULL = """\
version: 1
images:
  hello:
    context: app
    dockerfile: docker/Dockerfile
    build-args: {APP_VERSION: 1.10, DEBUG: true, NAME: hi}
    target: runtime
    tests: [structure.yaml, more/extra.yaml]
    tags:
      - {type: semver, pattern: "{{version}}", match: 'v(\\d.*)'}
      - {type: ref, event: pr}
      - {type: raw, value: stable, enable: false, priority: 50}
      - {type: sha, format: long, prefix: ""}
      - {type: edge, branch: develop}
      - {type: schedule}
      - {value: bare}
    flavor: {latest: false, prefix: x-, suffix: -slim, suffix-onlatest: true}
    publish:
      - repository: docker.io/acme/hello
        credentials: {username-env: HUB_USER, password-env: HUB_TOKEN}
      - repository: 127.0.0.1:5000/acme/hello
        insecure: true
        ca: certs/ca.pem
    labels: {org.opencontainers.image.vendor: Acme, build: 42}
lint:
  failure-threshold: warning
  ignored: [DL3008]
  override: {error: [DL3001]}
  trustedRegistries: [docker.io, "*.example.com"]
  label-schema: {maintainer: text, website: url}
  strict-labels: true
"""


def _tree(root: Path) -> None:
    (root / "app/docker").mkdir(parents=True)
    (root / "app/docker/Dockerfile").write_text("FROM scratch\n")
    (root / "more").mkdir()
    (root / "structure.yaml").write_text("schemaVersion: 2.0.0\n")
    (root / "more/extra.yaml").write_text("schemaVersion: 2.0.0\n")
    (root / "certs").mkdir()
    (root / "certs/ca.pem").write_text("")


def test_full_config(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "dockwright.yaml").write_text(FULL)
    config = load_config(tmp_path / "dockwright.yaml")
    root = tmp_path.resolve()
    assert config == Config(
        version=1,
        images={
            "hello": ImageSpec(
                name="hello",
                context=root / "app",
                dockerfile=root / "app/docker/Dockerfile",
                build_args={"APP_VERSION": "1.10", "DEBUG": "true", "NAME": "hi"},
                target="runtime",
                tests=(root / "structure.yaml", root / "more/extra.yaml"),
                tags=(
                    TagRule(type="semver", pattern="{{version}}", match="v(\\d.*)"),
                    TagRule(type="ref", event="pr"),
                    TagRule(type="raw", value="stable", enable="false", priority=50),
                    TagRule(type="sha", format="long", prefix=""),
                    TagRule(type="edge", branch="develop"),
                    TagRule(type="schedule", pattern="nightly"),
                    TagRule(type="raw", value="bare"),
                ),
                flavor=Flavor(latest="false", prefix="x-", suffix="-slim", suffix_onlatest=True),
                publish=(
                    PublishTarget(
                        "docker.io/acme/hello", credentials=Credentials("HUB_USER", "HUB_TOKEN")
                    ),
                    PublishTarget(
                        "127.0.0.1:5000/acme/hello", insecure=True, ca=root / "certs/ca.pem"
                    ),
                ),
                labels={"org.opencontainers.image.vendor": "Acme", "build": "42"},
            )
        },
        lint=LintSettings(
            {
                "failure-threshold": "warning",
                "ignored": ["DL3008"],
                "override": {"error": ["DL3001"]},
                "trustedRegistries": ["docker.io", "*.example.com"],
                "label-schema": {"maintainer": "text", "website": "url"},
                "strict-labels": True,
            }
        ),
        path=tmp_path / "dockwright.yaml",
        root=root,
    )


def test_defaults(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "dockwright.yaml").write_text("version: 1\nimages:\n  hello: {}\n")
    config = load_config(tmp_path / "dockwright.yaml")
    image = config.images["hello"]
    assert image == ImageSpec(
        name="hello", context=tmp_path.resolve(), dockerfile=tmp_path.resolve() / "Dockerfile"
    )
    assert image.tags == DEFAULT_RULES
    assert image.flavor == Flavor()
    assert config.lint == LintSettings({})


def test_single_test_file_and_aliases(tmp_path: Path) -> None:
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\n"
        "images:\n"
        "  a: &base\n"
        "    tests: structure.yaml\n"
        "    tags: [{type: ref, event: tag}]\n"
        "  b: *base\n"
    )
    config = load_config(tmp_path / "dockwright.yaml", check_paths=False)
    assert config.images["a"].tests == (tmp_path.resolve() / "structure.yaml",)
    assert config.images["b"].tags == (TagRule(type="ref", event="tag"),)


def test_example_in_repository() -> None:
    example = Path(__file__).parents[3] / "examples/hello/dockwright.yaml"
    if not example.exists():
        pytest.skip("examples/hello is not in this checkout")
    config = load_config(example)
    assert list(config.images) == ["hello"]
    assert config.images["hello"].tags == DEFAULT_RULES


def test_find_config(tmp_path: Path) -> None:
    assert find_config(tmp_path) is None
    (tmp_path / "dockwright.yaml").write_text("version: 1\nimages: {}\n")
    assert find_config(tmp_path) == tmp_path / "dockwright.yaml"


def test_lint_accessors(tmp_path: Path) -> None:
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\nimages: {}\nlint:\n  failure-threshold: error\n  ignored: [DL3008, DL3009]\n"
    )
    lint = load_config(tmp_path / "dockwright.yaml").lint
    assert (lint.failure_threshold, lint.ignored, lint.trusted_registries) == (
        "error",
        ("DL3008", "DL3009"),
        (),
    )


def test_scalars_kept_as_written(tmp_path: Path) -> None:
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\nimages:\n  a:\n    labels: {released: 2026-01-02, n: 0x1F, f: 1.50}\n"
    )
    config = load_config(tmp_path / "dockwright.yaml", check_paths=False)
    assert config.images["a"].labels == {"released": "2026-01-02", "n": "0x1F", "f": "1.50"}
