"""Shapes of real Dockerfiles (the corpus bench/corpus.py gathers) on which lint once died."""

from __future__ import annotations

import sys
from pathlib import Path

from dockwright import proc


def test_a_shell_test_that_starts_like_json(tmp_path: Path) -> None:
    # 10 of the 9,557 corpus files (moby/buildkit, container-structure-test) have this RUN.
    (tmp_path / "Dockerfile").write_text('FROM a:1\nRUN [ "$X" = "true" ] && exit 0\n')
    res = proc.run(
        [sys.executable, "-m", "dockwright", "lint", "-f", "json", "Dockerfile"],
        check=False,
        cwd=tmp_path,
    )
    assert (res.returncode, res.stdout, res.stderr) == (0, "[]", "")
