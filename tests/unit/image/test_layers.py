"""The layer reader against hostile and tricky layers, built here as tarballs in tmp dirs."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockwright.image.layers import ImageArchive, ImageArchiveError, clean


@dataclass(frozen=True)
class M:
    """One member of a layer: kind is file, dir, symlink, hardlink or fifo."""

    name: str
    kind: str = "file"
    data: bytes = b""
    target: str = ""
    mode: int = 0o644
    uid: int = 0


def layer(members: Sequence[M]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for m in members:
            info = tarfile.TarInfo(m.name)
            info.mode, info.uid = m.mode, m.uid
            if m.kind == "dir":
                info.type = tarfile.DIRTYPE
            elif m.kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, m.target
            elif m.kind == "hardlink":
                info.type, info.linkname = tarfile.LNKTYPE, m.target
            elif m.kind == "fifo":
                info.type = tarfile.FIFOTYPE
            else:
                info.size = len(m.data)
            tar.addfile(info, io.BytesIO(m.data) if m.kind == "file" else None)
    return buf.getvalue()


CONFIG = {"architecture": "amd64", "os": "linux", "config": {"Env": ["A=1"], "Cmd": ["sh"]}}


def docker_save(path: Path, layers: Sequence[bytes], config: object = CONFIG) -> Path:
    """A ``docker save`` style archive (legacy layout: <id>/layer.tar + manifest.json)."""
    with tarfile.open(path, "w") as tar:

        def add(name: str, data: bytes) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

        names = []
        for i, data in enumerate(layers):
            names.append(f"l{i}/layer.tar")
            add(names[-1], data)
        add("cfg.json", json.dumps(config).encode())
        add("manifest.json", json.dumps([{"Config": "cfg.json", "Layers": names}]).encode())
    return path


def oci_layout(root: Path, layers: Sequence[bytes], *, gz: bool = True) -> Path:
    blobs = root / "blobs" / "sha256"
    blobs.mkdir(parents=True)

    def put(data: bytes) -> dict[str, object]:
        digest = hashlib.sha256(data).hexdigest()
        (blobs / digest).write_bytes(data)
        return {"digest": f"sha256:{digest}", "size": len(data)}

    manifest = {
        "schemaVersion": 2,
        "config": put(json.dumps(CONFIG).encode()),
        "layers": [put(gzip.compress(d) if gz else d) for d in layers],
    }
    index = {"schemaVersion": 2, "manifests": [put(json.dumps(manifest).encode())]}
    (root / "index.json").write_text(json.dumps(index))
    (root / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    return root


def open_save(tmp_path: Path, *layers: Sequence[M]) -> ImageArchive:
    return ImageArchive(str(docker_save(tmp_path / "img.tar", [layer(m) for m in layers])))


def snapshot(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*")}


def test_clean_cannot_climb_above_root() -> None:
    assert clean("../../etc/passwd") == "/etc/passwd"
    assert clean("/abs/./x/../y") == "/abs/y"
    assert clean("//double") == "/double"
    assert clean("./") == "/"


def test_traversal_names_stay_inside_and_nothing_is_written(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    before = snapshot(tmp_path.parent)
    rel = os.path.relpath(victim / "escaped", "/")
    with open_save(
        tmp_path,
        [
            M("../../../../../../" + rel, data=b"evil"),
            M("/abs/file", data=b"abs"),
            M("a/../../b", data=b"b"),
        ],
    ) as image:
        assert image.resolve("/" + rel, follow=False) is not None
        abs_entry = image.resolve("/abs/file", follow=False)
        assert abs_entry is not None and image.read(abs_entry) == b"abs"
        assert image.resolve("/b", follow=False) is not None
    assert not (victim / "escaped").exists()
    assert snapshot(tmp_path.parent) - before == {str(tmp_path / "img.tar")}


def test_symlinks_resolve_inside_the_image(tmp_path: Path) -> None:
    with open_save(
        tmp_path,
        [
            M("etc/passwd", data=b"image passwd\n"),
            M("abs", "symlink", target="/etc/passwd"),
            M("deep/rel", "symlink", target="../../../../../etc/passwd"),
            M("usr/bin/tool", data=b"tool", mode=0o755),
            M("bin", "symlink", target="usr/bin"),
            M("loop1", "symlink", target="loop2"),
            M("loop2", "symlink", target="/loop1"),
            M("dangling", "symlink", target="/nowhere"),
            M("file/child", "symlink", target="x"),
        ],
    ) as image:
        for path in ("/abs", "/deep/rel"):
            entry = image.resolve(path, follow=True)
            assert entry is not None and image.read(entry) == b"image passwd\n"
            assert image.resolve(path, follow=False).type == "symlink"  # type: ignore[union-attr]
        tool = image.resolve("/bin/tool", follow=False)  # a symlinked parent is followed
        assert tool is not None and tool.path == "/usr/bin/tool" and tool.mode == 0o755
        assert image.resolve("/loop1", follow=True) is None
        assert image.resolve("/loop1", follow=False) is not None
        assert image.resolve("/dangling", follow=True) is None
        assert image.resolve("/etc/passwd/x", follow=False) is None


def test_hardlinks(tmp_path: Path) -> None:
    with open_save(
        tmp_path,
        [M("data/orig", data=b"payload", mode=0o600)],
        [
            M("link", "hardlink", target="data/orig", mode=0o600),
            M("climb", "hardlink", target="../../../data/orig"),
            M("broken", "hardlink", target="no/such"),
            M("etc/hosts", "hardlink", target="/etc/hosts"),
        ],
    ) as image:
        for path in ("/link", "/climb"):
            entry = image.resolve(path, follow=False)
            assert entry is not None and entry.type == "hardlink"
            assert image.read(entry) == b"payload"
        broken = image.resolve("/broken", follow=False)
        assert broken is not None and image.read(broken) == b""
        hosts = image.resolve("/etc/hosts", follow=False)
        assert hosts is not None and image.read(hosts) == b""  # never the host's /etc/hosts


def test_whiteouts_and_opaque_directories(tmp_path: Path) -> None:
    with open_save(
        tmp_path,
        [
            M("keep", data=b"k"),
            M("secret", data=b"s"),
            M("tree", "dir", mode=0o755),
            M("tree/a/b", data=b"deep"),
            M("opq", "dir", mode=0o755),
            M("opq/old", data=b"old"),
            M("opq/sub/older", data=b"older"),
        ],
        [
            M(".wh.secret", data=b""),
            M("tree/.wh.a", data=b""),
            M("opq/.wh..wh..opq", data=b""),
            M("opq/new", data=b"new"),
            M(".wh.same-layer", data=b""),
            M("same-layer", data=b"kept: whiteouts only hide lower layers"),
            M("../.wh.keep/..", data=b""),  # cleans to the root itself: ignored
        ],
        [M("keep", "dir", mode=0o700), M("keep/inside", data=b"x")],
    ) as image:
        assert image.resolve("/secret", follow=False) is None
        assert image.resolve("/tree", follow=False) is not None
        assert image.resolve("/tree/a", follow=False) is None
        assert image.resolve("/tree/a/b", follow=False) is None
        assert image.listdir("/opq") == ["new"]
        assert image.resolve("/opq/sub/older", follow=False) is None
        assert image.resolve("/same-layer", follow=False) is not None
        keep = image.resolve("/keep", follow=False)  # a file replaced by a directory
        assert keep is not None and keep.type == "dir" and image.listdir("/keep") == ["inside"]


def test_directory_replaced_by_file_drops_children(tmp_path: Path) -> None:
    with open_save(tmp_path, [M("d/child", data=b"c")], [M("d", data=b"now a file")]) as image:
        entry = image.resolve("/d", follow=False)
        assert entry is not None and entry.type == "file"
        assert image.resolve("/d/child", follow=False) is None


def test_special_files_and_modes(tmp_path: Path) -> None:
    with open_save(
        tmp_path,
        [
            M("fifo", "fifo"),
            M("suid", data=b"#!", mode=0o4755, uid=1000),
            M("tmp", "dir", mode=0o1777),
        ],
    ) as image:
        assert image.resolve("/fifo", follow=False).type == "other"  # type: ignore[union-attr]
        suid = image.resolve("/suid", follow=False)
        assert suid is not None and (suid.mode, suid.uid) == (0o4755, 1000)
        assert image.resolve("/tmp", follow=False).mode == 0o1777  # type: ignore[union-attr]
        root = image.resolve("/", follow=False)
        assert root is not None and (root.type, root.mode) == ("dir", 0o755)


def test_oci_layout_with_gzip_layers(tmp_path: Path) -> None:
    root = oci_layout(tmp_path / "oci", [layer([M("a", data=b"one")]), layer([M("b", data=b"2")])])
    with ImageArchive(str(root)) as image:
        assert image.config["config"]["Cmd"] == ["sh"]
        a = image.resolve("/a", follow=False)
        assert a is not None and image.read(a) == b"one"
        assert image.listdir("/") == ["a", "b"]


def test_oci_layout_as_tar(tmp_path: Path) -> None:
    root = oci_layout(tmp_path / "oci", [layer([M("x", data=b"ex")])], gz=False)
    archive = tmp_path / "oci.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(root, arcname=".")
    with ImageArchive(str(archive)) as image:
        x = image.resolve("/x", follow=False)
        assert x is not None and image.read(x) == b"ex"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("empty", "expected manifest.json (docker save) or index.json"),
        ("bad-digest", "invalid digest"),
        ("zstd", "zstd-compressed, which is not supported"),
        ("truncated", "cannot read image archive"),
    ],
)
def test_bad_archives_are_clear_errors(tmp_path: Path, setup: str, message: str) -> None:
    path = tmp_path / "img.tar"
    if setup == "empty":
        with tarfile.open(path, "w"):
            pass
    elif setup == "bad-digest":
        root = tmp_path / "oci"
        root.mkdir()
        index = {"manifests": [{"digest": "sha256:../../../etc/passwd"}]}
        (root / "index.json").write_text(json.dumps(index))
        path = root
    elif setup == "zstd":
        docker_save(path, [b"\x28\xb5\x2f\xfd" + b"\0" * 600])
    else:
        path.write_bytes(b"not a tar at all" * 10)
    with pytest.raises(ImageArchiveError) as info:
        ImageArchive(str(path))
    assert message in str(info.value)
    assert info.value.exit_code == 2


@pytest.mark.parametrize(("compressed", "rounds"), [(False, 40), (True, 10)], ids=["plain", "gzip"])
def test_concurrent_reads_each_get_their_own_bytes(
    tmp_path: Path, compressed: bool, rounds: int
) -> None:
    """Many threads reading different files of one archive at once (the structure-test
    runner's default of 4 workers, and more): every read returns that file's bytes."""
    import sys
    from concurrent.futures import ThreadPoolExecutor

    files = [M(f"f{i:03}", data=bytes([65 + i % 26]) * (3000 + 517 * i)) for i in range(64)]
    data = [layer(files[:32]), layer(files[32:])]
    if compressed:
        image = ImageArchive(str(oci_layout(tmp_path / "oci", data)))
    else:
        image = ImageArchive(str(docker_save(tmp_path / "img.tar", data)))
    expected = {f"/{m.name}": m.data for m in files}
    entries = [image.resolve(path, follow=False) for path in expected]

    def read(index: int) -> tuple[str, bytes]:
        entry = entries[index % len(entries)]
        assert entry is not None
        return entry.path, image.read(entry)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show at once
    try:
        with image, ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(read, range(len(entries) * rounds)))
    finally:
        sys.setswitchinterval(interval)
    wrong = sorted({path for path, got in results if got != expected[path]})
    assert wrong == []
