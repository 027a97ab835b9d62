"""The repository's .pre-commit-hooks.yaml: valid, and each entry runs a real command."""

from __future__ import annotations

import shlex
import tomllib
from pathlib import Path

import pytest
import yaml

from dockwright.cli.main import COMMANDS, main

ROOT = Path(__file__).resolve().parents[3]


def _hooks() -> list[dict[str, object]]:
    data = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert isinstance(data, list)
    return data


def test_hooks_are_well_formed() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    hooks = _hooks()
    assert [h["id"] for h in hooks] == ["dockwright-lint", "dockwright-lint-fix"]
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"
        assert hook["types"] == ["dockerfile"]
        argv = shlex.split(str(hook["entry"]))
        assert argv[0] in scripts, f"{argv[0]} is not a console script of the project"
        assert argv[1] in COMMANDS


@pytest.mark.parametrize("hook", _hooks(), ids=lambda h: str(h["id"]))
def test_entry_runs_on_file_names_as_pre_commit_passes_them(
    hook: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text('FROM debian:12\nCMD ["true"]\n')
    (tmp_path / "b.Dockerfile").write_text("FROM debian\n")
    argv = shlex.split(str(hook["entry"]))[1:]
    assert main([*argv, "Dockerfile"]) == 0
    assert main([*argv, "Dockerfile", "b.Dockerfile"]) == 1
