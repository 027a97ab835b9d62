from __future__ import annotations

import base64
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from dockwright.errors import UsageError
from dockwright.publish import Destination, is_floating, plan


def test_immutable_tags_go_everywhere_before_floating_ones() -> None:
    a = Destination("127.0.0.1:5000/acme/hello", insecure=True)
    b = Destination("registry.test/acme/hello")
    order = [
        (d.repository, t) for d, t in plan(["1.4.2", "1.4", "1", "sha-abc1234", "latest"], [a, b])
    ]
    assert order == [
        (a.repository, "1.4.2"),
        (b.repository, "1.4.2"),
        (a.repository, "sha-abc1234"),
        (b.repository, "sha-abc1234"),
        (a.repository, "1.4"),
        (b.repository, "1.4"),
        (a.repository, "1"),
        (b.repository, "1"),
        (a.repository, "latest"),
        (b.repository, "latest"),
    ]


def test_floating_tags() -> None:
    assert [
        t
        for t in ["1.2.3", "2.0.0-rc.1", "sha-0a1b2c3", "1.2", "1", "latest", "main"]
        if is_floating(t)
    ] == ["1.2", "1", "latest", "main"]


def test_destination_host_and_path() -> None:
    d = Destination("127.0.0.1:5443/acme/tools/hello")
    assert (d.host, d.path) == ("127.0.0.1:5443", "acme/tools/hello")


@pytest.mark.parametrize(
    ("repository", "host", "path"),
    [
        ("docker.io/acme/hello", "docker.io", "acme/hello"),
        ("docker.io/hello", "docker.io", "library/hello"),
        ("index.docker.io/hello", "docker.io", "library/hello"),
        ("acme/hello", "docker.io", "acme/hello"),
        ("hello", "docker.io", "library/hello"),
        ("localhost/hello", "localhost", "hello"),
        ("ghcr.io/acme/hello", "ghcr.io", "acme/hello"),
    ],
)
def test_docker_hub_names(repository: str, host: str, path: str) -> None:
    d = Destination(repository)
    assert (d.host, d.path, d.repository) == (host, path, repository)


def test_a_destination_is_a_repository_name() -> None:
    with pytest.raises(UsageError) as info:
        Destination("ghcr.io/acme/hello:1.0")
    assert str(info.value) == (
        "invalid repository 'ghcr.io/acme/hello:1.0': expected a repository name without a tag "
        "or digest"
    )
    with pytest.raises(UsageError, match="repository name must be lower-case"):
        Destination("ghcr.io/Acme/hello")


def test_docker_hub_repositories_share_one_registry() -> None:
    assert Destination("docker.io/acme/a").registry_key == Destination("acme/b").registry_key


def test_docker_hub_credentials_for_a_short_repository_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dockwright.pipeline.executor import destinations

    auth = base64.b64encode(b"hubuser:hubpass").decode()
    (tmp_path / "config.json").write_text(
        json.dumps({"auths": {"https://index.docker.io/v1/": {"auth": auth}}})
    )
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    target = SimpleNamespace(repository="acme/hello", insecure=False, ca=None, credentials=None)
    (dest,) = destinations(SimpleNamespace(name="hello", publish=[target]))  # type: ignore[arg-type]
    assert (dest.host, dest.path) == ("docker.io", "acme/hello")
    assert dest.credentials is not None and dest.credentials.username == "hubuser"
