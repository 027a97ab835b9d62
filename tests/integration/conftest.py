"""Integration fixtures: the real engine, the local registries and base images, via scripts/."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(os.environ.get("DOCKWRIGHT_STATE", "/var/lib/dockwright-dev"))


def _script(name: str) -> None:
    # The scripts are idempotent: cheap when everything already runs.
    subprocess.run([str(ROOT / "scripts" / name)], check=True, capture_output=True)


@dataclass(frozen=True)
class Registries:
    plain: str
    tls: str
    username: str
    password: str = field(repr=False)
    ca: Path


@pytest.fixture(scope="session")
def engine_ready() -> None:
    _script("engine.sh")


@pytest.fixture(scope="session")
def base_images(engine_ready: None) -> dict[str, str]:
    _script("base-images.sh")
    return {
        "busybox": "dockwright.local/busybox:1.35",
        "debian": "dockwright.local/debian:bookworm",
    }


@pytest.fixture(scope="session")
def registries(engine_ready: None) -> Registries:
    _script("registry.sh")
    reg = STATE / "registry"
    return Registries(
        plain="127.0.0.1:5000",
        tls="127.0.0.1:5443",
        username="dockwright",
        password=(reg / "password").read_text().strip(),
        ca=reg / "ca.crt",
    )
