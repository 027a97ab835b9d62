"""Versioning schemes, by the names Renovate gives them: ``docker``, ``semver``,
``semver-coerced``, ``pep440`` (and ``npm``, which for exact versions is ``semver``)."""

from __future__ import annotations

from dockwright.update.versioning.base import Versioning, new_value, sort_versions
from dockwright.update.versioning.coerced import Coerced
from dockwright.update.versioning.docker import Docker
from dockwright.update.versioning.pep440 import Pep440
from dockwright.update.versioning.semver import Semver

VERSIONINGS: dict[str, Versioning] = {
    "docker": Docker(),
    "semver": Semver(),
    "npm": Semver(),
    "semver-coerced": Coerced(),
    "pep440": Pep440(),
}

# datasource -> the versioning it implies when none is named (Renovate's defaults)
DEFAULT_VERSIONING: dict[str, str] = {
    "docker": "docker",
    "pypi": "pep440",
    "npm": "npm",
    "github-releases": "semver-coerced",
    "github-tags": "semver-coerced",
}

__all__ = ["DEFAULT_VERSIONING", "VERSIONINGS", "Versioning", "new_value", "sort_versions"]
