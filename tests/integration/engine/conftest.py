"""The Podman engine for the engine tests: set up by scripts/podman.sh, or a reason to skip."""

from __future__ import annotations

import subprocess

import pytest
from tests.integration.conftest import Registries, _script

from dockwright.engine.podman import PodmanEngine
from dockwright.errors import DaemonUnavailable, ImageNotFound

BASE = "dockwright.local/busybox:1.35"


@pytest.fixture(scope="session")
def podman_missing(base_images: dict[str, str], registries: Registries) -> str | None:
    """Why the Podman engine cannot be tested here, or None (it then answers, with BASE)."""
    try:
        _script("podman.sh")
    except subprocess.CalledProcessError as exc:
        tail = exc.stderr.decode(errors="replace").strip().splitlines()[-3:]
        return "scripts/podman.sh failed: " + " / ".join(tail)
    with PodmanEngine() as podman:
        try:
            podman.ping()
            podman.inspect_image(BASE)
        except DaemonUnavailable as exc:
            return f"Podman not available: {exc}"
        except ImageNotFound:
            return f"{BASE} is not in Podman's storage: run scripts/podman.sh"
    return None
