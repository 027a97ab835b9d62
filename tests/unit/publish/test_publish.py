"""publish() against in-memory registries and a fake engine export (docker save layout)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx
import pytest
from tests.unit.registry.fakeregistry import FakeRegistry

from dockwright.errors import RegistryError
from dockwright.publish import Destination, Event, publish
from dockwright.publish.imagecache import ImageCache
from dockwright.registry import RegistryClient, RetryPolicy


def _tar_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def make_save() -> tuple[str, bytes]:
    big = _tar_bytes({"big.bin": os.urandom(1 << 20) + b"a" * (1 << 20)})  # a spooled layer
    small = _tar_bytes({"etc/hello": b"hello\n"})  # an in-memory layer
    diff_ids = ["sha256:" + hashlib.sha256(x).hexdigest() for x in (big, small)]
    config = json.dumps(
        {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids}}
    ).encode()
    image_id = "sha256:" + hashlib.sha256(config).hexdigest()
    manifest = [
        {
            "Config": image_id[7:] + ".json",
            "RepoTags": None,
            "Layers": ["aaa/layer.tar", "bbb/layer.tar"],
        }
    ]
    save = _tar_bytes(
        {
            "aaa/layer.tar": big,
            "bbb/layer.tar": small,
            image_id[7:] + ".json": config,
            "manifest.json": json.dumps(manifest).encode(),
        }
    )
    return image_id, save


class FakeEngine:
    def __init__(self, save: bytes, interrupt_after: int | None = None) -> None:
        self.save = save
        self.exports = 0
        self.interrupt_after = interrupt_after

    @contextmanager
    def export_image(self, image: str) -> Iterator[IO[bytes]]:
        self.exports += 1
        if self.interrupt_after is None:
            yield io.BytesIO(self.save)
        else:
            yield Interrupted(self.save, self.interrupt_after)


class Interrupted(io.BytesIO):
    """An export stream that is interrupted (^C) after ``after`` bytes."""

    def __init__(self, data: bytes, after: int) -> None:
        super().__init__(data)
        self.after = after

    def read(self, size: int | None = -1, /) -> bytes:
        if self.tell() >= self.after:
            raise KeyboardInterrupt
        return super().read(size)


def new_threads(before: set[threading.Thread]) -> list[str]:
    """Threads started since ``before`` that are still alive, and any of ours at all."""
    return sorted(
        t.name for t in threading.enumerate() if t not in before or t.name.startswith("dockwright")
    )


@pytest.fixture
def setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    regs = {"one.test": FakeRegistry(), "two.test": FakeRegistry()}

    def factory(dest: Destination) -> RegistryClient:
        return RegistryClient(
            dest.host,
            transport=regs[dest.host].transport(),
            retry=RetryPolicy(attempts=3, base=0.0, cap=0.0),
            sleep=lambda s: None,
        )

    image_id, save = make_save()
    return regs, factory, image_id, FakeEngine(save), ImageCache(tmp_path / "cache")


DESTS = [
    Destination("one.test/acme/a"),
    Destination("one.test/acme/b"),
    Destination("two.test/acme/a"),
]
TAGS = ["latest", "1.2.3", "1.2", "sha-abc1234", "1.2.3"]


def test_first_publish_uploads_once_per_registry_then_tags_in_order(setup) -> None:  # type: ignore[no-untyped-def]
    regs, factory, image_id, engine, cache = setup
    events: list[Event] = []
    done = publish(
        engine,
        image_id,
        TAGS,
        DESTS,
        client_factory=factory,
        cache=cache,
        on_event=events.append,
        chunk_size=1 << 20,
    )
    assert engine.exports == 1
    one = regs["one.test"]
    # 3 blobs (2 layers + config): uploaded once to one.test, mounted into the second repo
    assert sum(1 for e in events if e.kind == "uploaded" and "one.test" in e.repository) == 3
    assert sum(1 for e in events if e.kind == "mounted") == 3
    assert sum(1 for e in events if e.kind == "uploaded" and "two.test" in e.repository) == 3
    # every manifest PUT comes after the last blob upload of its registry
    puts = [i for i, line in enumerate(one.log) if line.startswith("PUT /v2/acme/a/manifests")]
    blob_puts = [i for i, line in enumerate(one.log) if "blobs/uploads" in line]
    assert min(puts) > max(blob_puts)
    order = [(p.repository, p.tag) for p in done]
    assert order[:6] == [(d.repository, t) for t in ("1.2.3", "sha-abc1234") for d in DESTS]
    assert {p.tag for p in done[6:]} == {"1.2", "latest"}
    assert len({p.digest for p in done}) == 1
    pushed = one.manifests["acme/b"]["latest"][0]
    assert json.loads(pushed)["config"]["digest"] == image_id


def test_republish_needs_no_export_and_no_upload(setup) -> None:  # type: ignore[no-untyped-def]
    regs, factory, image_id, engine, cache = setup
    first = publish(engine, image_id, TAGS, DESTS, client_factory=factory, cache=cache)
    for reg in regs.values():
        reg.log.clear()
    again = publish(engine, image_id, TAGS, DESTS, client_factory=factory, cache=cache)
    assert engine.exports == 1
    assert first == again
    for reg in regs.values():
        assert not [line for line in reg.log if line.startswith(("PUT", "POST", "PATCH"))]


def test_reuse_from_the_registry_without_a_cache(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    regs, factory, image_id, engine, cache = setup
    publish(engine, image_id, TAGS, DESTS, client_factory=factory, cache=cache)
    publish(
        engine,
        image_id,
        ["1.2.3", "extra"],
        DESTS,
        client_factory=factory,
        cache=ImageCache(tmp_path / "empty"),
    )
    assert engine.exports == 1
    assert "extra" in regs["two.test"].manifests["acme/a"]


def test_a_failing_registry_leaves_no_tag(setup) -> None:  # type: ignore[no-untyped-def]
    regs, factory, image_id, engine, cache = setup
    regs["two.test"].faults.append(
        lambda r: httpx.Response(500) if r.method == "PUT" and "blobs" in r.url.path else None
    )
    with pytest.raises(RegistryError, match=r"two\.test: upload of sha256:"):
        publish(engine, image_id, TAGS, DESTS, client_factory=factory, cache=cache)
    for reg in regs.values():
        assert not any(reg.manifests.values())
    assert cache.load(image_id) is None


def test_nothing_to_publish() -> None:
    with pytest.raises(RegistryError, match="no tags were computed"):
        publish(FakeEngine(b""), "sha256:x", [], DESTS)  # type: ignore[arg-type]


def test_unchanged_republish_is_a_ping_and_one_head_per_tag(setup) -> None:  # type: ignore[no-untyped-def]
    regs, factory, image_id, engine, cache = setup
    publish(engine, image_id, TAGS, DESTS, client_factory=factory, cache=cache)
    for reg in regs.values():
        reg.log.clear()
    events: list[Event] = []
    publish(
        engine, image_id, TAGS, DESTS, client_factory=factory, cache=cache, on_event=events.append
    )
    tags = len(set(TAGS))
    heads = [f"HEAD /v2/acme/{repo}/manifests/{tag}" for repo in "ab" for tag in set(TAGS)]
    assert sorted(regs["one.test"].log) == sorted(["GET /v2/", *heads])
    assert len(regs["two.test"].log) == 1 + tags
    assert [e.kind for e in events] == ["reused"]


def test_one_moved_tag_is_put_back_and_verified(setup) -> None:  # type: ignore[no-untyped-def]
    regs, factory, image_id, engine, cache = setup
    first = publish(engine, image_id, TAGS, DESTS, client_factory=factory, cache=cache)
    other = b'{"schemaVersion": 2, "config": {"digest": "sha256:0"}, "layers": []}'
    media = "application/vnd.docker.distribution.manifest.v2+json"
    regs["two.test"].manifests["acme/a"]["latest"] = (other, media)
    for reg in regs.values():
        reg.log.clear()
    again = publish(engine, image_id, TAGS, DESTS, client_factory=factory, cache=cache)
    assert again == first and engine.exports == 1
    assert [x for x in regs["two.test"].log if x.startswith("PUT")] == [
        "PUT /v2/acme/a/manifests/latest"
    ]
    assert not [x for x in regs["one.test"].log if x.startswith("PUT")]


def test_no_thread_outlives_a_failing_publish(setup) -> None:  # type: ignore[no-untyped-def]
    regs, factory, image_id, engine, cache = setup
    regs["two.test"].faults.append(
        lambda r: httpx.Response(500) if r.method == "PUT" and "blobs" in r.url.path else None
    )
    before = set(threading.enumerate())
    with pytest.raises(RegistryError, match=r"two\.test: upload of sha256:"):
        publish(engine, image_id, TAGS, DESTS, client_factory=factory, cache=cache)
    assert new_threads(before) == []


def test_no_thread_outlives_an_interrupted_publish(setup) -> None:  # type: ignore[no-untyped-def]
    regs, factory, image_id, engine, cache = setup
    interrupted = FakeEngine(engine.save, interrupt_after=(2 << 20) + 8192)  # after the big layer
    before = set(threading.enumerate())
    with pytest.raises(KeyboardInterrupt):
        publish(interrupted, image_id, TAGS, DESTS, client_factory=factory, cache=cache)
    assert new_threads(before) == []
    for reg in regs.values():
        assert not any(reg.manifests.values())
        assert reg.uploads == {}  # no upload session is left open


def test_no_thread_outlives_a_publish(setup) -> None:  # type: ignore[no-untyped-def]
    _, factory, image_id, engine, cache = setup
    before = set(threading.enumerate())
    publish(engine, image_id, TAGS, DESTS, client_factory=factory, cache=cache)
    publish(engine, image_id, TAGS, DESTS, client_factory=factory, cache=cache)
    assert new_threads(before) == []
