from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockwright.engine.base import BuildRequest, RegistryAuth
from dockwright.engine.docker import DockerEngine
from dockwright.errors import AuthError, BuildFailed, DaemonUnavailable, ImageNotFound

pytestmark = pytest.mark.integration

PASSWORD_FILE = Path("/var/lib/dockwright-dev/registry/password")
DOCKERFILE = """\
FROM dockwright.local/busybox:1.35 AS base
ARG WHO=nobody
RUN echo "hello $WHO" > /hello
ENV GREETING=hi
FROM base AS extra
RUN echo extra > /extra
"""


@pytest.fixture(scope="module")
def engine() -> Iterator[DockerEngine]:
    with DockerEngine() as e:
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
            tags=("dockwright-engine-test:latest",),
            labels={"dockwright.test": "1", "role": "base"},
        )
    )
    assert result.image_id.startswith("sha256:")
    assert result.builder.reason
    yield result.image_id
    engine.remove_image(result.image_id, force=True)


def test_build_inspect(engine: DockerEngine, built: str) -> None:
    info = engine.inspect_image(built)
    assert info.id == built
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


def test_daemon_unavailable() -> None:
    with DockerEngine("unix:///nonexistent") as e, pytest.raises(DaemonUnavailable) as info:
        e.version()
    assert "scripts/engine.sh" in str(info.value)


def _push_ref(engine: DockerEngine, built: str, registry: str) -> str:
    repo = f"{registry}/dockwright-test/engine"
    tag = uuid.uuid4().hex[:12]
    engine.tag(built, repo, tag)
    return f"{repo}:{tag}"


def test_push_plain_registry(engine: DockerEngine, built: str) -> None:
    ref = _push_ref(engine, built, "127.0.0.1:5000")
    try:
        digest = engine.push(ref)
    finally:
        engine.remove_image(ref)
    assert digest.startswith("sha256:") and len(digest) == 71


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
