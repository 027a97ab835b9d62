"""``dockwright build``: build an image with BuildKit and say which builder did it."""

from __future__ import annotations

import argparse
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from dockwright.engine.base import BuildRequest, BuildResult, BuildSecret
    from dockwright.engine.docker import DockerEngine
    from dockwright.errors import BuildFailed

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


def _secret(text: str) -> BuildSecret:
    """``--secret id=ID,env=VAR`` or ``id=ID,src=FILE`` (docker's syntax; ``file=`` too)."""
    from dockwright.engine.base import BuildSecret
    from dockwright.errors import UsageError

    fields = dict(item.partition("=")[::2] for item in text.split(","))
    sources = {k: v for k, v in fields.items() if k in ("env", "src", "source", "file") and v}
    if not fields.get("id") or len(sources) != 1 or len(fields) != 2:
        raise UsageError(f"--secret: expected id=ID,env=VARIABLE or id=ID,src=FILE, found {text!r}")
    if "env" in sources:
        return BuildSecret(fields["id"], env=sources["env"])
    return BuildSecret(fields["id"], file=next(iter(sources.values())))


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
    parser.add_argument(
        "--pull", action="store_true", help="pull base images that came from a registry first"
    )
    parser.add_argument("--cache-from", action="append", metavar="REF|type=...,KEY=VALUE")
    parser.add_argument("--cache-to", action="append", metavar="type=inline|type=...,KEY=VALUE")
    parser.add_argument("--secret", action="append", metavar="id=ID,env=VAR|src=FILE")
    parser.add_argument("--ssh", action="append", metavar="default|ID[=SOCKET|KEY]")
    parser.add_argument(
        "--reproducible",
        action="store_true",
        help="timestamps from SOURCE_DATE_EPOCH or the last commit: same sources, same image id",
    )
    parser.add_argument("--docker", metavar="PATH", help="docker client to build with")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the build log")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dockwright.engine.base import BuildRequest
    from dockwright.image import ImageRef

    if args.images or (args.file is None and args.context == "." and _has_config(args)):
        return _build(args, *_configured(args))
    for tag in args.tag or []:
        ImageRef.parse(tag)  # reject a bad tag before building
    request = _with_flags(BuildRequest(context=args.context, dockerfile=args.file), args)
    if args.reproducible:
        from dockwright.engine.reproducible import source_date_epoch

        request = _replace(request, source_date_epoch=source_date_epoch(Path(args.context)))
    return _build(args, None, [("", request)])


def _has_config(args: argparse.Namespace) -> bool:
    from pathlib import Path

    from dockwright.pipeline.config import find_config

    return bool(args.config) or find_config(Path(".")) is not None


def _replace(request: BuildRequest, **changes: object) -> BuildRequest:
    import dataclasses

    return dataclasses.replace(request, **changes)  # type: ignore[arg-type]


def _with_flags(request: BuildRequest, args: argparse.Namespace) -> BuildRequest:
    """``request`` with the command line's flags on top, as they would apply to ``docker
    build``: lists and mappings add to the configured ones, the rest replaces."""
    return _replace(
        request,
        tags=tuple(args.tag or ()) or request.tags,
        build_args={**request.build_args, **_pairs(args.build_arg, "--build-arg")},
        labels={**request.labels, **_pairs(args.label, "--label")},
        target=args.target or request.target,
        platform=args.platform or request.platform,
        no_cache=args.no_cache or request.no_cache,
        pull=args.pull or request.pull,
        cache_from=(*request.cache_from, *(args.cache_from or ())),
        cache_to=(*request.cache_to, *(args.cache_to or ())),
        secrets=(*request.secrets, *(_secret(s) for s in args.secret or ())),
        ssh=(*request.ssh, *(args.ssh or ())),
    )


def _configured(args: argparse.Namespace) -> tuple[str | None, list[tuple[str, BuildRequest]]]:
    """Requests for images of dockwright.yaml with their build keys and OCI labels."""
    import os
    from datetime import UTC, datetime
    from pathlib import Path

    from dockwright.errors import UsageError
    from dockwright.image import ImageRef
    from dockwright.pipeline.buildstep import build_request
    from dockwright.pipeline.config import CONFIG_NAME, find_config, load_config
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
    context = discover(os.environ, config.root)
    now = datetime.now(UTC)
    requests = []
    for name in names:
        image = config.images[name]
        if args.reproducible:
            from dataclasses import replace

            image = replace(image, build=replace(image.build, reproducible=True))
        request = build_request(image, image_tags(image, context, now))
        requests.append((name, _with_flags(request, args)))
    return config.engine, requests


def _build(
    args: argparse.Namespace, engine_kind: str | None, requests: list[tuple[str, BuildRequest]]
) -> int:
    from dockwright.engine.select import docker_cli_suffices

    if docker_cli_suffices(engine_kind) and not needs_engine_api(
        args.format, [r for _, r in requests]
    ):
        return _build_cli_only(args, requests)
    import json

    from dockwright.engine.select import open_engine
    from dockwright.errors import BuildFailed

    records: list[dict[str, object]] = []
    with open_engine(engine_kind, docker_client=args.docker) as engine:
        for name, request in requests:
            try:
                result = engine.build(request)
            except BuildFailed as exc:
                if args.format != "json":
                    raise
                records.append(_failure_record(name, exc))
                print(json.dumps(records, indent=2))
                return exc.exit_code
            if args.verbose:
                sys.stderr.write(result.log)
            if args.format == "json":
                records.append(_record(engine, name, request, result))
                continue
            print(f"builder: {result.builder.describe()}", file=sys.stderr)
            print(f"{name} {result.image_id}" if name else result.image_id)
    if args.format == "json":
        print(json.dumps(records, indent=2))
    return 0


def needs_engine_api(output_format: str, requests: list[BuildRequest]) -> bool:
    """Whether building ``requests`` needs the Engine API besides the docker client: to pull
    base images, to normalise a reproducible image (an epoch of 0 included), or to inspect
    the images for JSON."""
    return output_format == "json" or any(
        r.pull or r.source_date_epoch is not None for r in requests
    )


def _build_cli_only(args: argparse.Namespace, requests: list[tuple[str, BuildRequest]]) -> int:
    """Builds that need nothing of the Engine API (no pull, no normalisation, no inspection
    for JSON): the docker client alone, so the command starts as fast as ``docker build``."""
    from dockwright.engine.build import build

    for name, request in requests:
        result = build(request, docker=args.docker)
        if args.verbose:
            sys.stderr.write(result.log)
        print(f"builder: {result.builder.describe()}", file=sys.stderr)
        print(f"{name} {result.image_id}" if name else result.image_id)
    return 0


def _record(
    engine: DockerEngine, name: str, request: BuildRequest, result: BuildResult
) -> dict[str, object]:
    data = engine.inspect_image_data(result.image_id)
    layers = (data.get("RootFS") or {}).get("Layers") or []
    return {
        "image": name or None,
        "id": result.image_id,
        "tags": list(result.tags),
        "size": int(data.get("Size") or 0),
        "layers": len(layers),
        "platform": f"{data.get('Os', '')}/{data.get('Architecture', '')}",
        "duration": round(result.duration, 3),
        "steps": result.steps,
        "cached_steps": result.cached_steps,
        "reproducible": request.source_date_epoch is not None,
        "builder": result.builder.describe(),
    }


def _failure_record(name: str, exc: BuildFailed) -> dict[str, object]:
    return {
        "image": name or None,
        "error": str(exc),
        "step": exc.step or None,
        "file": exc.file or None,
        "line": exc.line,
        "output": list(exc.output),
    }
