from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.engine.base import BuildRequest, BuildSecret
from dockwright.engine.docker import DockerEngine
from dockwright.engine.images import _pushed_digest
from dockwright.engine.podman import PodmanEngine, default_host
from dockwright.engine.podman_build import PodmanBuilder, build_argv, read_image_id
from dockwright.engine.select import KINDS, engine_kind, open_engine
from dockwright.errors import ConfigError, DaemonUnavailable, EngineError, UsageError
from dockwright.pipeline.config import ENGINE_KINDS, load_config

HEX = "ab" * 32
NOWHERE = {
    "DOCKER_HOST": "unix:///nonexistent/d.sock",
    "CONTAINER_HOST": "unix:///nonexistent/p.sock",
}


def test_podman_build_argv() -> None:
    request = BuildRequest(
        context="ctx", dockerfile="Dockerfile.x", tags=("a:1",), build_args={"K": "V"},
        target="t", labels={"l": "v"}, platform="linux/amd64", no_cache=True,
    )  # fmt: skip
    builder = PodmanBuilder("/usr/bin/podman", "podman", "r")
    assert build_argv(builder, request, "/tmp/iid") == [
        "/usr/bin/podman", "build", "--iidfile", "/tmp/iid", "--format", "docker",
        "--identity-label=false", "--file", "ctx/Dockerfile.x", "--tag", "a:1",
        "--build-arg", "K=V", "--target", "t", "--label", "l=v", "--platform", "linux/amd64",
        "--no-cache", "ctx",
    ]  # fmt: skip
    remote = build_argv(builder, BuildRequest(context="/c"), "/i", remote="tcp://h:8080")
    assert remote[:4] == ["/usr/bin/podman", "--remote", "--url", "tcp://h:8080"]
    assert builder.describe() == "/usr/bin/podman (podman build): r"


def test_podman_build_argv_secrets_ssh_cache() -> None:
    builder = PodmanBuilder("/usr/bin/podman", "podman", "r")
    request = BuildRequest(
        context="c", cache_from=("reg/app:cache",), ssh=("default",),
        secrets=(BuildSecret("tok", env="TOKEN"), BuildSecret("key", file="/k")),
    )  # fmt: skip
    assert build_argv(builder, request, "/i")[7:] == [
        "--cache-from", "reg/app:cache", "--secret", "id=tok,env=TOKEN",
        "--secret", "id=key,src=/k", "--ssh", "default", "c",
    ]  # fmt: skip
    with pytest.raises(UsageError) as err:
        build_argv(builder, BuildRequest(context="c", cache_to=("type=inline",)), "/i")
    assert str(err.value) == (
        "cache-to 'type=inline': podman build cannot export BuildKit caches; "
        "remove cache-to or use the Docker engine"
    )
    with pytest.raises(UsageError) as err:
        build_argv(builder, BuildRequest(context="c", cache_from=("type=local,src=d",)), "/i")
    assert str(err.value) == (
        "cache-from 'type=local,src=d': podman build takes a repository name here, "
        "not BuildKit's type=... form; use the Docker engine for it"
    )


def test_read_image_id(tmp_path: Path) -> None:
    id_file = tmp_path / "iid"
    id_file.write_text(HEX + "\n")
    assert read_image_id(str(id_file)) == "sha256:" + HEX
    id_file.write_text("sha256:" + HEX)
    assert read_image_id(str(id_file)) == "sha256:" + HEX
    id_file.write_text("")
    with pytest.raises(EngineError) as info:
        read_image_id(str(id_file))
    assert str(info.value) == f"the build succeeded but {id_file} holds no image id"


def test_default_host() -> None:
    assert default_host({"CONTAINER_HOST": "tcp://h:1"}, uid=0) == "tcp://h:1"
    assert default_host({}, uid=0) == "unix:///run/podman/podman.sock"
    rootless = default_host({"XDG_RUNTIME_DIR": "/run/user/1000"}, uid=1000)
    assert rootless == "unix:///run/user/1000/podman/podman.sock"
    assert default_host({}, uid=1001) == "unix:///run/user/1001/podman/podman.sock"


def test_engine_kind_env_wins_over_config() -> None:
    assert engine_kind(None, {}) == "auto"
    assert engine_kind("podman", {}) == "podman"
    assert engine_kind("podman", {"DOCKWRIGHT_ENGINE": "docker"}) == "docker"
    assert engine_kind("docker", {"DOCKWRIGHT_ENGINE": ""}) == "docker"
    assert KINDS == ENGINE_KINDS


def test_engine_kind_rejects_unknown() -> None:
    with pytest.raises(UsageError) as info:
        engine_kind(None, {"DOCKWRIGHT_ENGINE": "lxc"})
    assert str(info.value) == "DOCKWRIGHT_ENGINE='lxc': expected one of docker, podman, auto"
    with pytest.raises(UsageError) as info:
        engine_kind("rkt", {})
    assert str(info.value) == "engine: 'rkt': expected one of docker, podman, auto"


def test_open_engine_named() -> None:
    with open_engine("docker", env=NOWHERE) as docker:
        assert type(docker) is DockerEngine and docker.host == NOWHERE["DOCKER_HOST"]
    with open_engine("podman", env=NOWHERE) as podman:
        assert type(podman) is PodmanEngine and podman.host == NOWHERE["CONTAINER_HOST"]


def test_auto_without_engines_names_both(tmp_path: Path) -> None:
    with pytest.raises(DaemonUnavailable) as info:
        open_engine(None, env={**NOWHERE, "PATH": str(tmp_path)})
    assert str(info.value) == (
        "engine auto: no container engine answers. cannot reach the Docker daemon at "
        "unix:///nonexistent/d.sock ([Errno 2] No such file or directory); run "
        "scripts/engine.sh, or start dockerd / set DOCKER_HOST. cannot reach the Podman "
        "service at unix:///nonexistent/p.sock ([Errno 2] No such file or directory); run "
        "scripts/podman.sh, or start `podman system service --time=0 "
        "unix:///run/podman/podman.sock` / set CONTAINER_HOST, and no podman is on PATH"
    )


def test_auto_takes_podman_on_path(tmp_path: Path) -> None:
    podman = tmp_path / "podman"
    podman.write_text("#!/bin/sh\n")
    podman.chmod(0o755)
    with open_engine("auto", env={**NOWHERE, "PATH": str(tmp_path)}) as chosen:
        assert type(chosen) is PodmanEngine
        with pytest.raises(DaemonUnavailable) as info:
            chosen.ping()
    assert "run scripts/podman.sh" in str(info.value)


def test_pushed_digest_from_aux_or_status() -> None:
    assert _pushed_digest({"aux": {"Tag": "1", "Digest": "sha256:" + HEX, "Size": 5}}) == (
        "sha256:" + HEX
    )
    status = f"1: digest: sha256:{HEX} size: 427"  # Podman's last line of a push
    assert _pushed_digest({"status": status}) == "sha256:" + HEX
    assert _pushed_digest({"status": "Pushing"}) == ""


def test_engine_in_config(tmp_path: Path) -> None:
    path = tmp_path / "dockwright.yaml"
    path.write_text("version: 1\nengine: podman\nimages: {}\n")
    assert load_config(path).engine == "podman"
    path.write_text("version: 1\nimages: {}\n")
    assert load_config(path).engine is None
    path.write_text("version: 1\nengine: lxc\nimages: {}\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == (
        f"{path}:2: at engine: expected one of docker, podman, auto; found 'lxc'"
    )
