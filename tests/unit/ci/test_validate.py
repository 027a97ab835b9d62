"""Every generated file against the CI's own schema (SchemaStore's, as check-jsonschema ships
them: no network), and GitHub workflows against actionlint (with shellcheck on their run
steps). One run of each tool over every configuration."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
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
