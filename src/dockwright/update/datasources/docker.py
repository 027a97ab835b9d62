"""Container images in any OCI registry, through :class:`dockwright.registry.RegistryClient`.

Releases are the repository's tags (the tag list, page after page). A digest is what the
registry answers to a manifest HEAD with the OCI and Docker Accept types: for a multi-arch
image, the index (manifest list) digest. A pin to one platform's manifest stays on that
platform: the new tag's index entry for the same platform is taken, the platform coming from
``FROM --platform=`` or from the current tag's index entry that lists the pinned digest.
Docker Hub names follow Docker's rules (``python`` is ``docker.io/library/python``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlparse

from dockwright.image.ref import ImageRef
from dockwright.registry import Manifest, RegistryClient
from dockwright.update.datasources.base import Lookup
from dockwright.update.policy import Release

_INDEX_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
)

ClientFactory = Callable[[str], RegistryClient]


def locate(package: str, registry_url: str | None = None) -> tuple[str, str]:
    """(registry host, repository path) of an image name as written in a Dockerfile; a name
    without a host of its own is looked up on ``registry_url`` when one is given."""
    ref = ImageRef.parse(package)
    first = package.split("/", 1)[0]
    names_host = "/" in package and (any(c in first for c in ".:") or first == "localhost")
    if registry_url and not names_host:
        host = urlparse(registry_url if "//" in registry_url else f"//{registry_url}").netloc
        if host and host not in ("docker.io", "index.docker.io", "registry-1.docker.io"):
            return host, package
    return ref.domain, ref.path


def _platform(text: str) -> tuple[str, str, str | None] | None:
    parts = text.split("/")
    if len(parts) not in (2, 3) or not all(parts):
        return None
    return parts[0], parts[1], parts[2] if len(parts) == 3 else None


def _index_entries(manifest: Manifest) -> list[dict[str, object]]:
    if manifest.media_type not in _INDEX_TYPES:
        return []
    try:
        doc = json.loads(manifest.raw)
    except ValueError:
        return []
    entries = doc.get("manifests") if isinstance(doc, dict) else None
    return [e for e in entries or [] if isinstance(e, dict)]


def _entry_platform(entry: dict[str, object]) -> tuple[str, str, str | None] | None:
    plat = entry.get("platform")
    if not isinstance(plat, dict):
        return None
    os_, arch, variant = plat.get("os"), plat.get("architecture"), plat.get("variant")
    if not isinstance(os_, str) or not isinstance(arch, str):
        return None
    return os_, arch, variant if isinstance(variant, str) else None


def _same_platform(
    want: tuple[str, str, str | None], have: tuple[str, str, str | None] | None
) -> bool:
    if have is None or want[:2] != have[:2]:
        return False
    return want[2] is None or want[2] == have[2]


class DockerDatasource:
    name = "docker"

    def __init__(self, client_for: ClientFactory) -> None:
        """``client_for(host)`` gives the client of a registry host (``docker.io`` included);
        the caller decides plain HTTP, CAs and credentials, and may share clients."""
        self._client_for = client_for

    def close(self) -> None:
        """The clients belong to the caller's factory."""

    def releases(self, package: str, registry_url: str | None = None) -> Lookup:
        host, path = locate(package, registry_url)
        tags = self._client_for(host).tags(path)
        return Lookup(tuple(Release(t) for t in tags))

    def digest(
        self,
        package: str,
        tag: str,
        *,
        registry_url: str | None = None,
        current_digest: str | None = None,
        platform: str | None = None,
        current_tag: str | None = None,
    ) -> str | None:
        host, path = locate(package, registry_url)
        client = self._client_for(host)
        want = self._pinned_platform(client, path, current_digest, platform, current_tag)
        if want is None:
            return client.manifest_digest(path, tag)
        found = client.manifest(path, tag)
        if found is None:
            return None
        for entry in _index_entries(found):
            if _same_platform(want, _entry_platform(entry)):
                digest = entry.get("digest")
                if isinstance(digest, str):
                    return digest
        return found.digest

    def _pinned_platform(
        self,
        client: RegistryClient,
        path: str,
        current_digest: str | None,
        platform: str | None,
        current_tag: str | None,
    ) -> tuple[str, str, str | None] | None:
        """The platform a pin to a single-platform manifest stands for, else None."""
        if current_digest is None:
            return None
        pinned = client.manifest(path, current_digest)
        if pinned is None or pinned.media_type in _INDEX_TYPES:
            return None
        if platform and "$" not in platform:
            found = _platform(platform)
            if found is not None:
                return found
        if current_tag:
            index = client.manifest(path, current_tag)
            for entry in _index_entries(index) if index is not None else []:
                if entry.get("digest") == current_digest:
                    return _entry_platform(entry)
        return None
