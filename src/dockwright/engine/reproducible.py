"""Reproducible images: the same sources give the same image id, build after build.

BuildKit before 0.13 (the one built into docker 20.10 among them) cannot rewrite timestamps
itself, so dockwright normalises the image after the build and before anything tests or
publishes it: :func:`normalise_archive` rewrites a ``docker save`` archive, where every layer
becomes an uncompressed tar with entries in path order, modification times clamped to
``SOURCE_DATE_EPOCH``, owners (uid, gid and names) kept and no access or change times; the
image config's ``created`` and history times become the epoch. The engine loads the result
back, so the image tested is the image published.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import shutil
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from dockwright import proc
from dockwright.errors import CommandError, EngineError, UsageError

ENV_EPOCH = "SOURCE_DATE_EPOCH"
_TIME_KEYS = ("mtime", "atime", "ctime", "LIBARCHIVE.creationtime")


def source_date_epoch(root: Path, env: Mapping[str, str] | None = None) -> int:
    """``SOURCE_DATE_EPOCH`` from the environment, else the time of the last commit of the
    checkout at ``root``."""
    env = os.environ if env is None else env
    value = env.get(ENV_EPOCH)
    if value is not None:
        if not value.strip().isdigit():
            raise UsageError(
                f"{ENV_EPOCH}: expected a number of seconds since 1970, found {value!r}"
            )
        return int(value)
    try:
        result = proc.run(["git", "log", "-1", "--format=%ct"], cwd=root, check=False)
    except CommandError:
        result = None
    text = result.stdout.strip() if result is not None and result.returncode == 0 else ""
    if not text.isdigit():
        raise UsageError(
            f"reproducible: true needs {ENV_EPOCH} or a git checkout with a commit at {root} "
            "for the time of the image; found neither"
        )
    return int(text)


def rfc3339(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalise_layer(source: IO[bytes], dest: IO[bytes], epoch: int) -> str:
    """Rewrite one layer tar from ``source`` into ``dest``; its ``sha256:`` diff id."""
    digest = hashlib.sha256()

    class Hashing(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, b: Any) -> int:
            data = bytes(b)
            digest.update(data)
            dest.write(data)
            return len(data)

    with tarfile.open(fileobj=source, mode="r|*") as src, tempfile.TemporaryDirectory() as tmp:
        # Contents go to a scratch directory so the entries can be written out in path order.
        members: list[tuple[tarfile.TarInfo, str | None]] = []
        for i, member in enumerate(src):
            stored = None
            if member.isreg():
                stored = os.path.join(tmp, str(i))
                extracted = src.extractfile(member)
                assert extracted is not None
                with open(stored, "wb") as copy:
                    shutil.copyfileobj(extracted, copy)
            members.append((member, stored))
        members = _in_path_order(members)
        with tarfile.open(
            fileobj=Hashing(), mode="w|", format=tarfile.PAX_FORMAT, encoding="utf-8"
        ) as out:
            for member, stored in members:
                member.mtime = min(int(member.mtime), epoch)
                member.pax_headers = {
                    k: v for k, v in member.pax_headers.items() if k not in _TIME_KEYS
                }
                if stored is None:
                    out.addfile(member)
                else:
                    with open(stored, "rb") as data:
                        out.addfile(member, data)
    return f"sha256:{digest.hexdigest()}"


def _key(name: str) -> list[str]:
    return [part for part in name.split("/") if part and part != "."]


def _in_path_order(
    members: list[tuple[tarfile.TarInfo, str | None]],
) -> list[tuple[tarfile.TarInfo, str | None]]:
    """Entries sorted by path (component by component); a hard link waits for its target."""
    ordered = sorted(members, key=lambda m: _key(m[0].name))
    out: list[tuple[tarfile.TarInfo, str | None]] = []
    written: set[str] = set()
    waiting: dict[str, list[tuple[tarfile.TarInfo, str | None]]] = {}

    def emit(item: tuple[tarfile.TarInfo, str | None]) -> None:
        out.append(item)
        name = posixpath.normpath(item[0].name)
        written.add(name)
        for later in waiting.pop(name, []):
            emit(later)

    for item in ordered:
        member = item[0]
        target = posixpath.normpath(member.linkname) if member.islnk() else None
        if target is not None and target not in written:
            waiting.setdefault(target, []).append(item)
        else:
            emit(item)
    for items in waiting.values():  # targets missing from the layer: keep them, in order
        out.extend(items)
    return out


def normalise_config(config: dict[str, Any], diff_ids: Sequence[str], epoch: int) -> bytes:
    """The image config with the epoch for every time and the new layers' diff ids."""
    when = rfc3339(epoch)
    config = dict(config)
    config["created"] = when
    config["history"] = [{**h, "created": when} for h in config.get("history") or ()]
    config["rootfs"] = {"type": "layers", "diff_ids": list(diff_ids)}
    return json.dumps(config, separators=(",", ":"), sort_keys=True).encode()


def normalise_archive(
    source: IO[bytes], dest: IO[bytes], epoch: int, tags: Sequence[str] = ()
) -> str:
    """Rewrite a ``docker save`` archive of one image into a loadable one for ``tags``;
    the new image id."""
    with tempfile.TemporaryDirectory(prefix="dockwright-repro-") as tmp:
        with tarfile.open(fileobj=source, mode="r|*") as archive:
            for member in archive:
                if not member.isreg() or member.name.startswith("/") or ".." in member.name:
                    continue
                path = os.path.join(tmp, member.name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                extracted = archive.extractfile(member)
                assert extracted is not None
                with open(path, "wb") as out:
                    shutil.copyfileobj(extracted, out)
        try:
            with open(os.path.join(tmp, "manifest.json"), encoding="utf-8") as handle:
                manifest = json.load(handle)[0]
            with open(os.path.join(tmp, manifest["Config"]), encoding="utf-8") as handle:
                config = json.load(handle)
        except (OSError, ValueError, KeyError, IndexError) as exc:
            raise EngineError(
                f"the engine's image archive has no readable manifest: {exc}"
            ) from exc
        layers: list[tuple[str, str]] = []  # (diff id, rewritten file)
        for i, layer in enumerate(manifest["Layers"]):
            rewritten = os.path.join(tmp, f"layer-{i}.tar")
            with open(os.path.join(tmp, layer), "rb") as src, open(rewritten, "wb") as dst:
                layers.append((normalise_layer(src, dst, epoch), rewritten))
        config_bytes = normalise_config(config, [d for d, _ in layers], epoch)
        image_id = "sha256:" + hashlib.sha256(config_bytes).hexdigest()
        new_manifest = [
            {
                "Config": f"{image_id[7:]}.json",
                "RepoTags": list(tags) or None,
                "Layers": [f"{d[7:]}/layer.tar" for d, _ in layers],
            }
        ]
        with tarfile.open(fileobj=dest, mode="w|", format=tarfile.PAX_FORMAT) as out:
            _add_bytes(out, f"{image_id[7:]}.json", config_bytes, epoch)
            seen: set[str] = set()
            for diff_id, rewritten in layers:
                if diff_id in seen:
                    continue
                seen.add(diff_id)
                info = tarfile.TarInfo(f"{diff_id[7:]}/layer.tar")
                info.size = os.path.getsize(rewritten)
                info.mtime = epoch
                with open(rewritten, "rb") as data:
                    out.addfile(info, data)
            _add_bytes(out, "manifest.json", json.dumps(new_manifest).encode(), epoch)
    return image_id


def _add_bytes(out: tarfile.TarFile, name: str, data: bytes, epoch: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = epoch
    out.addfile(info, io.BytesIO(data))


class SaveLoad(Protocol):
    def export_image(self, image: str) -> AbstractContextManager[IO[bytes]]: ...

    def load(self, source: IO[bytes]) -> list[str]: ...


def normalise_image(engine: SaveLoad, image_id: str, epoch: int, tags: Sequence[str]) -> str:
    """Replace the engine's image ``image_id`` by its normalised form, tagged ``tags``; the
    normalised image's id."""
    with tempfile.TemporaryFile() as saved, tempfile.TemporaryFile() as rewritten:
        with engine.export_image(image_id) as stream:
            shutil.copyfileobj(stream, saved)
        saved.seek(0)
        new_id = normalise_archive(saved, rewritten, epoch, tags)
        rewritten.seek(0)
        engine.load(rewritten)
    return new_id
