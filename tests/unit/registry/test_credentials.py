"""Docker's config.json: inline auths, credsStore and credHelpers through a helper executable."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest

from dockwright.errors import ConfigError, CredentialHelperError
from dockwright.image.ref import HUB_INDEX_SERVER
from dockwright.registry.credentials import BasicCredentials, DockerConfig

SECRET = "hunter2-Secret"

# A docker-credential-* helper speaking the helper protocol, keeping its store in a JSON file.
HELPER = """#!/usr/bin/env python3
import json, os, sys
path = os.environ["FAKE_HELPER_STORE"]
store = json.load(open(path)) if os.path.exists(path) else {}
verb = sys.argv[1]
data = sys.stdin.read()
if verb == "get":
    entry = store.get(data.strip())
    if entry is None:
        print("credentials not found in native keychain"); sys.exit(1)
    print(json.dumps({"ServerURL": data.strip(), **entry}))
elif verb == "store":
    req = json.loads(data)
    if req["Username"] == "explode":
        print("echo " + req["Secret"]); sys.exit(3)
    store[req["ServerURL"]] = {"Username": req["Username"], "Secret": req["Secret"]}
    json.dump(store, open(path, "w"))
"""


@pytest.fixture
def helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    exe = bindir / "docker-credential-fake"
    exe.write_text(HELPER)
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    store = tmp_path / "store.json"
    monkeypatch.setenv("FAKE_HELPER_STORE", str(store))
    return store


def write(tmp_path: Path, data: object) -> str:
    (tmp_path / "config.json").write_text(json.dumps(data))
    return str(tmp_path)


def test_inline_auth_by_hostname(tmp_path: Path) -> None:
    auth = base64.b64encode(f"bob:{SECRET}".encode()).decode()
    d = write(
        tmp_path,
        {"auths": {"https://reg.test:5443": {"auth": auth}, HUB_INDEX_SERVER: {"auth": auth}}},
    )
    cfg = DockerConfig.load(d)
    assert cfg.credentials("reg.test:5443") == BasicCredentials("bob", SECRET)
    assert cfg.credentials("docker.io") == BasicCredentials("bob", SECRET)
    assert cfg.credentials("other.test") is None


def test_bad_auth_names_the_key_path(tmp_path: Path) -> None:
    d = write(tmp_path, {"auths": {"reg.test": {"auth": "!!!"}}})
    with pytest.raises(ConfigError) as info:
        DockerConfig.load(d).credentials("reg.test")
    assert str(info.value) == (
        f"{tmp_path}/config.json: at auths.reg.test.auth: expected base64 of USER:PASSWORD"
    )


def test_invalid_json(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{nope")
    with pytest.raises(ConfigError, match=r"config\.json: not valid JSON"):
        DockerConfig.load(str(tmp_path))


def test_login_stores_inline_like_docker(tmp_path: Path) -> None:
    d = write(tmp_path, {"auths": {}, "HttpHeaders": {"X": "y"}})
    cfg = DockerConfig.load(d)
    assert cfg.store("reg.test", BasicCredentials("bob", SECRET)).endswith("config.json")
    data = json.loads((tmp_path / "config.json").read_text())
    assert data["HttpHeaders"] == {"X": "y"}
    assert base64.b64decode(data["auths"]["reg.test"]["auth"]).decode() == f"bob:{SECRET}"
    assert (tmp_path / "config.json").stat().st_mode & 0o777 == 0o600
    assert DockerConfig.load(d).credentials("reg.test") == BasicCredentials("bob", SECRET)


@pytest.mark.parametrize("key", ["credsStore", "credHelpers"])
def test_login_through_a_helper_and_read_back(tmp_path: Path, helper: Path, key: str) -> None:
    value: object = "fake" if key == "credsStore" else {"reg.test": "fake"}
    d = write(tmp_path, {key: value})
    where = DockerConfig.load(d).store("reg.test", BasicCredentials("bob", SECRET))
    assert where == "the credential helper docker-credential-fake"
    text = (tmp_path / "config.json").read_text()
    assert SECRET not in text
    assert json.loads(helper.read_text())["reg.test"]["Secret"] == SECRET
    assert DockerConfig.load(d).credentials("reg.test") == BasicCredentials("bob", SECRET)
    assert DockerConfig.load(d).credentials("unknown.test") is None


def test_helper_failure_never_shows_its_output(tmp_path: Path, helper: Path) -> None:
    d = write(tmp_path, {"credsStore": "fake"})
    with pytest.raises(CredentialHelperError) as info:
        DockerConfig.load(d).store("reg.test", BasicCredentials("explode", SECRET))
    assert SECRET not in str(info.value)
    assert "exit code 3" in str(info.value)


def test_missing_helper_is_a_clear_error(tmp_path: Path) -> None:
    d = write(tmp_path, {"credHelpers": {"reg.test": "absent-xyz"}})
    with pytest.raises(CredentialHelperError, match="docker-credential-absent-xyz"):
        DockerConfig.load(d).credentials("reg.test")


def test_identity_token_from_a_helper(tmp_path: Path, helper: Path) -> None:
    helper.write_text(
        json.dumps({HUB_INDEX_SERVER: {"Username": "<token>", "Secret": "rt-" + SECRET}})
    )
    d = write(tmp_path, {"credsStore": "fake"})
    creds = DockerConfig.load(d).credentials("docker.io")
    assert creds is not None and creds.identity_token == "rt-" + SECRET
