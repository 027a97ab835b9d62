"""The build keys of an image in ``dockwright.yaml`` (``no-cache``, ``pull``, ``cache-from``,
``cache-to``, ``secrets``, ``ssh``, ``reproducible``): their schema and what they load into.

Whether the builder can honour a key (a cache type, several platforms) is decided when the
builder is known, at build time; here every value is checked for its form only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from dockwright.config.schema import Bool, Ctx, Field, KeyPath, Map, Pattern, Seq, Str
from dockwright.engine.base import BuildSecret

_CACHE = Pattern(
    r"type=[a-z0-9]+(?:,[a-z0-9_-]+=[^,]*)*|[A-Za-z0-9][A-Za-z0-9._/:@-]*",
    "REF or type=TYPE[,KEY=VALUE...] (an image or a cache, as docker buildx takes it)",
)
_SSH = Pattern(
    r"[A-Za-z0-9_.-]+(?:=[^,]+(?:,[^,]+)*)?",
    "default or ID[=SOCKET|KEY[,KEY...]] (as docker build --ssh takes it)",
)
_SECRET_ID = Pattern(r"[A-Za-z0-9_.-]+", "a secret id (letters, digits, '_', '.', '-')")
SECRET = Map(
    (
        Field("id", _SECRET_ID, required=True),
        Field("env", Pattern(r"[A-Za-z_][A-Za-z0-9_]*", "an environment variable name")),
        Field("file", Str(nonempty=True)),
    )
)

BUILD_FIELDS = (
    Field("no-cache", Bool()),
    Field("pull", Bool()),
    Field("cache-from", Seq(_CACHE, allow_scalar=True)),
    Field("cache-to", Seq(_CACHE, allow_scalar=True)),
    Field("secrets", Seq(SECRET)),
    Field("ssh", Seq(_SSH, allow_scalar=True)),
    Field("reproducible", Bool()),
)


@dataclass(frozen=True)
class BuildOptions:
    """How an image is built beyond context, Dockerfile, args, target and labels."""

    no_cache: bool = False
    pull: bool = False
    cache_from: tuple[str, ...] = ()
    cache_to: tuple[str, ...] = ()
    secrets: tuple[BuildSecret, ...] = ()
    ssh: tuple[str, ...] = ()
    reproducible: bool = False


def build_options(
    raw: Mapping[str, object], base: KeyPath, root: Path, ctx: Ctx, check_paths: bool
) -> BuildOptions:
    """The build keys of one checked image entry; a secret needs exactly one of env and file,
    and ids are unique."""
    secrets: list[BuildSecret] = []
    seen: set[str] = set()
    for i, item in enumerate(cast(list[dict[str, str] | None], raw.get("secrets", []))):
        if item is None:
            continue
        at = (*base, "secrets", i)
        sources = [k for k in ("env", "file") if k in item]
        if len(sources) != 1:
            found = "both" if sources else "neither"
            ctx.report(at, f"expected one of env or file (where the secret is); found {found}")
            continue
        if item["id"] in seen:
            ctx.report((*at, "id"), f"expected a secret id not used before; found {item['id']!r}")
            continue
        seen.add(item["id"])
        file = str(root / item["file"]) if "file" in item else None
        if check_paths and file is not None and not Path(file).is_file():
            ctx.report((*at, "file"), f"expected an existing file; found no file at {file}")
        secrets.append(BuildSecret(item["id"], env=item.get("env"), file=file))
    return BuildOptions(
        no_cache=cast(bool, raw.get("no-cache", False)),
        pull=cast(bool, raw.get("pull", False)),
        cache_from=_strings(raw, "cache-from"),
        cache_to=_strings(raw, "cache-to"),
        secrets=tuple(secrets),
        ssh=tuple(_ssh(value, root) for value in _strings(raw, "ssh")),
        reproducible=cast(bool, raw.get("reproducible", False)),
    )


def _strings(raw: Mapping[str, object], key: str) -> tuple[str, ...]:
    """The items of a checked list of strings that passed their check."""
    return tuple(item for item in cast(list[str | None], raw.get(key, [])) if item is not None)


def _ssh(value: str, root: Path) -> str:
    """``ID=PATH[,PATH]`` with each path relative to the config file's directory made
    absolute (docker takes them relative to where it runs)."""
    name, sep, paths = value.partition("=")
    if not sep:
        return value
    return f"{name}={','.join(str(root / p) for p in paths.split(','))}"
