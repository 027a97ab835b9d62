"""Image references (``ImageRef``), content digests (``Digest``) and Docker Hub's names."""

from dockwright.image.ref import Digest, ImageRef

__all__ = ["Digest", "ImageRef"]
