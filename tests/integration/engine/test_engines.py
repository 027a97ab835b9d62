from __future__ import annotations

import io
import json
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dockwright.engine.base import BuildRequest, ContainerSpec, RegistryAuth
from dockwright.engine.docker import DockerEngine
from dockwright.engine.podman import PodmanEngine
from dockwright.engine.select import open_engine
from dockwright.errors import AuthError, BuildFailed, DaemonUnavailable, ImageNotFound

pytestmark = pytest.mark.integration

TAG = uuid.uuid4().hex[:12]  # this run's own image names: other runs share the engines

PASSWORD_FILE = Path("/var/lib/dockwright-dev/registry/password")
DOCKERFILE = """\
FROM dockwright.local/busybox:1.35 AS base
ARG WHO=nobody
RUN echo "hello $WHO" > /hello
ENV GREETING=hi
HEALTHCHECK --interval=5m CMD true
FROM base AS extra
RUN echo extra > /extra
"""


def open_kind(kind: str, podman_missing: str | None) -> DockerEngine:
    if kind == "podman":
        if podman_missing:
            pytest.skip(podman_missing)
        return PodmanEngine()
    return DockerEngine()


@pytest.fixture(scope="module", params=["docker", "podman"])
def engine(request: pytest.FixtureRequest, podman_missing: str | None) -> Iterator[DockerEngine]:
    with open_kind(request.param, podman_missing) as e:
        yield e


@pytest.fixture(scope="module")
def built(engine: DockerEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    context = tmp_path_factory.mktemp("ctx")
    (context / "Dockerfile").write_text(DOCKERFILE)
    result = engine.build(
        BuildRequest(
            context=str(context),
            build_args={"WHO": "world"},
            target="base",
            tags=(f"dockwright-engine-test:{TAG}",),
            labels={"dockwright.test": "1", "role": "base"},
        )
    )
    assert result.image_id.startswith("sha256:")
    assert result.builder.reason
    yield result.image_id
    engine.remove_image(result.image_id, force=True)


def saved_config(engine: DockerEngine, image: str) -> dict[str, Any]:
    """The image config blob of ``image``, from ``docker save``'s tar."""
    buffer = io.BytesIO()
    engine.save(image, buffer)
    buffer.seek(0)
    with tarfile.open(fileobj=buffer) as archive:

        def member(name: str) -> Any:
            handle = archive.extractfile(name)
            assert handle is not None
            return json.load(handle)

        return dict(member(member("manifest.json")[0]["Config"]))


def test_build_inspect(engine: DockerEngine, built: str) -> None:
    info = engine.inspect_image(built)
    assert info.id == built
    assert f"dockwright-engine-test:{TAG}" in info.repo_tags
    assert "io.buildah.version" not in info.config.labels
    # a Docker image config (an OCI one has no HEALTHCHECK), read from the saved image: Podman's
    # inspect leaves Healthcheck out
    assert saved_config(engine, built)["config"]["Healthcheck"] == {
        "Test": ["CMD-SHELL", "true"],
        "Interval": 300_000_000_000,
    }
    assert info.config.labels["role"] == "base"
    assert info.config.env_map()["GREETING"] == "hi"
    assert info.os == "linux"


def test_build_args_and_target(engine: DockerEngine, built: str) -> None:
    result = engine.run(built, ["cat", "/hello"], labels={"dockwright.test": "1"})
    assert result.stdout == "hello world\n"
    assert engine.run(built, ["test", "-e", "/extra"]).exit_code == 1


def test_failed_build(engine: DockerEngine, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM dockwright.local/busybox:1.35\nRUN exit 5\n")
    with pytest.raises(BuildFailed) as info:
        engine.build(BuildRequest(context=str(tmp_path)))
    assert "exit 5" in info.value.log or "exit code: 5" in info.value.log


def test_run_streams_exit_env_user(engine: DockerEngine, built: str) -> None:
    r = engine.run(
        built,
        ["sh", "-c", 'echo "out $X"; echo err >&2; id -u; exit 4'],
        env=["X=1"],
        user="1234",
    )
    assert (r.exit_code, r.stdout, r.stderr, r.timed_out) == (4, "out 1\n1234\n", "err\n", False)
    tty = engine.run(built, ["sh", "-c", "echo err >&2"], tty=True)
    assert tty.stderr == "" and "err" in tty.stdout


def test_run_timeout_kills(engine: DockerEngine, built: str) -> None:
    r = engine.run(built, ["sleep", "60"], timeout=1)
    assert r.timed_out and r.duration < 30


def test_missing_image(engine: DockerEngine) -> None:
    with pytest.raises(ImageNotFound):
        engine.inspect_image("dockwright.local/does-not-exist:0")


@pytest.mark.parametrize(
    ("kind", "start"),
    [
        (DockerEngine, "Docker daemon at unix:///nonexistent ("),
        (PodmanEngine, "Podman service at unix:///nonexistent ("),
    ],
)
def test_daemon_unavailable(kind: type[DockerEngine], start: str) -> None:
    with kind("unix:///nonexistent") as e, pytest.raises(DaemonUnavailable) as info:
        e.version()
    assert str(info.value).startswith(f"cannot reach the {start}")
    hint = "scripts/engine.sh" if kind is DockerEngine else "scripts/podman.sh"
    assert hint in str(info.value)


def test_stat_symlink_and_commit(engine: DockerEngine, built: str) -> None:
    container = engine.create_container(ContainerSpec(image=built, command=["true"]))
    try:
        link = engine.stat_path(container, "/bin/sh")
        assert link is not None
        assert (link.type, link.link_target, link.uid, link.gid) == ("symlink", "busybox", 0, 0)
        fast = engine.stat_path(container, "/bin/sh", owner=False)
        assert fast is not None and fast.type == "symlink"
        hello = engine.stat_path(container, "/hello", owner=False)
        assert hello is not None
        assert (hello.type, hello.size, hello.link_target) == ("file", 12, "")
        assert engine.stat_path(container, "/nope") is None
        assert engine.read_file(container, "/hello") == b"hello world\n"
        image_id = engine.commit(container, {"dockwright.test": "1"})
    finally:
        engine.remove_container(container)
    try:
        assert image_id.startswith("sha256:") and len(image_id) == 71
        assert engine.inspect_image(image_id).config.labels["dockwright.test"] == "1"
    finally:
        engine.remove_image(image_id, force=True)


def test_owners_other_than_root(
    engine: DockerEngine, built: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = "ln -s hello /rootlink && touch /owned && chown -h 1234:1234 /rootlink /owned"
    maker = engine.create_container(ContainerSpec(image=built, command=["sh", "-c", script]))
    try:
        engine.start_container(maker)
        assert engine.wait_container(maker, 60) == 0
        image_id = engine.commit(maker)
    finally:
        engine.remove_container(maker)
    container = engine.create_container(ContainerSpec(image=image_id, command=["true"]))
    try:
        link = engine.stat_path(container, "/rootlink")
        assert link is not None
        assert (link.type, link.uid, link.gid, link.link_target) == ("symlink", 1234, 1234, "hello")
        owned = engine.stat_path(container, "/owned")
        assert owned is not None and (owned.type, owned.uid, owned.gid) == ("file", 1234, 1234)
        if isinstance(engine, PodmanEngine):  # a remote service: its mounts are not readable
            monkeypatch.setattr(engine, "_root_of", lambda container: None)
            unknown = engine.stat_path(container, "/owned")
            assert unknown is not None and (unknown.uid, unknown.gid) == (-1, -1)
    finally:
        engine.remove_container(container)
        engine.remove_image(image_id, force=True)


def test_owners_in_a_container_of_another_user(engine: DockerEngine, built: str) -> None:
    # Podman's archive gives every file to the container's user; its files keep their owners.
    spec = ContainerSpec(image=built, command=["true"], user="1234:1234")
    container = engine.create_container(spec)
    try:
        hello = engine.stat_path(container, "/hello")
        assert hello is not None and (hello.uid, hello.gid) == (0, 0)
        link = engine.stat_path(container, "/bin/sh")
        assert link is not None and (link.type, link.uid, link.gid) == ("symlink", 0, 0)
    finally:
        engine.remove_container(container)


def _push_ref(engine: DockerEngine, built: str, registry: str) -> str:
    repo = f"{registry}/dockwright-test/engine"
    tag = uuid.uuid4().hex[:12]
    engine.tag(built, repo, tag)
    return f"{repo}:{tag}"


MANIFESTS = ", ".join(
    (
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
    )
)


def test_push_plain_registry(engine: DockerEngine, built: str) -> None:
    ref = _push_ref(engine, built, "127.0.0.1:5000")
    try:
        digest = engine.push(ref)
    finally:
        engine.remove_image(ref)
    assert digest.startswith("sha256:") and len(digest) == 71
    repo, tag = ref.removeprefix("127.0.0.1:5000/").rsplit(":", 1)
    answer = httpx.head(
        f"http://127.0.0.1:5000/v2/{repo}/manifests/{tag}", headers={"Accept": MANIFESTS}
    )
    assert answer.headers["Docker-Content-Digest"] == digest


@pytest.mark.skipif(not PASSWORD_FILE.exists(), reason="TLS registry password not present")
def test_push_tls_registry_with_auth(engine: DockerEngine, built: str) -> None:
    password = PASSWORD_FILE.read_text().strip()
    ref = _push_ref(engine, built, "127.0.0.1:5443")
    try:
        good = RegistryAuth("dockwright", password, "127.0.0.1:5443")
        assert password not in repr(good)
        assert engine.push(ref, good).startswith("sha256:")
        wrong = "not-" + password
        with pytest.raises(AuthError) as info:
            engine.push(ref, RegistryAuth("dockwright", wrong, "127.0.0.1:5443"))
        assert wrong not in str(info.value)
    finally:
        engine.remove_image(ref)


def test_auto_prefers_docker_then_podman(podman_missing: str | None) -> None:
    with open_engine("auto") as chosen:
        assert type(chosen) is DockerEngine
    if podman_missing:
        pytest.skip(podman_missing)
    env = {"DOCKER_HOST": "unix:///nonexistent", "PATH": "/nonexistent"}
    with open_engine(None, env=env) as chosen:
        assert type(chosen) is PodmanEngine
        chosen.ping()
