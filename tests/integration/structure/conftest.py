"""The image structure tests run against, built once per session from ./Dockerfile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dockwright.engine.base import BuildRequest
from dockwright.engine.docker import DockerEngine

HERE = Path(__file__).parent
TAG = "dockwright-structure-test:latest"


@pytest.fixture(scope="session")
def image(base_images: dict[str, str]) -> Iterator[str]:
    with DockerEngine() as engine:
        result = engine.build(
            BuildRequest(
                context=str(HERE),
                tags=(TAG,),
                build_args={"GREETING": "hello"},
                labels={"dockwright.test": "1"},
            )
        )
        yield TAG
        engine.remove_image(result.image_id, force=True)
