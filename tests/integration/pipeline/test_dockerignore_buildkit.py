"""Our reading of .dockerignore against BuildKit's: the files a build's COPY receives."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from dockwright.engine.base import BuildRequest
from dockwright.engine.docker import DockerEngine
from dockwright.pipeline.dockerignore import Matcher, read_patterns

pytestmark = pytest.mark.integration

FILES = [
    "README.md",
    "CHANGES.md",
    "docs/guide.md",
    "docs/img/logo.png",
    "src/app.py",
    "src/app.pyc",
    "src/pkg/mod.pyc",
    "src/pkg/keep.pyc",
    "node_modules/a/index.js",
    "web/node_modules/b/index.js",
    "logs/a.log",
    "logs/keep.log",
    "build/out/bin",
    "a.txt",
    "b.txt",
    "ab.txt",
    "tmpfoo",
    "dir/tmpfoo",
    "Dockerfile.in",
]

IGNORE = """\
# what people write
*.md
!README.md
**/*.pyc
!src/pkg/keep.pyc
node_modules
logs
!logs/keep.log
/build/
[a].txt
?b.txt
**foo
docs/**/*.png
"""


def test_the_files_a_copy_receives(tmp_path: Path, base_images: dict[str, str]) -> None:
    for name in FILES:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    (tmp_path / ".dockerignore").write_text(IGNORE)
    marker = uuid.uuid4().hex
    (tmp_path / "Dockerfile").write_text(
        "FROM dockwright.local/busybox:1.35\nCOPY . /ctx\n"
        f"RUN echo {marker} && cd /ctx && find . -type f | sort > /list\n"
    )
    matcher = Matcher(read_patterns(IGNORE))
    expected = sorted(
        "./" + name
        for name in [*FILES, ".dockerignore", "Dockerfile"]
        if not matcher.excluded(name)
    )
    with DockerEngine() as engine:
        built = engine.build(BuildRequest(context=str(tmp_path)))
        try:
            listed = engine.run(built.image_id, ["cat", "/list"]).stdout.split()
        finally:
            engine.remove_image(built.image_id, force=True)
    assert listed == expected
    assert len(expected) < len(FILES) + 2 - 8  # the patterns did leave files out
    assert os.path.exists(tmp_path / "logs" / "keep.log")
