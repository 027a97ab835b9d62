"""``dockwright build``: build an image with BuildKit and say which builder did it."""

from __future__ import annotations

import argparse
import sys

HELP = "build images through the engine (BuildKit via docker buildx or a BuildKit-capable client)"


def _pairs(values: list[str] | None, flag: str) -> dict[str, str]:
    from dockwright.errors import UsageError

    out: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not key or not sep:
            raise UsageError(f"{flag}: expected KEY=VALUE, found {item!r}")
        out[key] = value
    return out


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "images",
        nargs="*",
        metavar="IMAGE",
        help="images of dockwright.yaml (default: all of them when the file exists)",
    )
    parser.add_argument("-c", "--config", metavar="FILE", help="default: ./dockwright.yaml")
    parser.add_argument("--context", default=".", metavar="DIR", help="build context (default .)")
    parser.add_argument("-f", "--file", metavar="DOCKERFILE", help="Dockerfile, relative to DIR")
    parser.add_argument("--build-arg", action="append", metavar="KEY=VALUE")
    parser.add_argument("--target", help="multi-stage target")
    parser.add_argument("-t", "--tag", action="append", metavar="NAME[:TAG]")
    parser.add_argument("--label", action="append", metavar="KEY=VALUE")
    parser.add_argument("--platform", help="target platform, e.g. linux/amd64")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--docker", metavar="PATH", help="docker client to build with")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the build log")


def run(args: argparse.Namespace) -> int:
    from dockwright.engine.base import BuildRequest
    from dockwright.engine.select import open_engine
    from dockwright.image import ImageRef

    if args.images or (args.file is None and args.context == "." and _has_config(args)):
        return _build_configured(args)
    for tag in args.tag or []:
        ImageRef.parse(tag)  # reject a bad tag before building
    request = BuildRequest(
        context=args.context,
        dockerfile=args.file,
        tags=tuple(args.tag or ()),
        build_args=_pairs(args.build_arg, "--build-arg"),
        target=args.target,
        labels=_pairs(args.label, "--label"),
        platform=args.platform,
        no_cache=args.no_cache,
    )
    with open_engine(docker_client=args.docker) as engine:
        result = engine.build(request)
    if args.verbose:
        sys.stderr.write(result.log)
    print(f"builder: {result.builder.describe()}", file=sys.stderr)
    print(result.image_id)
    return 0


def _has_config(args: argparse.Namespace) -> bool:
    from pathlib import Path

    from dockwright.pipeline.config import find_config

    return bool(args.config) or find_config(Path(".")) is not None


def _build_configured(args: argparse.Namespace) -> int:
    """Build images of dockwright.yaml with their build args, target and OCI labels; the
    command line's flags apply on top, as they would to ``docker build``."""
    import dataclasses
    import os
    from datetime import UTC, datetime
    from pathlib import Path

    from dockwright.engine.select import open_engine
    from dockwright.errors import UsageError
    from dockwright.image import ImageRef
    from dockwright.pipeline.config import CONFIG_NAME, find_config, load_config
    from dockwright.pipeline.executor import build_request
    from dockwright.pipeline.imagetags import image_tags
    from dockwright.tags import discover

    path = Path(args.config) if args.config else find_config(Path("."))
    if path is None:
        raise UsageError(f"no {CONFIG_NAME} here; pass --config FILE or --context DIR")
    config = load_config(path)
    unknown = [n for n in args.images if n not in config.images]
    if unknown:
        known = ", ".join(sorted(config.images))
        raise UsageError(f"{path}: no image {unknown[0]!r}; the images are: {known}")
    names = list(args.images or config.images)
    if args.tag and len(names) > 1:
        raise UsageError(
            f"-t/--tag names one image, but {len(names)} images would be built "
            f"({', '.join(names)}); name the one to tag, e.g. "
            f"`dockwright build {names[0]} -t {args.tag[0]}`"
        )
    for tag in args.tag or []:
        ImageRef.parse(tag)  # reject a bad tag before building
    build_args = _pairs(args.build_arg, "--build-arg")
    labels = _pairs(args.label, "--label")
    context = discover(os.environ, config.root)
    now = datetime.now(UTC)
    with open_engine(config.engine, docker_client=args.docker) as engine:
        for name in names:
            image = config.images[name]
            request = build_request(image, image_tags(image, context, now))
            request = dataclasses.replace(
                request,
                tags=tuple(args.tag or ()),
                build_args={**request.build_args, **build_args},
                labels={**request.labels, **labels},
                target=args.target or request.target,
                platform=args.platform,
                no_cache=args.no_cache,
            )
            result = engine.build(request)
            if args.verbose:
                sys.stderr.write(result.log)
            print(f"builder: {result.builder.describe()}", file=sys.stderr)
            print(f"{name} {result.image_id}")
    return 0
