"""Publishing one tested image: every tag to every repository, then every tag read back.

:mod:`~dockwright.publish.plan` says what goes where and in which order,
:mod:`~dockwright.publish.upload` gets blobs and manifests into the registries,
:mod:`~dockwright.publish.verify` reads every tag back, and :mod:`~dockwright.publish.flow`
runs one publish through them.
"""

from dockwright.publish.flow import publish
from dockwright.publish.plan import Destination, Event, Published, is_floating, plan
from dockwright.publish.registries import ClientFactory, default_client
from dockwright.publish.verify import verify

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
