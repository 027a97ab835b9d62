"""Instruction values as hadolint's parser hands them to rules."""

from __future__ import annotations

from dockwright.dockerfile import Instruction
from dockwright.dockerfile.expand import lex_words
from dockwright.lint.images import from_image


def unquote(word: str, escape: str = "\\") -> str:
    """A LABEL/ENV key or value with quotes and escapes removed, variables kept."""
    words = lex_words(word, raw=False, escape=escape)
    return " ".join(words) if words else word


def strip_quotes(text: str) -> str:
    """Surrounding ``"``/``'`` characters removed (hadolint's ``dropAround``)."""
    return text.strip("\"'")


def unquoted_pairs(ins: Instruction) -> list[tuple[str, str]]:
    return [(unquote(k, ins.escape), unquote(v, ins.escape)) for k, v in ins.pairs]


def cache_targets(ins: Instruction) -> list[str]:
    """Targets of a RUN's ``--mount=type=cache`` and ``type=tmpfs`` mounts."""
    targets = []
    for value in ins.flag_values("mount"):
        opts = dict(p.partition("=")[::2] for p in value.split(","))
        if opts.get("type") in ("cache", "tmpfs"):
            targets.append(opts.get("target", opts.get("dst", opts.get("destination", ""))))
    return targets


def stage_name(ins: Instruction) -> str:
    """A FROM's alias, else its image name (no registry, tag or digest)."""
    image = from_image(ins)
    return image.alias if image.alias is not None else image.name


def image_name(ins: Instruction) -> str:
    return from_image(ins).name


def copy_target(ins: Instruction) -> str:
    """The destination of a COPY/ADD (exec or shell form)."""
    return ins.args[-1] if ins.args else ""


def copy_sources(ins: Instruction) -> tuple[str, ...]:
    return ins.args[:-1]
