"""Tags and OCI labels for an image, with docker/metadata-action's semantics.

Names are imported on first use, so loading a config (which needs only ``tags.rules``) does
not pay for context discovery and time zones.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockwright.tags.compute import TagSet, compute_tags, oci_labels, sanitize
    from dockwright.tags.context import Context, discover
    from dockwright.tags.rules import DEFAULT_RULES, Flavor, TagRule

_WHERE = {
    "DEFAULT_RULES": "rules",
    "Context": "context",
    "Flavor": "rules",
    "TagRule": "rules",
    "TagSet": "compute",
    "compute_tags": "compute",
    "discover": "context",
    "oci_labels": "compute",
    "sanitize": "compute",
}
__all__ = [
    "DEFAULT_RULES",
    "Context",
    "Flavor",
    "TagRule",
    "TagSet",
    "compute_tags",
    "discover",
    "oci_labels",
    "sanitize",
]


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"dockwright.tags.{module}"), name)
