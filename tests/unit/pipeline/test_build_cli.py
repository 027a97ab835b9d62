"""``dockwright build`` with a dockwright.yaml: what the command line adds, and what it refuses
before anything is built."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.cli.main import main

CONFIG = """\
version: 1
images:
  web:
    context: web
  worker:
    context: worker
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("web", "worker"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "dockwright.yaml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")  # never reached
    return tmp_path


def test_a_tag_for_several_images_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "-t", "acme/web:dev"]) == 2
    assert capsys.readouterr().err == (
        "dockwright: error: -t/--tag names one image, but 2 images would be built "
        "(web, worker); name the one to tag, e.g. `dockwright build web -t acme/web:dev`\n"
    )
    assert main(["build", "web", "worker", "--tag", "acme/web:dev"]) == 2


def test_a_bad_tag_fails_before_the_build(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "web", "-t", "Bad Name"]) == 2
    assert capsys.readouterr().err == (
        "dockwright: error: invalid image reference 'Bad Name': expected path components of "
        "lower-case letters and digits separated by '.', '_', '__' or '-', found "
        "'library/Bad Name'\n"
    )


def test_a_secret_flag_without_a_source_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "web", "--secret", "id=npm"]) == 2
    assert capsys.readouterr().err == (
        "dockwright: error: --secret: expected id=ID,env=VARIABLE or id=ID,src=FILE, "
        "found 'id=npm'\n"
    )
    assert main(["build", "web", "--secret", "id=npm,env=A,src=f"]) == 2


def test_an_epoch_of_zero_still_normalises_the_image() -> None:
    from dockwright.cli.build import needs_engine_api
    from dockwright.engine.base import BuildRequest

    assert needs_engine_api("text", [BuildRequest(context=".", source_date_epoch=0)])
    assert needs_engine_api("text", [BuildRequest(context="."), BuildRequest(".", pull=True)])
    assert needs_engine_api("json", [BuildRequest(context=".")])
    assert not needs_engine_api("text", [BuildRequest(context=".", no_cache=True)])
