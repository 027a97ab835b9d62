"""dockwright: lint, build, test, tag, publish and update Docker images."""

__version__ = "0.1.0"

__all__ = ["__version__"]
