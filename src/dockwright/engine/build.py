"""Builds through the docker CLI with BuildKit, because the Engine API cannot drive BuildKit.

The builder is chosen, in order: the client the user names (``DOCKWRIGHT_DOCKER`` or a ``docker:``
config value); ``docker buildx build`` when the docker on PATH has the buildx plugin; a client
whose built-in BuildKit works (docker < 23 with ``DOCKER_BUILDKIT=1``; newer clients hand
``docker build`` to buildx and fail without it). The image id comes from ``--metadata-file`` or
``--iidfile``, never from the log.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from collections.abc import Mapping

from dockwright import proc
from dockwright.engine.base import Builder, BuildRequest, BuildResult
from dockwright.errors import BuildFailed, CommandError, EngineError, UsageError

ENV_CLIENT = "DOCKWRIGHT_DOCKER"
DEBIAN_CLIENT = "/usr/bin/docker"
# Clients from 23.0 on route `docker build` to buildx; older ones have BuildKit built in.
BUILTIN_BUILDKIT_BEFORE = 23
LOG_TAIL_LINES = 30


def _client_version(client: str) -> str:
    # The client prints its own version even when no daemon answers (it then exits 1).
    try:
        result = proc.run(
            [client, "version", "--format", "{{.Client.Version}}"], check=False, timeout=30
        )
    except CommandError:
        return ""
    return result.stdout.strip()


def _has_buildx(client: str) -> bool:
    try:
        return proc.run([client, "buildx", "version"], check=False, timeout=30).returncode == 0
    except CommandError:
        return False


def _major(version: str) -> int | None:
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def _builtin_buildkit(version: str) -> bool:
    major = _major(version)
    return major is not None and major < BUILTIN_BUILDKIT_BEFORE


@functools.lru_cache(maxsize=8)
def _choose(named: str | None, path_env: str) -> Builder:
    if named:
        client = shutil.which(named)
        if client is None:
            raise UsageError(f"docker client {named!r} (from {ENV_CLIENT} or config): not found")
        version = _client_version(client)
        if _has_buildx(client):
            return Builder(client, "buildx", f"named by the user; client {version} has buildx")
        if _builtin_buildkit(version):
            return Builder(
                client, "buildkit", f"named by the user; client {version} has built-in BuildKit"
            )
        raise UsageError(
            f"docker client {client} (named by the user) cannot build with BuildKit: expected "
            f"the buildx plugin or a client older than {BUILTIN_BUILDKIT_BEFORE}.0, found client "
            f"{version or 'of unknown version'} without buildx"
        )
    on_path = shutil.which("docker", path=path_env)
    rejected: list[str] = []
    if on_path is not None:
        if _has_buildx(on_path):
            return Builder(on_path, "buildx", "the docker on PATH has the buildx plugin")
        rejected.append(f"{on_path} has no buildx plugin")
    seen: set[str] = set()
    for candidate in (on_path, DEBIAN_CLIENT):
        if candidate is None or not os.access(candidate, os.X_OK):
            continue
        real = os.path.realpath(candidate)
        if real in seen:
            continue
        seen.add(real)
        version = _client_version(candidate)
        if _builtin_buildkit(version):
            why = "; ".join([*rejected, f"client {version} has built-in BuildKit"])
            return Builder(candidate, "buildkit", why)
        rejected.append(
            f"{candidate} (client {version or 'unknown'}) has no built-in BuildKit"
            if candidate != on_path
            else f"its client {version or 'unknown'} has no built-in BuildKit"
        )
    raise EngineError(
        "no docker client can build with BuildKit ("
        + "; ".join(rejected or ["no docker on PATH"])
        + f"); install the buildx plugin, or name a client with {ENV_CLIENT}"
    )


def choose_builder(docker: str | None = None, env: Mapping[str, str] | None = None) -> Builder:
    """Pick the docker client and build mode; see the module docstring for the order."""
    env = os.environ if env is None else env
    return _choose(docker or env.get(ENV_CLIENT) or None, env.get("PATH", os.defpath))


def build_argv(builder: Builder, request: BuildRequest, id_file: str) -> list[str]:
    if builder.mode == "buildx":
        argv = [builder.client, "buildx", "build", "--load", "--metadata-file", id_file]
    else:
        argv = [builder.client, "build", "--iidfile", id_file]
    argv += ["--progress", "plain"]
    if request.dockerfile:
        dockerfile = request.dockerfile
        if not os.path.isabs(dockerfile):
            dockerfile = os.path.join(request.context, dockerfile)
        argv += ["--file", dockerfile]
    for tag in request.tags:
        argv += ["--tag", tag]
    for key, value in request.build_args.items():
        argv += ["--build-arg", f"{key}={value}"]
    if request.target:
        argv += ["--target", request.target]
    for key, value in request.labels.items():
        argv += ["--label", f"{key}={value}"]
    if request.platform:
        argv += ["--platform", request.platform]
    if request.no_cache:
        argv.append("--no-cache")
    argv.append(request.context)
    return argv


def _read_image_id(builder: Builder, id_file: str) -> str:
    try:
        with open(id_file, encoding="utf-8") as handle:
            text = handle.read().strip()
    except OSError:
        text = ""
    if builder.mode == "buildx" and text:
        meta = json.loads(text)
        text = str(meta.get("containerimage.config.digest") or meta.get("containerimage.digest"))
    if not text.startswith("sha256:"):
        raise EngineError(f"the build succeeded but {id_file} holds no image id")
    return text


def build(
    request: BuildRequest, *, docker: str | None = None, docker_host: str | None = None
) -> BuildResult:
    """Build ``request`` with the chosen builder; BuildFailed (with the log tail) on failure."""
    if not os.path.isdir(request.context):
        raise UsageError(f"build context {request.context!r}: expected a directory, found none")
    builder = choose_builder(docker)
    extra_env = {"DOCKER_BUILDKIT": "1"}
    if docker_host:
        extra_env["DOCKER_HOST"] = docker_host
    with tempfile.TemporaryDirectory(prefix="dockwright-build-") as tmp:
        id_file = os.path.join(tmp, "image.json" if builder.mode == "buildx" else "iid")
        argv = build_argv(builder, request, id_file)
        result = proc.run(argv, check=False, extra_env=extra_env)
        log = result.stdout + result.stderr
        if result.returncode != 0:
            tail = "\n".join(log.rstrip().splitlines()[-LOG_TAIL_LINES:])
            raise BuildFailed(
                f"build of {request.context} failed (exit {result.returncode}) using "
                f"{builder.describe()}:\n{tail}",
                log,
            )
        image_id = _read_image_id(builder, id_file)
    return BuildResult(image_id=image_id, builder=builder, log=log, tags=tuple(request.tags))
