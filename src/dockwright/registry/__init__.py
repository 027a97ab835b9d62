"""OCI distribution client: ping, auth challenges, blobs, uploads, manifests and tags."""

from dockwright.registry.client import RegistryClient
from dockwright.registry.credentials import BasicCredentials
from dockwright.registry.manifest import Manifest
from dockwright.registry.retry import RetryPolicy

__all__ = ["BasicCredentials", "Manifest", "RegistryClient", "RetryPolicy"]
