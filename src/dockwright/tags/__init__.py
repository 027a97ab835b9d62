"""Tags and OCI labels for an image, with docker/metadata-action's semantics."""

from dockwright.tags.compute import TagSet, compute_tags, oci_labels, sanitize
from dockwright.tags.context import Context, discover
from dockwright.tags.rules import DEFAULT_RULES, Flavor, TagRule

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
