from __future__ import annotations

import base64
import json

from dockwright.engine.base import Builder, BuildRequest, RegistryAuth
from dockwright.engine.build import build_argv
from dockwright.engine.containers import demultiplex


def test_demultiplex_splits_streams() -> None:
    frames = b"\x01\x00\x00\x00\x00\x00\x00\x03out" + b"\x02\x00\x00\x00\x00\x00\x00\x04err\n"
    frames += b"\x01\x00\x00\x00\x00\x00\x00\x01!"
    assert demultiplex(frames) == (b"out!", b"err\n")


def test_registry_auth_hides_password() -> None:
    auth = RegistryAuth("me", "s3cret", "reg:5443")
    assert "s3cret" not in repr(auth) and "s3cret" not in str(auth)
    body = json.loads(base64.urlsafe_b64decode(auth.header()))
    assert body == {"username": "me", "password": "s3cret", "serveraddress": "reg:5443"}


def test_build_argv_for_each_mode() -> None:
    request = BuildRequest(
        context="ctx", dockerfile="Dockerfile.x", tags=("a:1",), build_args={"K": "V"},
        target="t", labels={"l": "v"}, platform="linux/amd64", no_cache=True,
    )  # fmt: skip
    kit = build_argv(Builder("/usr/bin/docker", "buildkit", "r"), request, "/tmp/iid")
    assert kit[:4] == ["/usr/bin/docker", "build", "--iidfile", "/tmp/iid"]
    assert kit[-1] == "ctx" and "ctx/Dockerfile.x" in kit and "--no-cache" in kit
    assert kit[kit.index("--build-arg") : kit.index("--build-arg") + 2] == ["--build-arg", "K=V"]
    bx = build_argv(Builder("docker", "buildx", "r"), request, "/tmp/m.json")
    assert bx[:6] == ["docker", "buildx", "build", "--load", "--metadata-file", "/tmp/m.json"]
