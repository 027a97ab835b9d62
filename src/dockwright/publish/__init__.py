"""Publishing one tested image: every tag to every repository, then every tag read back."""

from dockwright.publish.flow import (
    ClientFactory,
    Destination,
    Event,
    Published,
    default_client,
    is_floating,
    plan,
    publish,
    verify,
)

__all__ = [
    "ClientFactory",
    "Destination",
    "Event",
    "Published",
    "default_client",
    "is_floating",
    "plan",
    "publish",
    "verify",
]
