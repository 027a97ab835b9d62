"""Config sources as hadolint: search path, HADOLINT_* variables, precedence, validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.errors import ConfigError
from dockwright.lint.config import config_candidates, find_config
from dockwright.lint.model import Severity
from dockwright.lint.settings import cli_layer, from_environment, merge, resolve


def test_search_path_order(tmp_path: Path) -> None:
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    env = {"HOME": str(home)}
    assert config_candidates(cwd, env) == [
        cwd / ".hadolint.yaml",
        cwd / ".hadolint.yml",
        home / ".config/hadolint.yaml",
        home / ".config/hadolint.yml",
        home / ".hadolint/hadolint.yaml",
        home / ".hadolint/hadolint.yml",
        home / ".hadolint/config.yaml",
        home / ".hadolint/config.yml",
        home / ".hadolint.yaml",
        home / ".hadolint.yml",
    ]
    xdg = tmp_path / "xdg"
    assert config_candidates(cwd, {**env, "XDG_CONFIG_HOME": str(xdg)})[2] == xdg / "hadolint.yaml"
    assert find_config(cwd, env) is None
    for found in reversed(config_candidates(cwd, env)):
        found.parent.mkdir(parents=True, exist_ok=True)
        found.write_text("{}\n")
        assert find_config(cwd, env) == found


def test_environment_layer() -> None:
    env = {
        "HADOLINT_NOFAIL": "Yes",
        "HADOLINT_STRICT_LABELS": "nope",
        "NO_COLOR": "",
        "HADOLINT_FORMAT": "json,bogus,sarif",
        "HADOLINT_FAILURE_THRESHOLD": "loud",
        "HADOLINT_IGNORE": "DL3008, SC2086,",
        "HADOLINT_OVERRIDE_ERROR": "DL3015",
        "HADOLINT_TRUSTED_REGISTRIES": "docker.io,quay.io",
        "HADOLINT_REQUIRE_LABELS": "maintainer:text,bad:kind,version:semver,x:",
    }
    assert from_environment(env) == {
        "no-fail": True,
        "strict-labels": False,
        "no-color": True,
        "format": ["json", "sarif"],
        "ignored": ["DL3008", "SC2086"],
        "override": {"error": ["DL3015"]},
        "trustedRegistries": ["docker.io", "quay.io"],
        "label-schema": {"maintainer": "text", "version": "semver", "x": "text"},
    }


def test_precedence_scalars_lists_and_labels() -> None:
    env = {"failure-threshold": "error", "ignored": ["DL1"], "label-schema": {"a": "url"}}
    file = {"failure-threshold": "style", "ignored": ["DL2"], "label-schema": {"a": "text"},
            "formats": ["json"], "override": {"info": ["DL3"]}}  # fmt: skip
    cli = cli_layer(
        ignored=["DL3"], labels={"a": "hash", "b": "email"}, formats=["gnu"],
        failure_threshold="warning", overrides={"info": ["DL4"], "error": []},
    )  # fmt: skip
    assert merge(env, file, cli) == {
        "failure-threshold": "warning",
        "ignored": ["DL1", "DL2", "DL3"],
        "label-schema": {"a": "url", "b": "email"},
        "format": ["json", "gnu"],
        "override": {"info": ["DL3", "DL4"]},
    }


def test_resolve_reads_file_env_and_cli(tmp_path: Path) -> None:
    (tmp_path / ".hadolint.yml").write_text(
        "ignored: [DL3008]\nno-color: true\nformat: json\nstrict-labels: true\n"
        "label-schema: {owner: '', url: url}\ntrustedRegistries: [docker.io]\n"
        "disable-ignore-pragma: true\nno-fail: true\nfailure-threshold: error\n"
    )
    env = {"HOME": str(tmp_path / "nohome"), "HADOLINT_IGNORE": "DL3015", "HADOLINT_NOFAIL": "0"}
    config = resolve(cli_layer(ignored=["DL3006"]), cwd=tmp_path, environ=env)
    assert config.ignored == {"DL3006", "DL3008", "DL3015"}
    assert config.no_fail and config.no_color and config.strict_labels
    assert config.disable_ignore_pragma and config.failure_threshold == "error"
    assert config.formats == ("json",)
    assert config.label_schema == (("owner", "text"), ("url", "url"))
    assert config.trusted_registries == ("docker.io",)
    assert config.source == str(tmp_path / ".hadolint.yml")
    bare = resolve({}, cwd=tmp_path / "nothing", environ={"HOME": str(tmp_path / "nohome")})
    assert bare.source is None and bare.severity_for("DL3006", Severity.WARNING) is Severity.WARNING


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("trustedRegistries: docker.io\n", ":1: at trustedRegistries: expected a list of strings"),
        ("format: xml\n", ":1: at format: expected one of tty, json"),
        ("no-color: 1\n", ":1: at no-color: expected true or false; found 1"),
        ("label-schema:\n  a: number\n", ":2: at label-schema.a: expected one of text, url"),
        ("ignored: [\n", ""),
    ],
)
def test_invalid_config_is_an_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        resolve({}, config_file=str(path), environ={})
    assert str(info.value).startswith(f"{path}{message}")
