from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.lint.images import from_image
from dockwright.lint.model import Severity
from dockwright.lint.rule import LintContext, Rule, raw_flag_value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator


def split_image(ref: str) -> tuple[str | None, str]:
    """(registry, rest) for a ``COPY --from`` or mount ``from=`` value: the registry is the
    first path part when it holds a ``.``; the rest keeps any tag."""
    if "/" in ref:
        parts = ref.split("/")
        while parts and parts[-1] == "":
            parts.pop()
        if parts and "." in parts[0]:
            return parts[0], "/".join(parts[1:])
    return None, ref


def registry_matches(pattern: str, registry: str) -> bool:
    """``*`` is anything, ``*.x`` a suffix, ``x*`` a prefix, else an exact name."""
    if pattern == "*":
        return True
    if pattern.startswith("*"):
        return registry.endswith(pattern[1:])
    if pattern.endswith("*"):
        return registry.startswith(pattern[:-1])
    return registry == pattern


def _mount_sources(ins: Instruction) -> list[str]:
    """``from=`` of cache and bind mounts; a missing one means ``scratch``."""
    out = []
    for value in ins.flag_values("mount"):
        opts = dict(p.partition("=")[::2] for p in value.split(","))
        if opts.get("type", "bind") in ("cache", "bind"):
            out.append(opts.get("from", "scratch"))
    return out


class TrustedRegistry(Rule):
    """Use only an allowed registry in the FROM image.

    What: with ``trustedRegistries`` configured, a FROM image, ``COPY --from`` image or
    ``RUN --mount=...,from=`` image from a registry not in the list. An earlier stage's
    name is fine; an image without a registry host is Docker Hub (allowed when
    ``docker.io`` or ``hub.docker.com`` is listed; ``scratch`` always is). Patterns:
    ``*`` allows all, ``*.example.com`` a suffix, ``registry.example.*`` a prefix.

    Why: images from unvetted registries are a supply-chain risk; the list makes the
    allowed sources explicit and reviewable.

    Bad::

        # trustedRegistries: [registry.example.com]
        FROM ghcr.io/someone/tool:1.0

    Good::

        FROM registry.example.com/base/debian:bookworm
    """

    code = "DL3026"
    severity = Severity.ERROR
    message = "Use only an allowed registry in the FROM image"

    def check(self, ctx: LintContext) -> Iterator[int]:
        allowed = ctx.config.trusted_registries
        if not allowed:
            return
        aliases: set[str] = set()

        def ok(registry: str | None, name: str) -> bool:
            if name in aliases:
                return True
            if registry is not None:
                return any(registry_matches(p, registry) for p in allowed)
            return name == "scratch" or any(
                registry_matches(p, hub) for p in allowed for hub in ("docker.io", "hub.docker.com")
            )

        for ins in ctx.instructions:
            if ins.keyword == "FROM":
                image = from_image(ins)
                if not ok(image.registry, image.name):
                    yield ins.start_line
                if image.alias is not None:
                    aliases.add(image.alias)
            elif ins.keyword == "COPY":
                source = raw_flag_value(ins, "from")
                if source is not None and not ok(*split_image(source)):
                    yield ins.start_line
            elif ins.keyword == "RUN" and not all(ok(*split_image(s)) for s in _mount_sources(ins)):
                yield ins.start_line
