"""Normalising a ``docker save`` archive: the same files give the same bytes and image id
whatever the times and order they were written in."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest

from dockwright.engine.reproducible import normalise_archive, source_date_epoch
from dockwright.errors import UsageError

EPOCH = 1_700_000_000


def _layer(mtime: int, *, reverse: bool) -> bytes:
    entries: list[tuple[tarfile.TarInfo, bytes]] = []
    d = tarfile.TarInfo("app/")
    d.type, d.mode, d.mtime = tarfile.DIRTYPE, 0o755, mtime
    entries.append((d, b""))
    f = tarfile.TarInfo("app/z.txt")
    f.size, f.mtime, f.uid, f.gid, f.uname, f.gname = 5, mtime, 1000, 1001, "app", "staff"
    entries.append((f, b"hello"))
    old = tarfile.TarInfo("app/old.txt")
    old.size, old.mtime = 3, 1_000  # older than the epoch: kept
    entries.append((old, b"old"))
    link = tarfile.TarInfo("app/a-link")
    link.type, link.linkname, link.mtime = tarfile.LNKTYPE, "app/z.txt", mtime
    entries.append((link, b""))
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        ordered = entries if not reverse else [entries[0], entries[2], entries[1], entries[3]]
        for info, data in ordered:
            info.pax_headers = {"atime": str(mtime), "ctime": str(mtime)}
            tar.addfile(info, io.BytesIO(data) if data else None)
    return out.getvalue()


def _saved(mtime: int, *, reverse: bool = False) -> bytes:
    layer = _layer(mtime, reverse=reverse)
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "2026-12-02T09:00:00.123456Z",
        "config": {"Cmd": ["/bin/sh"]},
        "history": [{"created": "2026-12-02T09:00:00Z", "created_by": "RUN x"}],
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(layer).hexdigest()]},
    }
    files = {
        "abc.json": json.dumps(config).encode(),
        "l1/layer.tar": layer,
        "l1/VERSION": b"1.0",
        "manifest.json": json.dumps(
            [{"Config": "abc.json", "RepoTags": ["x:1"], "Layers": ["l1/layer.tar"]}]
        ).encode(),
    }
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), mtime
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _normalise(saved: bytes, tags: tuple[str, ...] = ("app:1",)) -> tuple[str, bytes]:
    out = io.BytesIO()
    image_id = normalise_archive(io.BytesIO(saved), out, EPOCH, tags)
    return image_id, out.getvalue()


def test_two_builds_at_different_times_and_orders_give_the_same_bytes() -> None:
    first = _normalise(_saved(EPOCH + 100))
    second = _normalise(_saved(EPOCH + 5000, reverse=True))
    assert first == second


def test_layers_are_sorted_clamped_and_keep_owners() -> None:
    image_id, data = _normalise(_saved(EPOCH + 100))
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))  # type: ignore[arg-type]
        config_bytes = archive.extractfile(manifest[0]["Config"]).read()  # type: ignore[union-attr]
        layer_bytes = archive.extractfile(manifest[0]["Layers"][0]).read()  # type: ignore[union-attr]
    assert manifest[0]["RepoTags"] == ["app:1"]
    assert image_id == "sha256:" + hashlib.sha256(config_bytes).hexdigest()
    config = json.loads(config_bytes)
    assert config["created"] == "2023-11-14T22:13:20Z"
    assert [h["created"] for h in config["history"]] == ["2023-11-14T22:13:20Z"]
    assert config["rootfs"]["diff_ids"] == ["sha256:" + hashlib.sha256(layer_bytes).hexdigest()]
    with tarfile.open(fileobj=io.BytesIO(layer_bytes)) as layer:
        members = layer.getmembers()
    # path order, but the hard link follows its target
    assert [m.name for m in members] == ["app", "app/old.txt", "app/z.txt", "app/a-link"]
    assert [m.mtime for m in members] == [EPOCH, 1_000, EPOCH, EPOCH]
    z = members[2]
    assert (z.uid, z.gid, z.uname, z.gname) == (1000, 1001, "app", "staff")
    assert all("atime" not in m.pax_headers and "ctime" not in m.pax_headers for m in members)


def test_epoch_from_the_environment_first() -> None:
    assert source_date_epoch(Path("/nonexistent"), {"SOURCE_DATE_EPOCH": "42"}) == 42
    with pytest.raises(UsageError) as info:
        source_date_epoch(Path("/nonexistent"), {"SOURCE_DATE_EPOCH": "yesterday"})
    assert str(info.value) == (
        "SOURCE_DATE_EPOCH: expected a number of seconds since 1970, found 'yesterday'"
    )


def test_epoch_from_the_last_commit(tmp_path: Path) -> None:
    env = {
        "GIT_AUTHOR_DATE": "@1600000000 +0000", "GIT_COMMITTER_DATE": "@1600000123 +0000",
        "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a",
        "GIT_COMMITTER_EMAIL": "a@b", "PATH": "/usr/bin:/bin",
    }  # fmt: skip
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=env)
    subprocess.run(
        ["git", "-C", str(tmp_path), "commit", "-q", "--allow-empty", "-m", "x"],
        check=True,
        env=env,
    )
    assert source_date_epoch(tmp_path, {}) == 1600000123


def test_no_epoch_anywhere_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        source_date_epoch(tmp_path, {})
    assert str(info.value) == (
        "reproducible: true needs SOURCE_DATE_EPOCH or a git checkout with a commit at "
        f"{tmp_path} for the time of the image; found neither"
    )
