"""The real-input corpus that ``bench/corpus.py`` gathers from public repositories.

It lives outside the checkout (``DOCKWRIGHT_CORPUS``, default
``$DOCKWRIGHT_STATE/corpus``); tests over it are marked ``corpus`` and skip, saying so, when
it is absent. Tests that run containers per corpus file take a fixed sample of it when
``DOCKWRIGHT_CORPUS_SAMPLE`` is a number (``scripts/test.sh`` sets one, to keep a CI run
short); unset or ``all`` takes every file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

STATE = Path(os.environ.get("DOCKWRIGHT_STATE", "/var/lib/dockwright-dev"))
ROOT = Path(os.environ.get("DOCKWRIGHT_CORPUS", STATE / "corpus"))
T = TypeVar("T")
SAMPLE = os.environ.get("DOCKWRIGHT_CORPUS_SAMPLE", "all")


def files(kind: str, pattern: str = "*") -> list[Path]:
    """Every corpus file of ``kind`` (dockerfiles, hadolint, structure, circleci, github)."""
    return sorted((ROOT / kind).glob(f"*/{pattern}"))


def require(kind: str) -> list[Path]:
    """The files of ``kind``, or skip the calling test: the corpus is not gathered here."""
    found = files(kind)
    if not found:
        pytest.skip(f"no {kind} corpus at {ROOT}: gather it with bench/corpus.py")
    return found


def sample(items: list[T], key: Callable[[T], str]) -> list[T]:
    """``items``, or the ``DOCKWRIGHT_CORPUS_SAMPLE`` of them whose keys hash lowest: the same
    sample on every run and machine, spread over the corpus rather than its first files."""
    if SAMPLE in ("", "all"):
        return items
    if not SAMPLE.isdigit():
        raise ValueError(f"DOCKWRIGHT_CORPUS_SAMPLE: expected a number or 'all', found {SAMPLE!r}")
    ranked = sorted(items, key=lambda item: hashlib.sha256(key(item).encode()).hexdigest())
    chosen = {id(item) for item in ranked[: int(SAMPLE)]}
    return [item for item in items if id(item) in chosen]
