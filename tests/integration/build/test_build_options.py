"""Build options against the real engine: secrets that never reach the image, cache import and
export, a foreign platform, --pull with local-only base images, SSH forwarding, and what the
built-in BuildKit refuses."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockwright.cli.main import main
from dockwright.engine.base import BuildRequest, BuildSecret
from dockwright.engine.build import choose_builder
from dockwright.engine.docker import DockerEngine
from dockwright.engine.pull import pull_bases
from dockwright.errors import BuildFailed, UsageError

pytestmark = pytest.mark.integration

BUSYBOX = "dockwright.local/busybox:1.35"


@pytest.fixture(scope="module")
def engine(base_images: dict[str, str]) -> Iterator[DockerEngine]:
    with DockerEngine() as e:
        yield e


@pytest.fixture
def name(engine: DockerEngine) -> Iterator[str]:
    """A unique repository name; every image tagged with it is removed afterwards."""
    repo = f"dwtest-build-{uuid.uuid4().hex[:12]}"
    yield repo
    for image in engine.api.request("GET", "/images/json", "list images"):
        for tag in image.get("RepoTags") or ():
            if tag.startswith(f"{repo}:") or f"/{repo}:" in tag:
                engine.remove_image(tag)  # by tag: an image other names share stays


def _builtin(engine: DockerEngine) -> None:
    if choose_builder().mode != "buildkit":
        pytest.skip("the builder here is docker buildx, not a client's built-in BuildKit")


def _saved_files(engine: DockerEngine, ref: str) -> dict[str, bytes]:
    """Every file of ``docker save REF``: the layer tars, the config, the manifest."""
    buffer = io.BytesIO()
    engine.save(ref, buffer)
    buffer.seek(0)
    out: dict[str, bytes] = {}
    with tarfile.open(fileobj=buffer) as archive:
        for member in archive:
            if member.isreg():
                extracted = archive.extractfile(member)
                assert extracted is not None
                out[member.name] = extracted.read()
    return out


def _layer_files(layer: bytes) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(layer)) as tar:
        for member in tar:
            if member.isreg():
                extracted = tar.extractfile(member)
                assert extracted is not None
                out[member.name] = extracted.read()
    return out


SECRET_DOCKERFILE = """\
FROM dockwright.local/busybox:1.35
RUN --mount=type=secret,id=token sha256sum /run/secrets/token | cut -d' ' -f1 > /token.sha256
RUN --mount=type=secret,id=conf,target=/etc/app.conf wc -c < /etc/app.conf > /conf.size
RUN --mount=type=secret,id=token cat /run/secrets/token
"""


def test_secret_values_reach_neither_layers_config_nor_output(
    engine: DockerEngine,
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = f"tok-{uuid.uuid4().hex}"
    conf = f"conf-{uuid.uuid4().hex}"
    (tmp_path / "Dockerfile").write_text(SECRET_DOCKERFILE)
    (tmp_path / "app.conf").write_text(conf)
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\nimages:\n  app:\n    secrets:\n      - {id: token, env: DWTEST_TOKEN}\n"
        "      - {id: conf, file: app.conf}\n"
    )
    monkeypatch.setenv("DWTEST_TOKEN", token)
    monkeypatch.chdir(tmp_path)
    ref = f"{name}:secret"
    assert main(["build", "app", "-t", ref, "--no-cache", "--verbose", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert token not in out + err and conf not in out + err
    assert "***" in err  # the step that printed the token shows it masked
    files = _saved_files(engine, ref)
    blobs = b"".join(files.values())
    assert token.encode() not in blobs and conf.encode() not in blobs
    layers = {}
    for path, data in files.items():
        if path.endswith("layer.tar"):
            layers.update(_layer_files(data))
    # the secrets were there while the steps ran, and only their hash and size stayed
    assert layers["token.sha256"].decode().strip() == hashlib.sha256(token.encode()).hexdigest()
    assert layers["conf.size"].decode().strip() == str(len(conf))
    assert not any(p.startswith("run/secrets/") for p in layers)


def test_a_secret_never_shows_in_a_failed_build(
    engine: DockerEngine, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = f"tok-{uuid.uuid4().hex}"
    monkeypatch.setenv("DWTEST_TOKEN", token)
    (tmp_path / "Dockerfile").write_text(
        f"FROM {BUSYBOX}\nRUN --mount=type=secret,id=t cat /run/secrets/t && false\n"
    )
    request = BuildRequest(
        context=str(tmp_path), secrets=(BuildSecret("t", env="DWTEST_TOKEN"),), no_cache=True
    )
    with pytest.raises(BuildFailed) as info:
        engine.build(request)
    assert token not in str(info.value) and token not in info.value.log
    assert info.value.output == ("***",)
    assert info.value.line == 2


def test_inline_cache_export_and_registry_cache_import(
    engine: DockerEngine, name: str, tmp_path: Path, registries: object
) -> None:
    _builtin(engine)
    (tmp_path / "Dockerfile").write_text(f"FROM {BUSYBOX}\nRUN echo {name} > /cached\n")
    ref = f"127.0.0.1:5000/{name}:cache"
    first = engine.build(
        BuildRequest(context=str(tmp_path), tags=(ref,), cache_to=("type=inline",))
    )
    config = json.loads(
        next(v for k, v in _saved_files(engine, ref).items() if k == f"{first.image_id[7:]}.json")
    )
    assert "moby.buildkit.cache.v0" in config  # the inline cache travels with the image
    engine.push(ref)
    second = engine.build(
        BuildRequest(context=str(tmp_path), cache_from=(f"type=registry,ref={ref}",))
    )
    # the RUN step comes from the imported cache (FROM is resolved, not CACHED, then)
    assert (second.steps, second.cached_steps) == (2, 1)
    assert f"importing cache manifest from {ref}" in second.log


def test_registry_cache_export_is_refused_with_what_to_install(
    engine: DockerEngine, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _builtin(engine)
    (tmp_path / "Dockerfile").write_text(f"FROM {BUSYBOX}\n")
    code = main(
        [
            "build",
            "--context",
            str(tmp_path),
            "--cache-to",
            f"type=registry,ref=127.0.0.1:5000/{name}",
        ]
    )
    assert code == 2
    client = choose_builder().client
    assert capsys.readouterr().err == (
        f"dockwright: error: cache-to: 'type=registry,ref=127.0.0.1:5000/{name}': {client}'s "
        "built-in BuildKit exports inline cache only (type=inline, carried by the image); "
        "install the docker-buildx plugin to export to a registry or elsewhere\n"
    )


def test_a_foreign_platform_without_run_is_built(
    engine: DockerEngine, name: str, tmp_path: Path
) -> None:
    native = engine.version().arch
    foreign = "arm64" if native != "arm64" else "amd64"
    (tmp_path / "hello.txt").write_text("hello\n")
    (tmp_path / "Dockerfile").write_text('FROM scratch\nCOPY hello.txt /\nCMD ["/hello"]\n')
    result = engine.build(
        BuildRequest(
            context=str(tmp_path), tags=(f"{name}:{foreign}",), platform=f"linux/{foreign}"
        )
    )
    info = engine.inspect_image(result.image_id)
    assert (info.os, info.architecture) == ("linux", foreign)


def test_several_platforms_are_refused_before_building(
    engine: DockerEngine, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _builtin(engine)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\nimages:\n  multi:\n    platforms: [linux/amd64, linux/arm64]\n"
    )
    assert main(["build", "--config", str(tmp_path / "dockwright.yaml")]) == 2
    client = choose_builder().client
    assert capsys.readouterr().err == (
        "dockwright: error: platforms: linux/amd64, linux/arm64 make a multi-platform image "
        f"index, which {client}'s built-in BuildKit cannot build: install the docker-buildx "
        "plugin (and QEMU binfmt handlers, e.g. Debian's qemu-user-static, for RUN on foreign "
        "platforms)\n"
    )


def test_pull_keeps_local_only_bases_and_pulls_registry_ones(
    engine: DockerEngine, name: str, tmp_path: Path, registries: object
) -> None:
    assert not engine.inspect_image(BUSYBOX).repo_digests  # made here: docker --pull would fail
    base = tmp_path / "base"
    base.mkdir()
    (base / "f").write_text(name)
    (base / "Dockerfile").write_text("FROM scratch\nCOPY f /f\n")
    pushed = f"127.0.0.1:5000/{name}:base"
    engine.build(BuildRequest(context=str(base), tags=(pushed,)))
    engine.push(pushed)
    (tmp_path / "Dockerfile").write_text(
        f"FROM {BUSYBOX} AS one\nFROM {pushed}\nCOPY --from=one /bin/busybox /bb\n"
    )
    request = BuildRequest(context=str(tmp_path), tags=(f"{name}:pulled",), pull=True)
    assert pull_bases(engine, request) == [pushed]
    assert engine.build(request).image_id.startswith("sha256:")


def test_ssh_agent_is_forwarded(engine: DockerEngine, name: str, tmp_path: Path) -> None:
    sock = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL)
    try:
        for _ in range(50):
            if sock.exists():
                break
            subprocess.run(["sleep", "0.1"], check=True)
        (tmp_path / "Dockerfile").write_text(
            f'FROM {BUSYBOX}\nRUN --mount=type=ssh test -S "$SSH_AUTH_SOCK" && echo forwarded\n'
        )
        os.environ["SSH_AUTH_SOCK"] = str(sock)
        try:
            result = engine.build(
                BuildRequest(context=str(tmp_path), ssh=("default",), no_cache=True)
            )
        finally:
            del os.environ["SSH_AUTH_SOCK"]
        assert "forwarded" in result.log
    finally:
        agent.terminate()
        agent.wait()


def test_failed_step_names_its_line_and_output(
    engine: DockerEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Dockerfile").write_text(
        f"FROM {BUSYBOX} AS base\nENV A=1\nRUN echo ok\nFROM base\nLABEL x=y\n"
        "RUN echo one && echo two && \\\n  exit 3\n"
    )
    assert main(["build", "--context", str(tmp_path), "--no-cache", "--format", "json"]) == 1
    [record] = json.loads(capsys.readouterr().out)
    assert record["file"] == f"{tmp_path}/Dockerfile"
    assert (record["line"], record["output"]) == (6, ["one", "two"])
    assert record["step"] == "[stage-1 1/1] RUN echo one && echo two &&   exit 3"


def test_usage_error_for_an_unset_secret_variable(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(f"FROM {BUSYBOX}\n")
    with DockerEngine() as engine, pytest.raises(UsageError):
        engine.build(
            BuildRequest(context=str(tmp_path), secrets=(BuildSecret("x", env="DWTEST_UNSET_1"),))
        )
