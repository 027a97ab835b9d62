"""``dockwright build`` with a dockwright.yaml against the real engine."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def _inspect_id(ref: str) -> str:
    done = subprocess.run(
        ["docker", "image", "inspect", "--format", "{{.Id}}", ref],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def test_tag_flag_tags_the_configured_image(tmp_path: Path, base_images: dict[str, str]) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text(
        f"FROM {base_images['busybox']}\nARG NOTE=x\nRUN echo $NOTE > /note\n"
    )
    (tmp_path / "dockwright.yaml").write_text(
        "version: 1\nimages:\n  app:\n    context: app\n    build-args: {NOTE: configured}\n"
    )
    tags = [f"dockwright-test/build-{uuid.uuid4().hex[:10]}:{t}" for t in ("one", "two")]
    done = subprocess.run(
        [sys.executable, "-m", "dockwright", "build", "-t", tags[0], "--tag", tags[1]],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    try:
        assert done.returncode == 0, done.stderr
        name, image_id = done.stdout.split()
        assert name == "app" and image_id.startswith("sha256:")
        assert [_inspect_id(tag) for tag in tags] == [image_id, image_id]
    finally:
        subprocess.run(["docker", "image", "rm", *tags], capture_output=True, check=False)
