"""Fingerprints of what a step's result depends on, for the job cache.

A build depends on the Dockerfile, the files of the build context the builder receives (the
``.dockerignore`` applied as Docker applies it: path, kind, permission bits and content of
each), the build args, the target, the platform and the labels; a lint on the Dockerfile and
the lint settings; structure tests on the image ID and the test files. Every fingerprint also
holds dockwright's version, so an upgrade starts afresh. The state directory (``.dockwright``)
is never part of a context's fingerprint: the results written there are not inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from dockwright import __version__
from dockwright.pipeline.dockerignore import Matcher, ignore_file, read_patterns

STATE_DIR = ".dockwright"


def digest(*parts: object) -> str:
    """sha256 of ``parts`` as canonical JSON (sets sorted, mappings by key)."""
    text = json.dumps([__version__, *(canonical(p) for p in parts)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def canonical(value: object) -> object:
    """``value`` as plain JSON data that does not depend on hash order."""
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((canonical(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Path):
        return str(value)
    fields = getattr(value, "_fields", None)  # Record (lint settings)
    if callable(fields):
        return {name: canonical(getattr(value, name)) for name in fields()}
    slots = getattr(value, "__dataclass_fields__", None)
    if slots is not None:
        return {name: canonical(getattr(value, name)) for name in slots}
    return repr(value)


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def context_digest(context: Path, dockerfile: Path, state_dir: Path | None = None) -> str:
    """One digest of the files ``context`` sends to the builder for ``dockerfile``."""
    found = ignore_file(context, dockerfile)
    patterns = read_patterns(found.read_text(encoding="utf-8")) if found else []
    matcher = Matcher(patterns)
    skip = (state_dir or context / STATE_DIR).resolve()
    entries = _walk(context, "", matcher, skip)
    return hashlib.sha256("\n".join(entries).encode(errors="surrogateescape")).hexdigest()


def _walk(root: Path, prefix: str, matcher: Matcher, skip: Path) -> Iterable[str]:
    try:
        with os.scandir(root / prefix if prefix else root) as it:
            items = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield f"{prefix}\0unreadable\0{exc.strerror}"
        return
    for entry in items:
        rel = f"{prefix}/{entry.name}" if prefix else entry.name
        info = entry.stat(follow_symlinks=False)
        is_dir = stat.S_ISDIR(info.st_mode)
        if is_dir and Path(entry.path).resolve() == skip:
            continue
        if matcher.excluded(rel):
            # An excluded directory is entered only when a ! pattern may take files back.
            if is_dir and matcher.has_exclusions:
                yield from _walk(root, rel, matcher, skip)
            continue
        mode = f"{stat.S_IMODE(info.st_mode):o}"
        if is_dir:
            yield f"{rel}\0d\0{mode}"
            yield from _walk(root, rel, matcher, skip)
        elif stat.S_ISLNK(info.st_mode):
            yield f"{rel}\0l\0{os.readlink(entry.path)}"
        elif stat.S_ISREG(info.st_mode):
            yield f"{rel}\0f\0{mode}\0{file_digest(Path(entry.path))}"
        else:
            yield f"{rel}\0o\0{mode}"
