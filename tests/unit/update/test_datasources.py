"""Datasources against in-memory servers: the registry protocol (tests/unit/registry's fake)
and GitHub, PyPI and npm answers in those services' shapes."""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest
from tests.unit.registry.fakeregistry import FakeRegistry

from dockwright.errors import DatasourceError, RegistryError
from dockwright.registry import RegistryClient
from dockwright.update.datasources import datasources
from dockwright.update.datasources.docker import DockerDatasource, locate
from dockwright.update.datasources.github import GitHubReleases, GitHubTags
from dockwright.update.datasources.http import NotFound
from dockwright.update.datasources.npm import Npm
from dockwright.update.datasources.pypi import PyPI

OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def sha(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def manifest(seed: str) -> bytes:
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": sha(seed.encode()), "size": 2},
            "layers": [],
        }
    ).encode()  # fmt: skip


def index(entries: dict[str, bytes]) -> bytes:
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [
                {
                    "mediaType": OCI_MANIFEST,
                    "digest": sha(raw),
                    "size": len(raw),
                    "platform": {"os": "linux", "architecture": arch},
                }
                for arch, raw in entries.items()
            ],
        }
    ).encode()


@pytest.fixture
def registry() -> FakeRegistry:
    reg = FakeRegistry(page=3)
    store = reg.manifests.setdefault("library/python", {})
    for tag in ("3.11", "3.12", "3.12-slim", "3.13", "latest", "3.13-alpine", "4.0"):
        raw = manifest(tag)
        store[tag] = store[sha(raw)] = (raw, OCI_MANIFEST)
    amd, arm = manifest("amd64-old"), manifest("arm64-old")
    new_amd, new_arm = manifest("amd64-new"), manifest("arm64-new")
    for raw in (amd, arm, new_amd, new_arm):
        store[sha(raw)] = (raw, OCI_MANIFEST)
    old = index({"amd64": amd, "arm64": arm})
    new = index({"amd64": new_amd, "arm64": new_arm})
    store["multi"] = store[sha(new)] = (new, OCI_INDEX)
    store["multi-old"] = store[sha(old)] = (old, OCI_INDEX)
    return reg


def source(reg: FakeRegistry, hosts: list[str]) -> DockerDatasource:
    def client_for(host: str) -> RegistryClient:
        hosts.append(host)
        return RegistryClient(host, transport=reg.transport())

    return DockerDatasource(client_for)


def test_docker_tags_across_pages_with_docker_hub_naming(registry: FakeRegistry) -> None:
    hosts: list[str] = []
    found = source(registry, hosts).releases("python")
    assert [r.version for r in found.releases] == sorted(
        ["3.11", "3.12", "3.12-slim", "3.13", "3.13-alpine", "4.0", "latest", "multi", "multi-old"]
    )
    assert hosts == ["docker.io"]
    assert sum(1 for line in registry.log if "tags/list" in line) == 3


def test_docker_digest_is_the_index_digest(registry: FakeRegistry) -> None:
    ds = source(registry, [])
    raw, _ = registry.manifests["library/python"]["multi"]
    assert ds.digest("docker.io/library/python", "multi") == sha(raw)
    assert ds.digest("python", "3.12") == sha(manifest("3.12"))
    assert ds.digest("python", "nope") is None
    assert any(line.startswith("HEAD") for line in registry.log)


def test_a_single_platform_pin_stays_on_its_platform(registry: FakeRegistry) -> None:
    ds = source(registry, [])
    pinned = sha(manifest("arm64-old"))
    # the platform from the current tag's index
    assert ds.digest("python", "multi", current_digest=pinned, current_tag="multi-old") == sha(
        manifest("arm64-new")
    )
    # or from FROM --platform
    assert ds.digest("python", "multi", current_digest=pinned, platform="linux/amd64") == sha(
        manifest("amd64-new")
    )
    # unknown platform: the index digest, as Renovate falls back
    raw, _ = registry.manifests["library/python"]["multi"]
    assert ds.digest("python", "multi", current_digest=pinned) == sha(raw)


@pytest.mark.parametrize(
    ("name", "registry_url", "expected"),
    [
        ("python", None, ("docker.io", "library/python")),
        ("acme/app", None, ("docker.io", "acme/app")),
        ("docker.io/python", None, ("docker.io", "library/python")),
        ("index.docker.io/library/python", None, ("docker.io", "library/python")),
        ("127.0.0.1:5000/team/app", None, ("127.0.0.1:5000", "team/app")),
        ("ghcr.io/a/b", "https://quay.io", ("ghcr.io", "a/b")),
        ("coreos/etcd", "https://quay.io", ("quay.io", "coreos/etcd")),
        ("localhost/app", None, ("localhost", "app")),
    ],
)
def test_locate(name: str, registry_url: str | None, expected: tuple[str, str]) -> None:
    assert locate(name, registry_url) == expected


class Api:
    """Answers as api.github.com, pypi.org and registry.npmjs.org do (trimmed)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        page = request.url.params.get("page", "1")
        if path == "/repos/hadolint/hadolint/releases":
            if page == "1":
                items = [
                    {"tag_name": "v2.13.0", "draft": False, "prerelease": True},
                    {"tag_name": "v2.12.0", "draft": False, "prerelease": False},
                    {"tag_name": "v9.9.9", "draft": True, "prerelease": False},
                ]
                link = '<https://api.github.com/repos/hadolint/hadolint/releases?per_page=100&page=2>; rel="next"'
                return httpx.Response(200, json=items, headers={"Link": link})
            return httpx.Response(200, json=[{"tag_name": "v2.11.0", "prerelease": False}])
        if path == "/repos/hadolint/hadolint/tags":
            return httpx.Response(200, json=[{"name": "v2.12.0", "commit": {"sha": "abc"}}])
        if path == "/pypi/poetry/json":
            return httpx.Response(
                200,
                json={
                    "info": {"name": "poetry", "version": "1.8.3"},
                    "releases": {
                        "1.8.2": [{"yanked": False}],
                        "1.8.3": [{"yanked": False}, {"yanked": True}],
                        "2.0.0rc1": [],
                    },
                },
            )
        if path == "/@scope%2Fpkg" or request.url.raw_path == b"/@scope%2Fpkg":
            return httpx.Response(
                200,
                json={
                    "name": "@scope/pkg",
                    "dist-tags": {"latest": "1.1.0", "next": "2.0.0-rc.1"},
                    "versions": {
                        "1.0.0": {},
                        "1.1.0": {},
                        "1.0.1": {"deprecated": "do not use"},
                        "2.0.0-rc.1": {},
                    },
                },
            )
        return httpx.Response(404, json={"message": "Not Found"})


def test_github_releases_follow_pages_skip_drafts_and_mark_prereleases() -> None:
    api = Api()
    gh = GitHubReleases(transport=httpx.MockTransport(api), token="t0k3n")
    found = gh.releases("hadolint/hadolint")
    assert [(r.version, r.stable) for r in found.releases] == [
        ("v2.13.0", False),
        ("v2.12.0", True),
        ("v2.11.0", True),
    ]
    assert api.requests[0].headers["authorization"] == "Bearer t0k3n"
    assert str(api.requests[0].url) == (
        "https://api.github.com/repos/hadolint/hadolint/releases?per_page=100"
    )


def test_github_tags_and_enterprise_urls() -> None:
    api = Api()
    gh = GitHubTags("https://api.github.com", transport=httpx.MockTransport(api))
    assert [r.version for r in gh.releases("hadolint/hadolint").releases] == ["v2.12.0"]
    assert "authorization" not in api.requests[0].headers
    with pytest.raises(NotFound) as info:
        gh.releases("hadolint/hadolint", "https://github.example.com")
    assert str(info.value) == (
        "github-tags: GET https://github.example.com/api/v3/repos/hadolint/hadolint/tags: "
        "not found (404)"
    )


def test_pypi_yanked_is_deprecated() -> None:
    pypi = PyPI("https://pypi.org/pypi", transport=httpx.MockTransport(Api()))
    found = pypi.releases("Poetry")
    assert [(r.version, r.deprecated) for r in found.releases] == [
        ("1.8.2", False),
        ("1.8.3", True),
        ("2.0.0rc1", False),
    ]


def test_npm_scoped_deprecated_and_latest() -> None:
    npm = Npm(transport=httpx.MockTransport(Api()))
    found = npm.releases("@scope/pkg")
    assert found.latest == "1.1.0"
    assert [(r.version, r.deprecated) for r in found.releases] == [
        ("1.0.0", False),
        ("1.1.0", False),
        ("1.0.1", True),
        ("2.0.0-rc.1", False),
    ]


def test_failures_name_the_url_not_the_token() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, text="boom")

    gh = GitHubReleases(transport=httpx.MockTransport(refuse), token="s3cr3t")
    with pytest.raises(DatasourceError) as info:
        gh.releases("a/b")
    assert str(info.value) == (
        "github-releases: GET https://api.github.com/repos/a/b/releases: unexpected 500: boom"
    )
    # a package API is no registry: its own branch of the error tree, exit 1
    assert not isinstance(info.value, RegistryError)
    assert info.value.exit_code == 1

    def drop(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    pypi = PyPI("http://127.0.0.1:9/pypi", transport=httpx.MockTransport(drop))
    with pytest.raises(DatasourceError) as info:
        pypi.releases("x")
    assert str(info.value) == (
        "pypi: GET http://127.0.0.1:9/pypi/x/json: ConnectError: connection refused"
    )


def test_the_set_takes_urls_and_token_from_settings_and_environment() -> None:
    api = Api()
    made = datasources(
        lambda host: RegistryClient(host),
        urls={"pypi": "https://mirror.example/pypi"},
        env={"GITHUB_TOKEN": "tok", "GITHUB_API_URL": "https://ghe.example/api/v3"},
        transport=httpx.MockTransport(api),
    )
    assert sorted(made) == ["docker", "github-releases", "github-tags", "npm", "pypi"]
    with pytest.raises(NotFound):
        made["github-tags"].releases("a/b")
    assert str(api.requests[-1].url).startswith("https://ghe.example/api/v3/repos/a/b/tags")
    assert api.requests[-1].headers["authorization"] == "Bearer tok"
    with pytest.raises(NotFound):
        made["pypi"].releases("x")
    assert str(api.requests[-1].url) == "https://mirror.example/pypi/x/json"


def test_a_timeout_and_an_answer_that_is_not_json_are_datasource_errors() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    npm = Npm("http://127.0.0.1:9", transport=httpx.MockTransport(slow))
    with pytest.raises(DatasourceError) as info:
        npm.releases("pnpm")
    assert str(info.value) == "npm: GET http://127.0.0.1:9/pnpm: timed out"

    def html(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="<html>maintenance</html>")

    npm = Npm("http://127.0.0.1:9", transport=httpx.MockTransport(html))
    with pytest.raises(DatasourceError) as info:
        npm.releases("pnpm")
    assert str(info.value) == "npm: GET http://127.0.0.1:9/pnpm: the answer is not JSON"
