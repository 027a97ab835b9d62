"""``dockwright update`` end to end on annotated versions, against a local server that
answers as PyPI and GitHub do."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.unit.update.apiserver import ApiServer
from tests.unit.update.cli import dockwright_update

DOCKERFILE = """\
# syntax is not a dependency here: no directive
FROM scratch
# renovate: datasource=pypi depName=poetry
ENV POETRY_VERSION=1.8.3 \\
    OTHER=keep
# renovate: datasource=github-releases depName=hadolint/hadolint
ARG HADOLINT_VERSION=2.12.0
"""


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with ApiServer() as server:
        server.pypi["poetry"] = {
            "1.8.3": [{"yanked": False}],
            "1.8.4": [{"yanked": False}],
            "2.0.0": [{"yanked": False}],
            "2.1.0b1": [{"yanked": False}],
        }
        server.releases["hadolint/hadolint"] = [
            {"tag_name": "v2.13.0", "prerelease": True},
            {"tag_name": "v2.12.1", "prerelease": False},
            {"tag_name": "v2.12.0", "prerelease": False},
        ]
        yield server


@pytest.fixture
def repo(tmp_path: Path, api: ApiServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\n"
        "images:\n"
        "  app: {}\n"
        "update:\n"
        f"  datasources: {{github: '{api.url}', pypi: '{api.url}/pypi'}}\n"
    )
    return tmp_path


def test_dry_run_prints_the_diff_and_exits_1(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert dockwright_update("--dry-run") == 1
    out = capsys.readouterr().out
    assert out == (
        "--- a/Dockerfile\n"
        "+++ b/Dockerfile\n"
        "@@ -1,7 +1,7 @@\n"
        " # syntax is not a dependency here: no directive\n"
        " FROM scratch\n"
        " # renovate: datasource=pypi depName=poetry\n"
        "-ENV POETRY_VERSION=1.8.3 \\\n"
        "+ENV POETRY_VERSION=1.8.4 \\\n"
        "     OTHER=keep\n"
        " # renovate: datasource=github-releases depName=hadolint/hadolint\n"
        "-ARG HADOLINT_VERSION=2.12.0\n"
        "+ARG HADOLINT_VERSION=2.12.1\n"
    )
    assert (repo / "Dockerfile").read_text() == DOCKERFILE


def test_update_writes_then_nothing_is_left(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert dockwright_update() == 0
    assert capsys.readouterr().out == (
        "updated poetry 1.8.3 → 1.8.4 (Dockerfile:4)\n"
        "updated hadolint/hadolint 2.12.0 → 2.12.1 (Dockerfile:7)\n"
    )
    assert (repo / "Dockerfile").read_text() == DOCKERFILE.replace("1.8.3", "1.8.4").replace(
        "2.12.0", "2.12.1"
    )
    assert dockwright_update("--exit-code") == 0
    assert capsys.readouterr().out == "everything is up to date\n"


def test_policy_flag_and_exit_code(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert dockwright_update("--policy", "major", "--exit-code", "Dockerfile") == 1
    assert "ENV POETRY_VERSION=2.0.0 \\\n" in (repo / "Dockerfile").read_text()


def test_json(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert dockwright_update("--dry-run", "--format", "json") == 1
    doc = json.loads(capsys.readouterr().out)
    assert [(u["name"], u["from"]["value"], u["to"]["value"]) for u in doc["updates"]] == [
        ("poetry", "1.8.3", "1.8.4"),
        ("hadolint/hadolint", "2.12.0", "2.12.1"),
    ]
    assert (doc["changed"], doc["written"]) == (True, False)
    assert doc["diff"].startswith("--- a/Dockerfile\n")


def test_a_failed_lookup_warns_and_exits_1(
    repo: Path, api: ApiServer, capsys: pytest.CaptureFixture[str]
) -> None:
    del api.pypi["poetry"]
    assert dockwright_update() == 1
    captured = capsys.readouterr()
    assert captured.out == "updated hadolint/hadolint 2.12.0 → 2.12.1 (Dockerfile:7)\n"
    assert captured.err == (
        f"dockwright: warning: Dockerfile:4: poetry: pypi: GET {api.url}/pypi/poetry/json: "
        "not found (404)\n"
    )


def test_a_build_arg_in_dockwright_yaml_is_updated_there(
    repo: Path, api: ApiServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = (
        "version: 1\n"
        "images:\n"
        "  app:\n"
        "    build-args:\n"
        '      HADOLINT_VERSION: "2.12.0"   # set for the build\n'
        "update:\n"
        f"  datasources: {{github: '{api.url}', pypi: '{api.url}/pypi'}}\n"
    )
    (repo / "dockwright.yaml").write_text(config)
    assert dockwright_update("--policy", "patch") == 0
    assert (repo / "dockwright.yaml").read_text() == config.replace('"2.12.0"', '"2.12.1"')
    assert "ARG HADOLINT_VERSION=2.12.0\n" in (repo / "Dockerfile").read_text()


def test_github_token_from_the_environment(
    repo: Path, api: ApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "t0k3n")
    assert dockwright_update("--dry-run") == 1
    assert ("/repos/hadolint/hadolint/releases", "Bearer") in api.log


@pytest.mark.parametrize(
    ("config", "args", "message"),
    [
        (
            # dockwright.yaml is checked as a whole: every problem of the file at once
            "version: 1\nupdate:\n  policy: all\n",
            (),
            "dockwright: error: 2 problems in dockwright.yaml:\n"
            "dockwright.yaml:1: missing required key 'images'\n"
            "dockwright.yaml:3: at update.policy: expected one of patch, minor, major, digest; "
            "found 'all'\n",
        ),
        (
            "version: 1\nimages: {}\nupdate:\n  policy: major\n  policy: patch\n",
            ("Dockerfile",),
            "dockwright: error: dockwright.yaml:5: at update.policy: duplicate key 'policy' "
            "(first defined at line 4)\n",
        ),
        (
            "version: 1\n",
            ("--dry-run", "--commit"),
            "dockwright: error: --dry-run and --commit exclude each other\n",
        ),
        ("version: 1\nimages: {}\n", ("missing",), "dockwright: error: missing: no such file\n"),
        (
            "version: 1\nimages: {}\n",
            ("-c", "other.yaml"),
            "dockwright: error: other.yaml: no such file\n",
        ),
    ],
)
def test_usage_errors_exit_2(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    config: str,
    args: tuple[str, ...],
    message: str,
) -> None:
    (repo / "dockwright.yaml").write_text(config)
    assert dockwright_update(*args) == 2
    assert capsys.readouterr().err == message


def test_a_dockerfile_that_does_not_parse_exits_2(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "Dockerfile").write_text("FROM alpine\nFORM x\n")
    assert dockwright_update() == 2
    assert capsys.readouterr().err == (
        "dockwright: error: Dockerfile:2:1: unknown instruction: FORM\n"
    )


def test_the_command_table_dispatches_update(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dockwright.cli.main import main

    assert main(["update", "--dry-run", "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [u["name"] for u in doc["updates"]] == ["poetry", "hadolint/hadolint"]
