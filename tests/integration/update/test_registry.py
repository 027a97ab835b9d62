"""``dockwright update`` against the real local registry: one base image under many tags
(suffix variants, pre-releases, a moved tag, a major jump, a multi-arch index), pushed with
the Docker engine. Each policy picks what Renovate picks, pins the digest the registry
serves, and the rewritten Dockerfile differs from the original only in those tokens."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tests.integration.conftest import Registries
from tests.unit.update.apiserver import ApiServer
from tests.unit.update.cli import dockwright_update
from tests.unit.update.scenario import EXPECTED, EXPECTED_WITH_PRERELEASES, TAGS

from dockwright.registry import RegistryClient

pytestmark = pytest.mark.integration

DOCKER = "/usr/bin/docker"  # Debian's client: the classic builder without buildx
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
POLICIES = ("patch", "minor", "major")


def docker(*argv: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [DOCKER, *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "DOCKER_BUILDKIT": "0"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class Base:
    """The pushed repository: ``digests[tag]`` is what the registry serves for the tag."""

    host: str
    path: str
    digests: dict[str, str] = field(default_factory=dict)
    moved_from: str = ""  # 3.18.5's digest before it was pushed again
    arch: dict[str, str] = field(default_factory=dict)  # 4.0.1's platform manifests

    @property
    def name(self) -> str:
        return f"{self.host}/{self.path}"


def _push(base: Base, tag: str, label: str, made: list[str]) -> str:
    ref = f"{base.name}:{tag}"
    image = docker("build", "-q", "--label", f"dockwright.test={label}", "-t", ref, "-",
                   stdin="FROM dockwright.local/busybox:1.35\n")  # fmt: skip
    made.append(image.strip())  # by ID: a tag pushed again leaves its first image untagged
    out = docker("push", ref)
    digest = out.rsplit("digest: ", 1)[1].split()[0]
    assert digest.startswith("sha256:")
    return digest


@pytest.fixture(scope="module")
def base(registries: Registries, base_images: dict[str, str]) -> Iterator[Base]:
    found = Base(registries.plain, f"dockwright-update-{uuid.uuid4().hex[:10]}/base")
    made: list[str] = []
    try:
        for tag in TAGS:
            found.digests[tag] = _push(found, tag, tag, made)
        # a moved tag: 3.18.5 pushed again with other content
        found.moved_from = found.digests["3.18.5"]
        found.digests["3.18.5"] = _push(found, "3.18.5", "3.18.5 rebuilt", made)
        assert found.digests["3.18.5"] != found.moved_from
        # a multi-arch 4.0.1: an index of two platform images
        with RegistryClient(registries.plain, insecure=True) as client:
            entries = []
            for arch in ("amd64", "arm64"):
                single = client.manifest(found.path, found.digests["4.0.0"] if arch == "amd64"
                                         else found.digests["4.0"])  # fmt: skip
                assert single is not None
                found.arch[arch] = single.digest
                entries.append(
                    {
                        "mediaType": single.media_type,
                        "digest": single.digest,
                        "size": len(single.raw),
                        "platform": {"architecture": arch, "os": "linux"},
                    }
                )
            raw = json.dumps(
                {"schemaVersion": 2, "mediaType": DOCKER_LIST, "manifests": entries}
            ).encode()
            found.digests["4.0.1"] = client.put_manifest(found.path, "4.0.1", raw, DOCKER_LIST)
        yield found
    finally:
        if made:
            docker("rmi", "-f", *sorted(set(made)))


def _skopeo_digest(base: Base, tag: str) -> str:
    """The digest of the manifest the registry serves for ``tag``, as skopeo reads it."""
    raw = subprocess.run(
        ["skopeo", "inspect", "--raw", "--tls-verify=false", f"docker://{base.name}:{tag}"],
        capture_output=True,
        check=True,
    ).stdout
    return "sha256:" + hashlib.sha256(raw).hexdigest()


# One FROM per current value, with the layout Renovate users have: comments, continuations,
# odd spacing, an ARG-templated image, COPY --from, CRLF nowhere to be lost.
TEMPLATE = """\
# syntax=docker/dockerfile:1
# a comment that stays
ARG BASE_TAG={v0}
FROM {name}:${{BASE_TAG}} AS s0
{froms}
COPY   --from={name}:{vlast} /etc/passwd /tmp/passwd
"""


def _dockerfile(name: str, values: list[str]) -> str:
    froms = []
    for i, value in enumerate(values[1:], start=1):
        if i % 3 == 0:
            froms.append(f"FROM \\\n    --platform=linux/amd64 \\\n    {name}:{value}   AS s{i}")
        else:
            froms.append(f"FROM {name}:{value} AS s{i}\nRUN true  # stage {i}")
    return TEMPLATE.format(name=name, v0=values[0], vlast=values[-1], froms="\n".join(froms))


def _config(tmp: Path, base: Base, extra: str = "") -> None:
    (tmp / "dockwright.yaml").write_text(
        "version: 1\nimages: {}\n"
        f"update:\n  registries:\n    '{base.host}': {{insecure: true}}\n{extra}"
    )


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("prereleases", [False, True])
@pytest.mark.parametrize("policy", POLICIES)
def test_each_policy_picks_what_renovate_picks_and_pins_the_served_digest(
    base: Base, workdir: Path, policy: str, prereleases: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    table = EXPECTED_WITH_PRERELEASES if prereleases else EXPECTED
    values = sorted(table)
    original = _dockerfile(base.name, values)
    (workdir / "Dockerfile").write_text(original)
    # docker.io is out of reach here: the syntax image is left alone
    _config(
        workdir,
        base,
        f"  prereleases: {'true' if prereleases else 'false'}\n  ignore: [docker/dockerfile]\n",
    )
    assert dockwright_update("--policy", policy, "--pin-digests", "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["failed"] == []
    column = POLICIES.index(policy)
    # what each FROM became: the expected tag, pinned to the digest the registry serves
    new_values = []
    for value in values:
        tag = table[value][column] or value
        digest = base.digests[tag]
        assert digest == _skopeo_digest(base, tag)
        new_values.append(f"{tag}@{digest}")
    expected = _dockerfile(base.name, new_values)
    # COPY --from names the last value: it moves like its FROM twin
    assert (workdir / "Dockerfile").read_text() == expected
    moved = {(u["from"]["value"], u["to"]["value"]) for u in report["updates"]}
    for value in values:
        new = table[value][column]
        assert (value, new or value) in moved


def test_a_moved_tag_gets_the_new_digest_and_a_platform_pin_stays_on_its_platform(
    base: Base, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        f"FROM {base.name}:3.18.5@{base.moved_from}\n"
        f"FROM --platform=linux/arm64 {base.name}:4.0.0@{base.digests['4.0.0']} AS arm\n"
        f"FROM {base.name}:4.0.0 AS multi\n"
    )
    (workdir / "Dockerfile").write_text(text)
    _config(workdir, base, "  rules:\n    - match: ['*']\n      policy: digest\n")
    assert dockwright_update("--exit-code") == 1
    assert (workdir / "Dockerfile").read_text() == text.replace(
        base.moved_from, base.digests["3.18.5"]
    )
    assert capsys.readouterr().out == (
        f"updated {base.name} 3.18.5@{base.moved_from[:19]} → "
        f"3.18.5@{base.digests['3.18.5'][:19]} (Dockerfile:1)\n"
    )
    # patch: 4.0.0 -> 4.0.1, a multi-arch index: the pinned arm64 image follows the arm64
    # entry, the unpinned one is pinned to the index (--policy sets update.policy; rules
    # still win, so the rule goes)
    _config(workdir, base)
    assert dockwright_update("--policy", "patch", "--pin-digests", "Dockerfile") == 0
    assert (workdir / "Dockerfile").read_text() == (
        f"FROM {base.name}:3.18.5@{base.digests['3.18.5']}\n"
        f"FROM --platform=linux/arm64 {base.name}:4.0.1@{base.arch['arm64']} AS arm\n"
        f"FROM {base.name}:4.0.1@{base.digests['4.0.1']} AS multi\n"
    )


def test_dry_run_then_commit(
    base: Base, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key, value in {
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.com",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.com",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        monkeypatch.setenv(key, value)
    text = f"FROM {base.name}:3.18-alpine\r\nFROM {base.name}:20-alpine AS node\r\n"
    (workdir / "Dockerfile").write_bytes(text.encode())
    _config(workdir, base, "  policy: major\n")
    subprocess.run(["git", "init", "-q", "-b", "main"], check=True)
    subprocess.run(["git", "add", "."], check=True)
    subprocess.run(["git", "commit", "-qm", "init"], check=True)
    assert dockwright_update("--dry-run") == 1
    assert capsys.readouterr().out == (
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n"
        f"-FROM {base.name}:3.18-alpine\r\n-FROM {base.name}:20-alpine AS node\r\n"
        f"+FROM {base.name}:3.19-alpine\r\n+FROM {base.name}:22-alpine AS node\r\n"
    )
    assert dockwright_update("--commit") == 0
    log = subprocess.run(
        ["git", "log", "--format=%s|%b", "-2"], capture_output=True, text=True, check=True
    ).stdout
    assert log == (
        f"Update {base.name} Docker tag to v22|- {base.name} 20-alpine → 22-alpine "
        "(Dockerfile:2)\n\n"
        f"Update {base.name} Docker tag to v3.19|- {base.name} 3.18-alpine → 3.19-alpine "
        "(Dockerfile:1)\n\n"
    )
    assert (workdir / "Dockerfile").read_bytes() == text.replace("3.18-a", "3.19-a").replace(
        "20-a", "22-a"
    ).encode()


def test_images_and_package_apis_in_one_run(
    base: Base, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with ApiServer() as api:
        api.tags["hadolint/hadolint"] = ["v2.12.0", "v2.12.1", "v2.13.0-rc1", "v3.0.0"]
        api.npm["pnpm"] = {
            "dist-tags": {"latest": "9.1.0"},
            "versions": {"9.0.0": {}, "9.1.0": {}, "10.0.0-beta.1": {}},
        }
        text = (
            "# renovate: datasource=github-tags depName=hadolint/hadolint\n"
            "ARG HADOLINT_VERSION=v2.12.0\n"
            "# renovate: datasource=npm depName=pnpm\n"
            "ARG PNPM_VERSION=9.0.0\n"
            f"FROM {base.name}:3.19.0\n"
        )
        (workdir / "Dockerfile").write_text(text)
        _config(workdir, base, f"  datasources: {{github: '{api.url}', npm: '{api.url}/npm'}}\n")
        assert dockwright_update() == 0
        assert (workdir / "Dockerfile").read_text() == (
            text.replace("v2.12.0", "v2.12.1")
            .replace("9.0.0", "9.1.0")
            .replace(":3.19.0", ":3.19.1")
        )


def test_a_build_arg_of_dockwright_yaml_over_a_publish_entrys_plain_http(
    base: Base, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No ``update.registries``: the image's publish entry says the registry speaks plain
    HTTP. The build arg wins over the ARG default and is updated where it is written."""
    dockerfile = f"ARG TAG=3.18\nFROM {base.name}:${{TAG}}\n"
    (workdir / "Dockerfile").write_text(dockerfile)
    config = (
        "version: 1\n"
        "images:\n"
        "  app:\n"
        "    build-args:\r\n"
        "      TAG: 3.18.4   # the base, café\r\n"
        "    publish:\n"
        f"      - {{repository: {base.host}/dockwright-update-test/app, insecure: true}}\n"
    )
    (workdir / "dockwright.yaml").write_bytes(config.encode())
    assert dockwright_update("--policy", "patch", "--pin-digests") == 0
    assert capsys.readouterr().out == (
        f"updated {base.name} 3.18.4 → 3.18.5@{base.digests['3.18.5'][:19]} (Dockerfile:2)\n"
    )
    assert (workdir / "dockwright.yaml").read_bytes() == config.replace(
        "3.18.4", f"3.18.5@{base.digests['3.18.5']}"
    ).encode()
    assert (workdir / "Dockerfile").read_text() == dockerfile
