"""OCI distribution client: ping, auth challenges, manifests and tags."""

from dockwright.registry.auth import BasicCredentials
from dockwright.registry.client import Manifest, RegistryClient

__all__ = ["BasicCredentials", "Manifest", "RegistryClient"]
