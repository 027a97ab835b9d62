"""publish() end to end: the real engine's export, real registries (plain, TLS + htpasswd, token
auth), and a fault-injecting proxy. Every faulty run either completes with every tag correct or
fails with a clear error, and never leaves a tag on a manifest whose blobs are missing."""

from __future__ import annotations

import os
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.conftest import Registries
from tests.integration.servers import (
    TOKEN_USER,
    FaultProxy,
    RegistryProcess,
    Rule,
    TokenServer,
)

from dockwright.engine.base import BuildRequest
from dockwright.engine.docker import DockerEngine
from dockwright.errors import RegistryError
from dockwright.publish import Destination, Published, default_client, publish
from dockwright.publish.imagecache import ImageCache
from dockwright.registry import BasicCredentials, RegistryClient, RetryPolicy

pytestmark = pytest.mark.integration

TAGS = ["1.4.2", "1.4", "1", "latest"]
QUICK = RetryPolicy(attempts=6, base=0.2, cap=1.0)


@pytest.fixture(scope="module")
def engine(engine_ready: None) -> Iterator[DockerEngine]:
    with DockerEngine() as e:
        yield e


@pytest.fixture(scope="module")
def image(
    engine: DockerEngine, base_images: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A busybox image with a 3 MB layer of random data (spooled, chunked in the fault runs)."""
    ctx = tmp_path_factory.mktemp("img")
    (ctx / "payload.bin").write_bytes(os.urandom(3 << 20))
    (ctx / "Dockerfile").write_text(
        f"FROM {base_images['busybox']}\nCOPY payload.bin /payload.bin\n"
    )
    tag = f"dockwright-itest/publish:{uuid.uuid4().hex[:8]}"
    result = engine.build(BuildRequest(context=str(ctx), tags=[tag]))
    yield result.image_id
    engine.remove_image(tag, force=True)


def repo() -> str:
    return f"itest/pub-{uuid.uuid4().hex[:10]}"


def assert_consistent(client: RegistryClient, path: str) -> None:
    """No tag of ``path`` points at a manifest with a missing blob."""
    for tag in client.tags(path):
        manifest = client.manifest(path, tag)
        assert manifest is not None
        for digest, _ in manifest.blobs:
            assert client.blob_exists(path, digest), f"{path}:{tag} lacks {digest}"


def test_publish_to_plain_and_tls_then_pull(
    engine: DockerEngine, image: str, registries: Registries, tmp_path: Path
) -> None:
    name = repo()
    creds = BasicCredentials(registries.username, registries.password)
    dests = [
        Destination(f"{registries.plain}/{name}", insecure=True),
        Destination(f"{registries.plain}/{name}-mirror", insecure=True),
        Destination(f"{registries.tls}/{name}", ca=str(registries.ca), credentials=creds),
    ]
    events = []
    done = publish(engine, image, TAGS, dests, cache=ImageCache(tmp_path), on_event=events.append)
    assert len(done) == len(TAGS) * len(dests)
    assert len({p.digest for p in done}) == 1
    assert any(e.kind == "mounted" for e in events)
    # the engine pulls exactly the tested image back
    ref = f"{registries.plain}/{name}:1.4.2"
    subprocess.run(["docker", "pull", "-q", ref], check=True, capture_output=True)
    try:
        assert engine.inspect_image(ref).id == image
    finally:
        engine.remove_image(ref, force=True)
    # re-publishing reuses everything: no export, no upload
    events.clear()
    again = publish(engine, image, TAGS, dests, cache=ImageCache(tmp_path), on_event=events.append)
    assert again == done
    assert [e.kind for e in events] == ["reused"]


def test_layers_go_up_while_they_are_compressed(
    engine: DockerEngine, image: str, registries: Registries, tmp_path: Path
) -> None:
    name = repo()
    dests = [Destination(f"{registries.plain}/{name}", insecure=True),
             Destination(f"{registries.plain}/{name}-copy", insecure=True)]  # fmt: skip
    events = []
    done = publish(engine, image, TAGS, dests, cache=ImageCache(tmp_path), on_event=events.append)
    uploaded = [e for e in events if e.kind == "uploaded"]
    # the spooled layers went up while they were compressed, to the first repository only;
    # the other repository mounted them
    streamed = [e.repository for e in uploaded if "while compressing" in e.detail]
    assert streamed and set(streamed) == {f"{registries.plain}/{name}"}
    assert len(uploaded) == len(streamed) + 1  # and the config, after
    assert any(e.kind == "mounted" and e.repository.endswith("-copy") for e in events)
    with default_client(dests[0]) as client:
        assert_consistent(client, name)
        assert {p.digest for p in done} == {client.manifest_digest(name, "1.4.2")}


def test_a_layer_the_registry_holds_is_not_streamed_again(
    engine: DockerEngine, image: str, registries: Registries, tmp_path: Path
) -> None:
    name = repo()
    dest = Destination(f"{registries.plain}/{name}", insecure=True)
    publish(engine, image, ["1.0.0"], [dest], cache=ImageCache(tmp_path / "one"))
    # a new cache: the image is exported and compressed again, its blobs are all there
    events = []
    publish(engine, image, ["2.0.0"], [dest], cache=ImageCache(tmp_path / "two"),
            on_event=events.append)  # fmt: skip
    assert not [e for e in events if e.kind == "uploaded"]
    with default_client(dest) as client:
        assert_consistent(client, name)
        assert client.manifest_digest(name, "2.0.0") == client.manifest_digest(name, "1.0.0")


def test_publish_through_token_auth(engine: DockerEngine, image: str, tmp_path: Path) -> None:
    password = uuid.uuid4().hex
    server = TokenServer(tmp_path, password)
    reg = RegistryProcess(tmp_path / "reg", server.auth_yaml())
    reg.start()
    try:
        dest = Destination(f"{reg.address}/team/app", insecure=True,
                           credentials=BasicCredentials(TOKEN_USER, password))  # fmt: skip
        done = publish(engine, image, TAGS, [dest], cache=ImageCache(tmp_path / "c"))
        assert {p.tag for p in done} == set(TAGS)
        with RegistryClient(reg.address, insecure=True) as anon:  # anonymous pull token
            assert sorted(anon.tags("team/app")) == sorted(TAGS)
    finally:
        reg.stop()
        server.close()


@pytest.fixture
def faulty(tmp_path: Path) -> Iterator[tuple[RegistryProcess, FaultProxy]]:
    reg = RegistryProcess(tmp_path / "reg")
    reg.start()
    proxy = FaultProxy(reg.port)
    yield reg, proxy
    proxy.close()
    reg.stop()


def run_faulty(
    engine: DockerEngine, image: str, proxy: FaultProxy, tmp_path: Path, rule: Rule
) -> tuple[list[Published] | None, RegistryError | None, RegistryClient]:
    proxy.rules.append(rule)
    dest = Destination(f"{proxy.address}/fault/app", insecure=True)

    def factory(d: Destination) -> RegistryClient:
        return RegistryClient(d.host, insecure=True, retry=QUICK)

    try:
        done = publish(engine, image, TAGS, [dest], client_factory=factory,
                       cache=ImageCache(tmp_path / "cache"), chunk_size=1 << 20)  # fmt: skip
        error = None
    except RegistryError as exc:
        done, error = None, exc
    proxy.rules.clear()
    return done, error, default_client(dest, QUICK)


FIRED: set[str] = set()


def nth(method: str, fragment: str, n: int, action: tuple) -> Rule:  # type: ignore[type-arg]
    seen = [0]
    name = f"{method} {fragment} #{n} {action[0]}"

    def rule(m: str, path: str):  # type: ignore[no-untyped-def]
        if m == method and fragment in path:
            seen[0] += 1
            if seen[0] == n:
                FIRED.add(name)
                return action
        return None

    rule.__name__ = name
    return rule


FAULTS = {
    "reset mid-stream": nth("PATCH", "/blobs/uploads/", 1, ("reset", 0)),
    "reset mid-chunk": nth("PATCH", "/blobs/uploads/", 2, ("reset", 200_000)),
    "reset on commit": nth("PUT", "/blobs/uploads/", 1, ("reset", 0)),
    "500 mid-upload": nth("PATCH", "/blobs/uploads/", 2, ("status", 500, {})),
    "429 mid-upload": nth("PATCH", "/blobs/uploads/", 1, ("status", 429, {"Retry-After": "1"})),
    "500 on manifest": nth("PUT", "/manifests/", 2, ("status", 500, {})),
    "reset on manifest": nth("PUT", "/manifests/", 1, ("reset", 0)),
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_transient_faults_are_survived(
    engine: DockerEngine,
    image: str,
    faulty: tuple[RegistryProcess, FaultProxy],
    tmp_path: Path,
    fault: str,
) -> None:
    _, proxy = faulty
    done, error, client = run_faulty(engine, image, proxy, tmp_path, FAULTS[fault])
    assert FAULTS[fault].__name__ in FIRED  # the fault did happen
    assert error is None, error
    assert done is not None and {p.tag for p in done} == set(TAGS)
    assert_consistent(client, "fault/app")


def test_registry_restarted_mid_push(
    engine: DockerEngine, image: str, faulty: tuple[RegistryProcess, FaultProxy], tmp_path: Path
) -> None:
    reg, proxy = faulty
    fired = []

    def restart(method: str, path: str):  # type: ignore[no-untyped-def]
        if method == "PATCH" and not fired:
            fired.append(1)
            reg.stop()  # upload sessions die with it (no shared http.secret)
            threading.Timer(1.0, reg.start).start()
            return ("reset", 0)
        return None

    done, error, client = run_faulty(engine, image, proxy, tmp_path, restart)
    assert fired and error is None, error
    assert done is not None
    assert_consistent(client, "fault/app")


def test_registry_gone_fails_clearly_and_leaves_no_broken_tag(
    engine: DockerEngine, image: str, faulty: tuple[RegistryProcess, FaultProxy], tmp_path: Path
) -> None:
    reg, proxy = faulty

    def die(method: str, path: str):  # type: ignore[no-untyped-def]
        if method == "PUT" and "/manifests/1.4" in path and not path.endswith("1.4.2"):
            reg.stop()
            return ("reset", 0)
        return None

    done, error, client = run_faulty(engine, image, proxy, tmp_path, die)
    assert done is None and error is not None
    assert "fault/app" in str(error) or proxy.address in str(error)
    reg.start()
    assert_consistent(client, "fault/app")
    # the immutable tag went first; the floating ones did not move without it
    assert client.manifest_digest("fault/app", "1.4.2") is not None
    assert client.manifest_digest("fault/app", "latest") is None
