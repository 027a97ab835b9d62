"""Reproducible images against the real engine: two clean builds of the same sources give the
same image id, and the same manifest digest once pushed; without ``reproducible`` they differ."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockwright.cli.main import main
from dockwright.engine.base import BuildRequest
from dockwright.engine.docker import DockerEngine

pytestmark = pytest.mark.integration

EPOCH = 1_700_000_000
DOCKERFILE = """\
FROM dockwright.local/busybox:1.35
RUN mkdir -p /data/sub && echo hello > /data/a && ln -s a /data/b && ln /data/a /data/sub/c \\
 && echo app:x:1234:1234::/:/bin/sh >> /etc/passwd && touch /data/own \\
 && chown 1234:1234 /data/own && sleep 1
USER app
"""


@pytest.fixture(scope="module")
def engine(base_images: dict[str, str]) -> Iterator[DockerEngine]:
    with DockerEngine() as e:
        yield e


@pytest.fixture
def repo(engine: DockerEngine) -> Iterator[str]:
    name = f"dwtest-repro-{uuid.uuid4().hex[:12]}"
    yield name
    for image in engine.api.request("GET", "/images/json", "list images"):
        for tag in image.get("RepoTags") or ():
            if tag.startswith(f"{name}:") or f"/{name}:" in tag:
                engine.remove_image(tag)


@pytest.fixture
def context(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    return tmp_path


def _build(engine: DockerEngine, context: Path, tag: str, epoch: int | None) -> str:
    request = BuildRequest(
        context=str(context), tags=(tag,), no_cache=True, source_date_epoch=epoch
    )
    return engine.build(request).image_id


def test_two_clean_builds_give_one_image_and_one_published_digest(
    engine: DockerEngine, repo: str, context: Path, registries: object
) -> None:
    first = _build(engine, context, f"127.0.0.1:5000/{repo}:one", EPOCH)
    second = _build(engine, context, f"127.0.0.1:5000/{repo}:two", EPOCH)
    assert first == second
    info = engine.inspect_image(first)
    assert info.created == "2023-11-14T22:13:20Z"
    assert set(info.repo_tags) == {f"127.0.0.1:5000/{repo}:one", f"127.0.0.1:5000/{repo}:two"}
    listing = engine.run(first, ["ls", "-ln", "--full-time", "/data", "/data/sub"])
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert any(" 1234 " in line and line.endswith(" own") for line in lines)  # owner kept
    assert any("2023-11-14 22:13:20" in line and line.endswith(" a") for line in lines)
    assert engine.run(first, ["cat", "/data/sub/c"]).stdout == "hello\n"  # hard link kept
    assert engine.run(first, ["id", "-u"]).stdout == "1234\n"
    assert engine.push(f"127.0.0.1:5000/{repo}:one") == engine.push(f"127.0.0.1:5000/{repo}:two")


def test_without_reproducible_two_clean_builds_differ(
    engine: DockerEngine, repo: str, context: Path
) -> None:
    assert _build(engine, context, f"{repo}:one", None) != _build(
        engine, context, f"{repo}:two", None
    )


def test_the_epoch_of_a_reproducible_image_is_the_last_commit(
    repo: str, context: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (context / "dockwright.yaml").write_text(
        "version: 1\nimages:\n  app:\n    reproducible: true\n    no-cache: true\n"
    )
    env = {
        "GIT_AUTHOR_DATE": "@1600000000 +0000", "GIT_COMMITTER_DATE": "@1600000000 +0000",
        "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a",
        "GIT_COMMITTER_EMAIL": "a@b", "PATH": "/usr/bin:/bin", "HOME": str(context),
    }  # fmt: skip
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "sources"]):
        subprocess.run(["git", "-C", str(context), *argv], check=True, env=env)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.chdir(context)
    ids = []
    for tag in ("one", "two"):
        assert main(["build", "app", "-t", f"{repo}:{tag}", "--format", "json"]) == 0
        [record] = json.loads(capsys.readouterr().out)
        assert record["reproducible"] is True
        ids.append(record["id"])
    assert ids[0] == ids[1]
    with DockerEngine() as engine:
        assert engine.inspect_image(ids[0]).created == "2020-09-13T12:26:40Z"
