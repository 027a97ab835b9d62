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
        f"{path}:3: at ignored[1]: expected a rule code like DL3008; found 'nope'"
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


def test_a_key_with_no_value_is_not_set(tmp_path: Path) -> None:
    """As hadolint 2.15.1: `ignored:` with every entry commented out is unset, and the rest of
    the file applies (before, the whole file was an error)."""
    path = tmp_path / ".hadolint.yaml"
    path.write_text(
        "ignored:\n  # - DL3008\nfailure-threshold:\ntrustedRegistries:\nformat:\n"
        "no-fail:\nlabel-schema:\noverride:\n  error:\n  #  - DL3006\n  info: [DL3003]\n"
        "  warning:\n"
    )
    config = load_config(path)
    assert config == LintConfig(overrides=((Severity.INFO, frozenset({"DL3003"})),))
    assert config.severity_for("DL3003", Severity.WARNING) is Severity.INFO
    path.write_text("override:\nignored: [DL3008]\n")
    assert load_config(path) == LintConfig(ignored=frozenset({"DL3008"}))


def test_from_mapping_skips_keys_with_no_value() -> None:
    config = LintConfig.from_mapping(
        {"ignored": None, "override": {"error": None, "info": ["DL3003"]}, "no-fail": None}
    )
    assert config == LintConfig(overrides=((Severity.INFO, frozenset({"DL3003"})),))


def test_a_label_with_no_type_is_an_error(tmp_path: Path) -> None:
    """hadolint rejects it too ("expected labeltype instead of !!null"); an empty string is
    text."""
    path = tmp_path / ".hadolint.yaml"
    path.write_text("label-schema:\n  a: ''\n  b:\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == (
        f"{path}:3: at label-schema.b: expected one of text, url, semver, hash, rfc3339, spdx, "
        "email; found null"
    )


def test_every_problem_of_the_file_and_duplicate_keys(tmp_path: Path) -> None:
    path = tmp_path / ".hadolint.yaml"
    path.write_text(
        "ignored: [DL3008, nope]\nno-color: 1\nunknown: whatever\noverride:\n  fatal: [DL3000]\n"
        "ignored: [DL3006]\n"
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == "\n".join(
        [
            f"4 problems in {path}:",
            f"{path}:1: at ignored[1]: expected a rule code like DL3008; found 'nope'",
            f"{path}:2: at no-color: expected true or false; found 1",
            f"{path}:5: at override.fatal: unknown key 'fatal'; expected one of error, info, "
            "style, warning",
            f"{path}:6: at ignored: duplicate key 'ignored' (first defined at line 1)",
        ]
    )
