"""When the default workflow publishes: a release (a git tag) or the default branch."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockwright.tags.context import Context


def publish_decision(context: Context) -> tuple[bool, str]:
    """Publish a release (a git tag) or the default branch; nothing else."""
    if context.tag:
        return True, f"release {context.tag}"
    if context.is_default_branch:
        return True, f"default branch {context.branch}"
    if context.branch:
        return False, f"branch {context.branch} is not the default branch"
    return False, "not a release and not on the default branch"
