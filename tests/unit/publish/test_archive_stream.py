"""A layer's compressed bytes can be read while they are written (the streamed upload)."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import threading
from pathlib import Path

import pytest

from dockwright.publish.archive import LayerStream, StreamStopped, _Compressor, _spool_layer


def test_a_follower_reads_exactly_the_spool_file(tmp_path: Path) -> None:
    data = os.urandom(3 << 20) + b"text " * 200_000
    compressor = _Compressor(tmp_path / "layer.gz")
    got: list[bytes] = []
    follower = threading.Thread(
        target=lambda: got.extend(compressor.follow(threading.Event())), daemon=True
    )
    follower.start()  # before anything is written: it waits
    for i in range(0, len(data), 100_000):
        compressor.feed(data[i : i + 100_000])
    compressor.finish()
    follower.join(10)
    assert not follower.is_alive()
    spooled = (tmp_path / "layer.gz").read_bytes()
    assert b"".join(got) == spooled
    assert gzip.decompress(spooled) == data
    # a follower that starts after the end reads it all too
    assert b"".join(compressor.follow(threading.Event())) == spooled


def test_a_stopped_follower_ends_at_once(tmp_path: Path) -> None:
    compressor = _Compressor(tmp_path / "layer.gz")
    stop = threading.Event()
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in compressor.follow(stop):
                pass
        except StreamStopped as exc:
            errors.append(exc)

    follower = threading.Thread(target=read, daemon=True)
    follower.start()
    compressor.feed(os.urandom(1 << 20))
    stop.set()
    follower.join(5)
    assert not follower.is_alive() and len(errors) == 1
    compressor.finish()


def test_spooling_announces_the_layer_before_compressing_it(tmp_path: Path) -> None:
    payload = os.urandom(2 << 20)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("layer.tar")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    buf.seek(0)
    streams: list[LayerStream] = []
    read: list[bytes] = []

    def start(layer: LayerStream) -> None:
        streams.append(layer)
        thread = threading.Thread(
            target=lambda: read.extend(layer.chunks(threading.Event())), daemon=True
        )
        thread.start()
        threads.append(thread)

    threads: list[threading.Thread] = []
    with tarfile.open(fileobj=buf, mode="r|") as archive:
        member = next(iter(archive))
        blob = _spool_layer(archive, member, tmp_path / "l.gz", start)
    threads[0].join(10)
    assert [s.path for s in streams] == [blob.path]
    assert b"".join(read) == (tmp_path / "l.gz").read_bytes()
    assert gzip.decompress(b"".join(read)) == payload


def test_a_compression_failure_reaches_the_follower(tmp_path: Path) -> None:
    compressor = _Compressor(tmp_path / "layer.gz")
    compressor.feed("not bytes")  # type: ignore[arg-type]
    with pytest.raises(Exception, match="cannot write the compressed layer"):
        list(compressor.follow(threading.Event()))
    with pytest.raises(Exception, match="cannot write the compressed layer"):
        compressor.finish()
