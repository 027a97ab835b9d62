"""The real-input corpus that ``bench/corpus.py`` gathers from public repositories.

It lives outside the checkout (``DOCKWRIGHT_CORPUS``, default
``$DOCKWRIGHT_STATE/corpus``); tests over it are marked ``corpus`` and skip, saying so, when
it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

STATE = Path(os.environ.get("DOCKWRIGHT_STATE", "/var/lib/dockwright-dev"))
ROOT = Path(os.environ.get("DOCKWRIGHT_CORPUS", STATE / "corpus"))


def files(kind: str, pattern: str = "*") -> list[Path]:
    """Every corpus file of ``kind`` (dockerfiles, hadolint, structure, circleci, github)."""
    return sorted((ROOT / kind).glob(f"*/{pattern}"))


def require(kind: str) -> list[Path]:
    """The files of ``kind``, or skip the calling test: the corpus is not gathered here."""
    found = files(kind)
    if not found:
        pytest.skip(f"no {kind} corpus at {ROOT}: gather it with bench/corpus.py")
    return found
