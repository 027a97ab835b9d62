from __future__ import annotations

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
