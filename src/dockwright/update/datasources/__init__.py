"""Datasources behind one interface (:class:`Datasource`): container images in any OCI
registry (``docker``), GitHub releases and tags, PyPI and npm.

:func:`datasources` builds the set with the base URLs and token the caller gives; tests
point the URLs at a local server.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from dockwright.update.datasources.base import Datasource, Lookup
from dockwright.update.datasources.docker import ClientFactory, DockerDatasource
from dockwright.update.datasources.github import DEFAULT_API, GitHubReleases, GitHubTags
from dockwright.update.datasources.npm import DEFAULT_URL as NPM_URL
from dockwright.update.datasources.npm import Npm
from dockwright.update.datasources.pypi import DEFAULT_URL as PYPI_URL
from dockwright.update.datasources.pypi import PyPI


def datasources(
    client_for: ClientFactory,
    *,
    urls: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, Datasource]:
    """Every datasource by its Renovate name. ``urls`` may set ``github`` (the API base),
    ``pypi`` and ``npm``; ``env`` gives ``GITHUB_TOKEN`` and ``GITHUB_API_URL``."""
    urls = urls or {}
    env = env or {}
    github = urls.get("github") or env.get("GITHUB_API_URL") or DEFAULT_API
    token = env.get("GITHUB_TOKEN") or None
    return {
        "docker": DockerDatasource(client_for),
        "github-releases": GitHubReleases(github, token=token, transport=transport),
        "github-tags": GitHubTags(github, token=token, transport=transport),
        "pypi": PyPI(urls.get("pypi") or PYPI_URL, transport=transport),
        "npm": Npm(urls.get("npm") or NPM_URL, transport=transport),
    }


__all__ = ["ClientFactory", "Datasource", "Lookup", "datasources"]
