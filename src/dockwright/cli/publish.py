"""``dockwright publish``: push every tag of an image to every repository of dockwright.yaml."""

from __future__ import annotations

import argparse

HELP = "push every tag to every repository, then check each tag resolves to the pushed digest"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("images", nargs="*", metavar="IMAGE", help="images of dockwright.yaml")
    parser.add_argument("-c", "--config", metavar="FILE", help="default: ./dockwright.yaml")
    parser.add_argument(
        "--source",
        metavar="LOCAL_IMAGE",
        help="the local image (ID or name) to publish; default: build the image first. "
        "With several images, give IMAGE=LOCAL_IMAGE",
        action="append",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan, push nothing")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="show each blob upload, mount and tag"
    )


def run(args: argparse.Namespace) -> int:
    import os
    import sys
    from datetime import UTC, datetime
    from pathlib import Path

    from dockwright.errors import UsageError
    from dockwright.pipeline.buildstep import build_image
    from dockwright.pipeline.config import CONFIG_NAME, find_config, load_config
    from dockwright.pipeline.executor import destinations
    from dockwright.pipeline.imagetags import image_tags
    from dockwright.publish import Destination, Event, is_floating, plan, publish
    from dockwright.tags.context import discover

    path = Path(args.config) if args.config else find_config(Path("."))
    if path is None:
        raise UsageError(f"no {CONFIG_NAME} here; pass --config FILE")
    config = load_config(path)
    names = args.images or list(config.images)
    unknown = [n for n in names if n not in config.images]
    if unknown:
        known = ", ".join(sorted(config.images))
        raise UsageError(f"{path}: no image {unknown[0]!r}; the images are: {known}")
    sources = _sources(args.source or [], names)
    context = discover(os.environ, config.root)
    now = datetime.now(UTC)
    # Every image's credentials are resolved before the first push (not for a dry run).
    jobs = [
        (
            config.images[n],
            [Destination(t.repository) for t in config.images[n].publish]
            if args.dry_run
            else destinations(config.images[n]),
        )
        for n in names
    ]
    if args.dry_run:  # contacts nothing, not even the engine
        for image, dests in jobs:
            tags = image_tags(image, context, now)
            if not dests:
                raise UsageError(f"{path}: images.{image.name}.publish lists no repository")
            print(f"{image.name}: blobs first (each once per registry), then manifests:")
            for dest, tag in plan(tags.tags, dests):
                kind = "floating" if is_floating(tag) else "immutable"
                print(f"would tag {dest.repository}:{tag}  ({kind})")
        return 0
    from dockwright.engine.select import open_engine

    with open_engine(config.engine) as engine:
        for image, dests in jobs:
            tags = image_tags(image, context, now)
            if not dests:
                raise UsageError(f"{path}: images.{image.name}.publish lists no repository")
            source = sources.get(image.name)
            if source is None:
                image_id = build_image(engine, image, tags).image_id
            else:
                image_id = engine.inspect_image(source).id

            def show(event: Event) -> None:
                if args.verbose:
                    print(f"{event.kind:<9} {event.repository} {event.detail}", file=sys.stderr)

            for item in publish(engine, image_id, tags.tags, dests, on_event=show):
                print(f"{item.ref}  {item.digest}", flush=True)
    return 0


def _sources(values: list[str], names: list[str]) -> dict[str, str]:
    from dockwright.errors import UsageError

    out: dict[str, str] = {}
    for value in values:
        name, sep, ref = value.partition("=")
        if sep and name in names:
            out[name] = ref
        elif len(names) == 1:
            out[names[0]] = value
        else:
            raise UsageError(
                f"--source: expected IMAGE=LOCAL_IMAGE with several images, found {value!r}"
            )
    return out
