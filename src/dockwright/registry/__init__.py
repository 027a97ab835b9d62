"""OCI distribution client: ping, auth challenges, blobs, uploads, manifests and tags."""

from dockwright.registry.auth import BasicCredentials
from dockwright.registry.client import Manifest, RegistryClient
from dockwright.registry.retry import RetryPolicy

__all__ = ["BasicCredentials", "Manifest", "RegistryClient", "RetryPolicy"]
