"""``update:`` in dockwright.yaml: checked by load_config with the rest of the file, every
problem at once, whole messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.errors import ConfigError
from dockwright.pipeline.config import load_config
from dockwright.update.settings import Registry, Rule, UpdateSettings


def test_the_update_section_loads_into_the_config(tmp_path: Path) -> None:
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs/ca.pem").write_text("")
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\n"
        "images: {}\n"
        "update:\n"
        "  policy: patch\n"
        "  registries: {registry.example.com: {ca: certs/ca.pem}}\n"
        "  rules: [{match: python, group: base}]\n"
    )
    config = load_config(tmp_path / "dockwright.yaml")
    assert config.update == UpdateSettings(
        policy="patch",
        registries={"registry.example.com": Registry(ca=f"{tmp_path.resolve()}/certs/ca.pem")},
        rules=(Rule(("python",), group="base"),),
    )


def test_no_update_section_is_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "dockwright.yaml").write_text("version: 1\nimages: {}\n")
    assert load_config(tmp_path / "dockwright.yaml").update == UpdateSettings()


def test_update_problems_come_with_every_other_problem(tmp_path: Path) -> None:
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\n"
        "images:\n"
        "  app:\n"
        "    publish: [{repository: Acme/App}]\n"
        "update:\n"
        "  policy: all\n"
        "  ignore: ['/[/']\n"
        "  registries:\n"
        "    'http://x': {}\n"
        "    x.io: {ca: missing.pem}\n"
        "  datasources: {npm: registry.npmjs.org}\n"
        "  rules:\n"
        "    - {policy: patch}\n"
        "    - {match: x, versioning: regex}\n"
        "    - {match: x, match: y}\n"
        "lint: {failure-threshold: loud}\n"
    )
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "dockwright.yaml")
    f = f"{tmp_path}/dockwright.yaml"
    root = tmp_path.resolve()
    assert str(info.value) == "\n".join(
        [
            f"11 problems in {f}:",
            f"{f}:3: at images.app.dockerfile: expected an existing file; found no file at "
            f"{root}/Dockerfile",
            f"{f}:4: at images.app.publish[0].repository: expected a repository such as "
            "registry.example.com/org/name (lowercase, no tag or digest); found 'Acme/App'",
            f"{f}:6: at update.policy: expected one of patch, minor, major, digest; found 'all'",
            f"{f}:7: at update.ignore[0]: expected a regular expression; found '/[/' "
            "(unterminated character set at position 0)",
            f"{f}:9: at update.registries.http://x: expected a registry host[:port]; "
            "found 'http://x'",
            f"{f}:10: at update.registries.x.io.ca: expected an existing file; found no file at "
            f"{root}/missing.pem",
            f"{f}:11: at update.datasources.npm: expected an http:// or https:// URL; "
            "found 'registry.npmjs.org'",
            f"{f}:13: at update.rules[0]: missing required key 'match'",
            f"{f}:14: at update.rules[1].versioning: expected one of docker, npm, pep440, "
            "semver, semver-coerced; found 'regex'",
            f"{f}:15: at update.rules[2].match: duplicate key 'match' (first defined at line 15)",
            f"{f}:16: at lint.failure-threshold: expected one of error, warning, info, style, "
            "ignore, none; found 'loud'",
        ]
    )
    assert info.value.exit_code == 2


def test_paths_are_not_looked_for_without_check_paths(tmp_path: Path) -> None:
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\nimages: {}\nupdate:\n  registries: {x.io: {ca: missing.pem}}\n"
    )
    config = load_config(tmp_path / "dockwright.yaml", check_paths=False)
    assert config.update.registries == {"x.io": Registry(ca=f"{tmp_path.resolve()}/missing.pem")}
