from __future__ import annotations

import pytest

from dockwright.errors import UsageError
from dockwright.image import Digest, ImageRef
from dockwright.image.ref import api_host, is_docker_hub, registry_host

SHA = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    ("text", "domain", "path", "tag", "digest", "familiar"),
    [
        ("busybox", "docker.io", "library/busybox", None, None, "busybox"),
        ("busybox:1.35", "docker.io", "library/busybox", "1.35", None, "busybox:1.35"),
        ("acme/app", "docker.io", "acme/app", None, None, "acme/app"),
        ("docker.io/busybox", "docker.io", "library/busybox", None, None, "busybox"),
        ("index.docker.io/acme/app:v1", "docker.io", "acme/app", "v1", None, "acme/app:v1"),
        ("docker.io/library/a/b", "docker.io", "library/a/b", None, None, "library/a/b"),
        ("localhost/app", "localhost", "app", None, None, "localhost/app"),
        ("localhost:5000/app:dev", "localhost:5000", "app", "dev", None, "localhost:5000/app:dev"),
        (
            "127.0.0.1:5000/acme/hello:1.0",
            "127.0.0.1:5000",
            "acme/hello",
            "1.0",
            None,
            "127.0.0.1:5000/acme/hello:1.0",
        ),
        (
            "ghcr.io/acme/a.b_c__d-e--f:X_1.y-z",
            "ghcr.io",
            "acme/a.b_c__d-e--f",
            "X_1.y-z",
            None,
            "ghcr.io/acme/a.b_c__d-e--f:X_1.y-z",
        ),
        (f"busybox@{SHA}", "docker.io", "library/busybox", None, SHA, f"busybox@{SHA}"),
        (f"reg:443/x:t@{SHA}", "reg:443", "x", "t", SHA, f"reg:443/x:t@{SHA}"),
        ("[::1]:5000/app", "[::1]:5000", "app", None, None, "[::1]:5000/app"),
        (
            "Registry.Example.com/app",
            "Registry.Example.com",
            "app",
            None,
            None,
            "Registry.Example.com/app",
        ),
        (
            "dockwright.local/busybox:1.35",
            "dockwright.local",
            "busybox",
            "1.35",
            None,
            "dockwright.local/busybox:1.35",
        ),
    ],
)
def test_parse_round_trips(
    text: str, domain: str, path: str, tag: str | None, digest: str | None, familiar: str
) -> None:
    ref = ImageRef.parse(text)
    assert (ref.domain, ref.path, ref.tag) == (domain, path, tag)
    assert (str(ref.digest) if ref.digest else None) == digest
    assert str(ref) == familiar
    assert ImageRef.parse(str(ref)) == ref
    assert ImageRef.parse(ref.canonical) == ref


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty string"),
        ("Busybox", "must be lower-case"),
        ("acme/App", "must be lower-case"),
        ("busybox:", "expected a tag"),
        ("busybox:-x", "expected a tag"),
        ("busybox:" + "a" * 129, "expected a tag"),
        ("busybox@sha256:abc", "expected ALGORITHM:HEX"),
        ("busybox@sha256:" + "a" * 63, "needs 64 hex digits"),
        ("a" * 64, "image id"),
        ("acme//app", "path components"),
        ("acme/app-", "path components"),
        ("-reg.io/app", "registry host"),
        ("reg.io/", "expected a repository name"),
        ("reg.io:port/app", "registry host"),
        ("a/" + "b" * 260, "longer than 255"),
    ],
)
def test_invalid_references(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as info:
        ImageRef.parse(text)
    assert repr(text)[:20].strip("'") in str(info.value) or text == ""


def test_default_tag_and_with_tag() -> None:
    ref = ImageRef.parse("busybox")
    assert str(ref.with_default_tag()) == "busybox:latest"
    assert ref.with_tag("1.0").canonical == "docker.io/library/busybox:1.0"
    pinned = ImageRef.parse(f"busybox@{SHA}")
    assert pinned.with_default_tag() == pinned
    with pytest.raises(UsageError):
        ref.with_tag("bad tag")


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        (SHA, True),
        ("sha512:" + "0" * 128, True),
        ("multihash+base58:" + "a" * 32, True),
        ("sha256:" + "AB" * 32, False),
        ("sha256:" + "a" * 65, False),
        ("SHA256:" + "a" * 64, False),
        ("sha256", False),
        ("x:" + "a" * 31, False),
        (":" + "a" * 64, False),
    ],
)
def test_digest(text: str, ok: bool) -> None:
    if ok:
        assert str(Digest.parse(text)) == text
    else:
        with pytest.raises(UsageError, match="invalid digest"):
            Digest.parse(text)


@pytest.mark.parametrize(
    ("host", "hub", "registry", "api"),
    [
        ("docker.io", True, "docker.io", "registry-1.docker.io"),
        ("index.docker.io", True, "docker.io", "registry-1.docker.io"),
        ("registry-1.docker.io", True, "docker.io", "registry-1.docker.io"),
        ("ghcr.io", False, "ghcr.io", "ghcr.io"),
        ("127.0.0.1:5000", False, "127.0.0.1:5000", "127.0.0.1:5000"),
    ],
)
def test_docker_hub_names(host: str, hub: bool, registry: str, api: str) -> None:
    assert (is_docker_hub(host), registry_host(host), api_host(host)) == (hub, registry, api)
