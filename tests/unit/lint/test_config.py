from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.errors import ConfigError
from dockwright.lint import LintConfig, Severity, load_config


def test_from_mapping() -> None:
    config = LintConfig.from_mapping(
        {
            "ignored": ["DL3008"],
            "failure-threshold": "warning",
            "override": {"error": ["DL3015"], "style": ["DL3015", "DL3006"]},
            "trustedRegistries": ["docker.io"],
            "unknown-key": 1,
        }
    )
    assert config.ignored == {"DL3008"}
    assert config.failure_threshold == "warning"
    assert config.severity_for("DL3015", Severity.INFO) is Severity.ERROR
    assert config.severity_for("DL3006", Severity.WARNING) is Severity.STYLE
    assert config.severity_for("DL3000", Severity.ERROR) is Severity.ERROR
    assert config.fails(Severity.WARNING) and not config.fails(Severity.INFO)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ignored": "DL3008"}, "lint.ignored: expected a list of rule codes, found 'DL3008'"),
        ({"ignored": ["DL3008", 7]}, "lint.ignored[1]: expected a rule code like DL3008, found 7"),
        (
            {"failure-threshold": "warn"},
            "lint.failure-threshold: expected one of error, warning, info, style, ignore, none, "
            "found 'warn'",
        ),
        (
            {"override": {"fatal": ["DL3008"]}},
            "lint.override.fatal: expected one of error, warning, info, style, found 'fatal'",
        ),
        ({"override": ["DL3008"]}, "lint.override: expected a mapping of levels, found a list"),
        ({"no-fail": "yes"}, "lint.no-fail: expected true or false, found 'yes'"),
    ],
)
def test_bad_mapping_names_key_path(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        LintConfig.from_mapping(data, file="dockwright.yaml", prefix="lint.")
    assert str(info.value) == f"dockwright.yaml: at {message}"


def test_load_yaml_reports_line(tmp_path: Path) -> None:
    path = tmp_path / ".hadolint.yaml"
    path.write_text("ignored:\n  - DL3008\n  - nope\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == (
        f"{path}:3: at ignored[1]: expected a rule code like DL3008, found 'nope'"
    )


def test_load_yaml_ok_and_empty(tmp_path: Path) -> None:
    path = tmp_path / ".hadolint.yml"
    path.write_text("failure-threshold: error\noverride:\n  warning: [DL3015]\n")
    config = load_config(path)
    assert config.failure_threshold == "error"
    assert config.severity_for("DL3015", Severity.INFO) is Severity.WARNING
    path.write_text("")
    assert load_config(path) == LintConfig()


def test_cli_values_merge_with_file() -> None:
    base = LintConfig.from_mapping({"ignored": ["DL3008"], "failure-threshold": "error"})
    merged = base.merged(ignored=("DL3015",), failure_threshold="style")
    assert merged.ignored == {"DL3008", "DL3015"} and merged.failure_threshold == "style"
