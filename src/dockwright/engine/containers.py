"""Containers through the Docker Engine API."""

from __future__ import annotations


def demultiplex(data: bytes) -> tuple[bytes, bytes]:
    """Split Docker's multiplexed log stream (8-byte frame headers) into stdout and stderr."""
    out, err = bytearray(), bytearray()
    pos = 0
    while pos + 8 <= len(data):
        stream = data[pos]
        size = int.from_bytes(data[pos + 4 : pos + 8], "big")
        chunk = data[pos + 8 : pos + 8 + size]
        (err if stream == 2 else out).extend(chunk)
        pos += 8 + size
    return bytes(out), bytes(err)
