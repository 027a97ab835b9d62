"""What a piece of code imports, measured against a bare interpreter.

A site ``.pth`` file (an editable install, a coverage hook) can import modules into every
interpreter before any of ours runs, so absolute ``sys.modules`` contents say nothing about
our code: what counts is what a snippet adds to what ``python -c pass`` already has.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from dockwright import proc

_PRINT = "\nimport sys\nprint('\\n' + ' '.join(sorted(sys.modules)))\n"


def modules_after(
    code: str, *, cwd: Path | None = None, extra_env: Mapping[str, str] | None = None
) -> tuple[set[str], proc.Result]:
    """The modules ``code`` loads beyond a bare interpreter's, and how it ran.

    ``code`` runs in a fresh interpreter; its own output comes before the module list.
    """
    res = proc.run([sys.executable, "-c", code + _PRINT], cwd=cwd, extra_env=extra_env)
    return _last_line(res.stdout) - baseline(cwd, extra_env), res


def baseline(cwd: Path | None = None, extra_env: Mapping[str, str] | None = None) -> set[str]:
    """The modules an interpreter has before running anything (``python -c pass``)."""
    res = proc.run([sys.executable, "-c", "pass" + _PRINT], cwd=cwd, extra_env=extra_env)
    return _last_line(res.stdout)


def _last_line(stdout: str) -> set[str]:
    return set(stdout.rstrip("\n").rsplit("\n", 1)[-1].split())
