"""FROM image references the way hadolint's parser splits them.

``[domain.tld/]name[:tag][@digest]``: a registry is recognised only when the first part
holds a ``.`` before a ``/``; the name runs to the first ``:`` or ``@`` (``${...}`` is
opaque), so ``localhost:5000/x`` reads as name ``localhost`` with tag ``5000/x``.
"""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.pattern import LazyPattern
from dockwright.record import Record

_REGISTRY = LazyPattern(r"([^.]+)\.([^/]+)/")


class FromImage(Record):
    __slots__ = ("alias", "digest", "name", "platform", "registry", "tag")

    registry: str | None
    name: str
    tag: str | None
    digest: str | None
    alias: str | None
    platform: str | None

    def __init__(
        self,
        registry: str | None,
        name: str,
        tag: str | None,
        digest: str | None,
        alias: str | None,
        platform: str | None,
    ) -> None:
        Record.__init__(
            self,
            registry=registry,
            name=name,
            tag=tag,
            digest=digest,
            alias=alias,
            platform=platform,
        )


def _until(text: str, i: int, stops: str) -> int:
    while i < len(text) and text[i] not in stops:
        if text.startswith("${", i):
            end = text.find("}", i)
            i = len(text) if end < 0 else end + 1
            continue
        i += 1
    return i


def from_image(ins: Instruction) -> FromImage:
    ref = ins.args[0] if ins.args else ""
    alias = ins.args[2] if len(ins.args) == 3 else None
    platform = ins.flag("platform")
    registry = None
    m = _REGISTRY.match(ref) if "/" in ref else None  # the pattern needs a "/"
    if m:
        registry = f"{m.group(1)}.{m.group(2)}"
        ref = ref[m.end() :]
    end = _until(ref, 0, ":@")
    name, rest = ref[:end], ref[end:]
    tag = digest = None
    if rest.startswith(":"):
        end = _until(rest, 1, ":@")
        tag, rest = rest[1:end], rest[end:]
    if rest.startswith("@"):
        digest = rest[1:]
    return FromImage(registry, name, tag, digest, alias, platform.value if platform else None)
