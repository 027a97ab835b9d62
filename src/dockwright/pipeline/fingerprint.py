"""Fingerprints of what a step's result depends on, for the job cache.

A build depends on the engine, the Dockerfile, the files of the build context the builder
receives (the ``.dockerignore`` applied as Docker applies it: path, kind, permission bits and
content of each), the build args, the target, the platform and the labels; a lint on the
Dockerfile and the lint settings; structure tests on the engine, the image ID and the test
files. Every fingerprint also holds dockwright's version, so an upgrade starts afresh. The
state directory (``.dockwright``) is never part of a context's fingerprint: the results
written there are not inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from dockwright import __version__
from dockwright.pipeline.dockerignore import Matcher, ignore_file, read_patterns

STATE_DIR = ".dockwright"
RACY_NS = 2_000_000_000  # files changed this recently are hashed again next time


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
    """One digest of the files ``context`` sends to the builder for ``dockerfile``.

    With ``state_dir``, the content digests of files are remembered there by their stat
    (size, times, inode), as git's index does, so an unchanged file is not read again."""
    found = ignore_file(context, dockerfile)
    patterns = read_patterns(found.read_text(encoding="utf-8")) if found else []
    walk = _Walk(context, Matcher(patterns), (state_dir or context / STATE_DIR).resolve())
    memo_file = None
    if state_dir is not None:
        key = hashlib.sha256(str(context.resolve()).encode()).hexdigest()[:32]
        memo_file = state_dir / "cache" / "files" / f"{key}.json"
        walk.memo = _read_memo(memo_file)
    entries = list(walk.entries(""))
    if memo_file is not None and walk.fresh != walk.memo:
        _write_memo(memo_file, walk.fresh)
    return hashlib.sha256("\n".join(entries).encode(errors="surrogateescape")).hexdigest()


class _Walk:
    def __init__(self, root: Path, matcher: Matcher, skip: Path) -> None:
        self.root = root
        self.matcher = matcher
        self.skip = skip
        self.memo: dict[str, list[object]] = {}  # path -> [stat key, digest], from last time
        self.fresh: dict[str, list[object]] = {}  # what this walk saw
        self.now = time.time_ns()

    def entries(self, prefix: str) -> Iterator[str]:
        try:
            with os.scandir(self.root / prefix if prefix else self.root) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield f"{prefix}\0unreadable\0{exc.strerror}"
            return
        for entry in items:
            rel = f"{prefix}/{entry.name}" if prefix else entry.name
            info = entry.stat(follow_symlinks=False)
            is_dir = stat.S_ISDIR(info.st_mode)
            if is_dir and entry.name == STATE_DIR and Path(entry.path).resolve() == self.skip:
                continue
            if self.matcher.excluded(rel):
                # An excluded directory is entered only when a ! pattern may take files back.
                if is_dir and self.matcher.has_exclusions:
                    yield from self.entries(rel)
                continue
            mode = f"{stat.S_IMODE(info.st_mode):o}"
            if is_dir:
                yield f"{rel}\0d\0{mode}"
                yield from self.entries(rel)
            elif stat.S_ISLNK(info.st_mode):
                yield f"{rel}\0l\0{os.readlink(entry.path)}"
            elif stat.S_ISREG(info.st_mode):
                yield f"{rel}\0f\0{mode}\0{self.content(rel, entry.path, info)}"
            else:
                yield f"{rel}\0o\0{mode}"

    def content(self, rel: str, path: str, info: os.stat_result) -> str:
        key = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
        known = self.memo.get(rel)
        if known is not None and known[0] == key:
            self.fresh[rel] = known
            return str(known[1])
        try:
            found = file_digest(Path(path))
        except OSError as exc:
            return f"unreadable\0{exc.strerror}"  # the build will say so
        # A file changed within the last seconds may change again unseen by its times.
        if self.now - info.st_mtime_ns > RACY_NS:
            self.fresh[rel] = [key, found]
        return found


def _read_memo(path: Path) -> dict[str, list[object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_memo(path: Path, memo: dict[str, list[object]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(memo, handle)
        os.replace(tmp, path)
    except OSError:
        return  # only costs time next run
