"""Image references (``ImageRef``) and content digests (``Digest``)."""

from dockwright.image.ref import Digest, ImageRef

__all__ = ["Digest", "ImageRef"]
