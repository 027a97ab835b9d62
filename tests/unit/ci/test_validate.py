"""Every generated file against the CI's own schema (SchemaStore's, as check-jsonschema ships
them: no network), and GitHub workflows against actionlint (with shellcheck on their run
steps). One run of each tool over every configuration."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from tests.unit.ci.cases import CONFIGS, SCHEMAS, render, tool


def _write(tmp_path: Path, provider: str) -> list[str]:
    files = []
    for config in CONFIGS:
        path = tmp_path / config / f"{provider}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(config, provider), encoding="utf-8")
        files.append(str(path))
    return files


@pytest.mark.parametrize("provider", sorted(SCHEMAS))
def test_schemastore_schema_accepts_every_generated_file(tmp_path: Path, provider: str) -> None:
    files = _write(tmp_path, provider)
    argv = [tool("check-jsonschema"), "--builtin-schema", SCHEMAS[provider], *files]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "ok -- validation done"


def test_actionlint_accepts_every_github_workflow(tmp_path: Path) -> None:
    files = _write(tmp_path, "github")
    argv = [tool("actionlint"), f"-shellcheck={tool('shellcheck')}", "-no-color", *files]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def test_the_validators_reject_what_they_should(tmp_path: Path) -> None:
    """The oracles are not blind: a job with no runner, a CircleCI job with no steps."""
    bad_github = tmp_path / "bad.yml"
    bad_github.write_text("on: push\njobs:\n  a:\n    steps:\n      - run: 'true'\n")
    bad_circle = tmp_path / "config.yml"
    bad_circle.write_text("version: 2.1\njobs:\n  a:\n    machine: true\n")
    for argv in (
        [tool("check-jsonschema"), "--builtin-schema", SCHEMAS["github"], str(bad_github)],
        [tool("actionlint"), str(bad_github)],
        [tool("check-jsonschema"), "--builtin-schema", SCHEMAS["circleci"], str(bad_circle)],
    ):
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        assert done.returncode == 1, argv


# CodeBuild publishes no schema (SchemaStore has none): its buildspec reference, as data.
_PHASES = {"install", "pre_build", "build", "post_build"}
_ENV = {"shell", "variables", "parameter-store", "secrets-manager", "exported-variables",
        "git-credential-helper"}  # fmt: skip
_REPORT_FORMATS = {"JUNITXML", "CUCUMBERJSON", "TESTNGXML", "VISUALSTUDIOTRX", "NUNITXML",
                   "NUNIT3XML"}  # fmt: skip


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_buildspec_has_the_shape_codebuild_reads(config: str) -> None:
    doc = yaml.safe_load(render(config, "codebuild"))
    assert doc["version"] == 0.2
    assert set(doc) <= {"version", "env", "phases", "reports", "artifacts", "cache", "batch"}
    assert set(doc["env"]) <= _ENV
    assert doc["env"]["git-credential-helper"] is True  # `yes`, as CodeBuild documents it
    assert all(isinstance(v, str) for v in doc["env"].get("parameter-store", {}).values())
    assert set(doc["phases"]) <= _PHASES
    for phase in doc["phases"].values():
        assert set(phase) <= {"runtime-versions", "commands", "finally", "on-failure"}
        assert all(isinstance(c, str) and c for c in phase["commands"])
    for report in doc["reports"].values():
        assert report["file-format"] in _REPORT_FORMATS
        assert isinstance(report["files"], list) and isinstance(report["base-directory"], str)
    assert set(doc["artifacts"]) <= {"files", "name", "base-directory", "discard-paths"}


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_every_shell_script_passes_shellcheck(tmp_path: Path, config: str) -> None:
    """The scripts GitHub's steps hold are shellchecked by actionlint; the same scripts in
    the other CIs' files are checked here, as bash."""
    scripts = []
    for provider in ("circleci", "gitlab", "codebuild"):
        scripts += list(_scripts(yaml.safe_load(render(config, provider))))
    for index, script in enumerate(scripts):
        path = tmp_path / f"{index}.sh"
        text = script.replace("<< parameters.job >>", "job").replace("<< parameters.args >>", "x")
        path.write_text("#!/bin/bash\n" + text + "\n")
    argv = [tool("shellcheck"), "--severity=warning", *sorted(map(str, tmp_path.glob("*.sh")))]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout


def _scripts(node: object) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("command", "script", "commands", "before_script") or (
                key == "run" and isinstance(value, str)
            ):
                out += (
                    [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
                )
            else:
                out += _scripts(value)
    elif isinstance(node, list):
        for item in node:
            out += _scripts(item)
    return out
