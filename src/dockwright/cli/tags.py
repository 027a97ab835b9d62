"""``dockwright tags``: the tags and labels this checkout would get (docker/metadata-action)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockwright.tags import TagSet

HELP = "print the tags and labels this checkout would get"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "image",
        nargs="?",
        metavar="IMAGE",
        help="an image of dockwright.yaml; without a config, the repository to tag",
    )
    parser.add_argument(
        "--config", "-c", metavar="FILE", help="config file (default: ./dockwright.yaml)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")


@dataclass(frozen=True)
class _Target:
    name: str
    repositories: tuple[str, ...]


def run(args: argparse.Namespace) -> int:
    from dockwright.errors import UsageError
    from dockwright.pipeline.config import REPOSITORY_PATTERN, find_config, load_config
    from dockwright.pipeline.imagetags import image_tags, with_dockerfile
    from dockwright.tags import DEFAULT_RULES, Flavor, compute_tags, discover
    from dockwright.tags.context import created_time

    config_path = Path(args.config) if args.config else find_config(Path("."))
    now = datetime.now(UTC)
    results: list[tuple[_Target, TagSet]] = []
    if config_path is None:
        name = args.image or ""
        if name and not re.fullmatch(REPOSITORY_PATTERN, name):
            raise UsageError(
                f"IMAGE: expected a repository such as ghcr.io/org/name (lowercase, no tag); "
                f"found {name!r}"
            )
        context = discover(os.environ, Path.cwd())
        title = name.rsplit("/", 1)[-1].split(":", 1)[0]
        created = created_time(context, os.environ)
        tagset = compute_tags(DEFAULT_RULES, Flavor(), context, now, title=title, created=created)
        results.append((_Target(name or context.name, (name,) if name else ()), tagset))
    else:
        config = load_config(config_path)
        if args.image and args.image not in config.images:
            known = ", ".join(sorted(config.images)) or "none"
            raise UsageError(f"{config_path}: no image {args.image!r}; the images are: {known}")
        context = discover(os.environ, config.root)
        chosen = [args.image] if args.image else list(config.images)
        for name in chosen:
            image = config.images[name]
            tagset = with_dockerfile(image_tags(image, context, now), image)
            repos = tuple(p.repository for p in image.publish)
            results.append((_Target(name, repos), tagset))
    if context.source == "none":
        print(
            "dockwright: warning: neither a git checkout nor CI variables found; "
            "only rules that need neither give tags",
            file=sys.stderr,
        )
    if args.format == "json":
        docs = {t.name: _json(t, s) for t, s in results}
        out = next(iter(docs.values())) if len(docs) == 1 else docs
        sys.stdout.write(json.dumps(out, indent=2) + "\n")
    else:
        print(f"context: {context.source} ref={context.ref or '-'} sha={context.short_sha or '-'}")
        for target, tagset in results:
            sys.stdout.write(_text(target, tagset))
    return 0


def _refs(target: _Target, tags: tuple[str, ...]) -> list[str]:
    if not target.repositories:
        return list(tags)
    return [f"{repo.lower()}:{tag}" for repo in target.repositories for tag in tags]


def _json(target: _Target, tagset: TagSet) -> dict[str, object]:
    return {
        "tags": _refs(target, tagset.tags),
        "tag-names": list(tagset.tags),
        "labels": dict(tagset.labels),
        "label-sources": dict(tagset.label_sources),
        "version": tagset.version,
    }


def _text(target: _Target, tagset: TagSet) -> str:
    lines = [f"{target.name or '(no name)'}", f"  version: {tagset.version or '(none)'}"]
    lines.append("  tags:" if tagset.tags else "  tags: (none)")
    lines += [f"    {tag}" for tag in tagset.tags]
    if target.repositories and tagset.tags:
        lines.append("  refs:")
        lines += [f"    {ref}" for ref in _refs(target, tagset.tags)]
    lines.append("  labels:")
    sources = tagset.label_sources
    lines += [f"    {k}={v}  ({sources.get(k, 'inferred')})" for k, v in tagset.labels.items()]
    return "\n".join(lines) + "\n"
