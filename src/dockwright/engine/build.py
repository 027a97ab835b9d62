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
import time
from collections.abc import Mapping
from pathlib import Path

from dockwright import proc
from dockwright.dockerfile.parser import parse_bytes
from dockwright.engine.base import Builder, BuildRequest, BuildResult, BuildSecret
from dockwright.engine.buildlog import count_steps, failed_step
from dockwright.errors import BuildFailed, CommandError, DockwrightError, EngineError, UsageError

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
def _choose(named: str | None, path_env: str, cache: str, docker_config: str) -> Builder:
    """The builder for ``named`` and ``path_env``, from the cache file ``cache`` while the
    clients and plugins it was chosen from are unchanged (see :mod:`.buildercache`)."""
    from dockwright.engine import buildercache

    clients = [
        c
        for c in (shutil.which(named or "docker", path=None if named else path_env), DEBIAN_CLIENT)
        if c is not None
    ]
    key = buildercache.key(named, path_env, clients, docker_config)
    remembered = buildercache.load(Path(cache), key)
    if remembered is not None:
        return remembered
    builder = _probe(named, path_env)
    buildercache.store(Path(cache), key, builder)
    return builder


def _probe(named: str | None, path_env: str) -> Builder:
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
    from dockwright.engine.buildercache import cache_file

    env = os.environ if env is None else env
    named = docker or env.get(ENV_CLIENT) or None
    path_env = env.get("PATH", os.defpath)
    docker_config = env.get("DOCKER_CONFIG") or os.path.expanduser("~/.docker")
    return _choose(named, path_env, str(cache_file(env)), docker_config)


def build_argv(builder: Builder, request: BuildRequest, id_file: str) -> list[str]:
    if builder.mode == "buildx":
        argv = [builder.client, "buildx", "build", "--load", "--metadata-file", id_file]
    else:
        argv = [builder.client, "build", "--iidfile", id_file]
    argv += ["--progress", "plain", *common_argv(request), *option_argv(builder, request)]
    argv.append(request.context)
    return argv


def common_argv(request: BuildRequest) -> list[str]:
    """The flags ``docker build`` and ``podman build`` spell alike: Dockerfile, tags, build
    args, target, labels, platform, --no-cache."""
    argv: list[str] = []
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
    return argv


def option_argv(builder: Builder, request: BuildRequest) -> list[str]:
    """The cache, secret, SSH and reproducibility flags of ``request`` for ``builder``; a
    UsageError names the option the builder cannot honour and what to install."""
    buildx = builder.mode == "buildx"
    argv: list[str] = []
    if request.platform and "," in request.platform:
        raise UsageError(
            f"platforms: {request.platform.replace(',', ', ')} make a multi-platform image "
            "index, which "
            + (
                "docker buildx can only push, not load into the engine where dockwright tests "
                "it; build one platform at a time"
                if buildx
                else f"{builder.client}'s built-in BuildKit cannot build: install the "
                "docker-buildx plugin (and QEMU binfmt handlers, e.g. Debian's "
                "qemu-user-static, for RUN on foreign platforms)"
            )
        )
    for value in request.cache_from:
        argv += ["--cache-from", value if buildx else _builtin_cache_from(builder, value)]
    for value in request.cache_to:
        if buildx:
            argv += ["--cache-to", value]
        elif _cache_type(value) == "inline":
            argv += ["--build-arg", "BUILDKIT_INLINE_CACHE=1"]
        else:
            raise UsageError(
                f"cache-to: {value!r}: {builder.client}'s built-in BuildKit exports inline cache "
                "only (type=inline, carried by the image); install the docker-buildx plugin to "
                "export to a registry or elsewhere"
            )
    for secret in request.secrets:
        argv += ["--secret", _secret_spec(secret)]
    for ssh in request.ssh:
        if ssh.split("=", 1)[0] == ssh and not os.environ.get("SSH_AUTH_SOCK"):
            raise UsageError(
                f"ssh: {ssh!r} forwards the SSH agent, but SSH_AUTH_SOCK is not set; start an "
                f"agent (ssh-agent) or name a socket or key: {ssh}=PATH"
            )
        argv += ["--ssh", ssh]
    if request.source_date_epoch is not None:
        argv += ["--build-arg", f"SOURCE_DATE_EPOCH={request.source_date_epoch}"]
    return argv


def _cache_fields(value: str) -> dict[str, str]:
    if "=" not in value.split(",", 1)[0]:
        return {"type": "registry", "ref": value}
    return dict(item.partition("=")[::2] for item in value.split(","))


def _cache_type(value: str) -> str:
    return _cache_fields(value).get("type", "")


def _builtin_cache_from(builder: Builder, value: str) -> str:
    fields = _cache_fields(value)
    if fields.get("type") == "registry" and fields.get("ref"):
        return fields["ref"]
    raise UsageError(
        f"cache-from: {value!r}: {builder.client}'s built-in BuildKit imports cache from an "
        "image only (REF or type=registry,ref=REF, with inline cache); install the "
        "docker-buildx plugin for other cache types"
    )


def _secret_spec(secret: BuildSecret) -> str:
    """``id=...,env=VAR`` or ``id=...,src=FILE``: the secret's source, never its value."""
    if secret.env is not None:
        if secret.env not in os.environ:
            raise UsageError(
                f"secrets: {secret.id!r}: environment variable {secret.env} is not set"
            )
        return f"id={secret.id},env={secret.env}"
    if secret.file is None or not os.path.isfile(secret.file):
        raise UsageError(
            f"secrets: {secret.id!r}: expected a file, found none at {secret.file or '(none)'}"
        )
    return f"id={secret.id},src={secret.file}"


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
    """Build ``request`` with the chosen builder; BuildFailed (the failing instruction with its
    Dockerfile line, and the log tail) on failure."""
    if not os.path.isdir(request.context):
        raise UsageError(f"build context {request.context!r}: expected a directory, found none")
    builder = choose_builder(docker)
    extra_env = {"DOCKER_BUILDKIT": "1"}
    if docker_host:
        extra_env["DOCKER_HOST"] = docker_host
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dockwright-build-") as tmp:
        id_file = os.path.join(tmp, "image.json" if builder.mode == "buildx" else "iid")
        argv = build_argv(builder, request, id_file)
        result = proc.run(argv, check=False, extra_env=extra_env)
        log = scrub_secrets(result.stdout + result.stderr, request)
        if result.returncode != 0:
            raise build_failure(request, builder, result.returncode, log)
        image_id = _read_image_id(builder, id_file)
    counts = count_steps(log)
    return BuildResult(
        image_id=image_id,
        builder=builder,
        log=log,
        tags=tuple(request.tags),
        duration=time.monotonic() - started,
        steps=counts.steps,
        cached_steps=counts.cached,
    )


def scrub_secrets(text: str, request: BuildRequest) -> str:
    """``text`` with the value of every secret of ``request`` (a step may print one) masked."""
    for secret in request.secrets:
        value = ""
        if secret.env is not None:
            value = os.environ.get(secret.env, "")
        elif secret.file is not None:
            try:
                with open(secret.file, encoding="utf-8", errors="replace") as handle:
                    value = handle.read(1 << 16)
            except OSError:
                value = ""
        for part in {value, value.strip()}:
            if len(part) >= 3:  # masking "a" or "" would mangle the log, not protect anything
                text = text.replace(part, "***")
    return text


def build_failure(request: BuildRequest, builder: Builder, code: int, log: str) -> BuildFailed:
    """The error of a failed build: the failing instruction with its Dockerfile line, its
    last output and BuildKit's summary (else the log's tail), and a hint where one helps."""
    from dockwright.engine.pull import dockerfile_path

    path = dockerfile_path(request)
    try:
        with open(path, "rb") as handle:
            dockerfile = parse_bytes(handle.read(), path)
    except (OSError, DockwrightError):
        dockerfile = None
    step = failed_step(log, dockerfile)
    head = f"build of {request.context} failed (exit {code}) using {builder.describe()}"
    if step is None:
        tail = "\n".join(log.rstrip().splitlines()[-LOG_TAIL_LINES:])
        return BuildFailed(f"{head}:\n{tail}", log)
    where = f"{path}:{step.line}: " if step.line is not None else f"{path}: "
    lines = [head, f"{where}{step.name}"]
    if step.output:
        lines += ["last output:", *(f"  {line}" for line in step.output)]
    # BuildKit's own summary after the step: "executor failed running [...]: exit code: 1"
    summary = [line for line in log.splitlines() if not line.startswith("#")][-5:]
    lines += [x for x in summary if x.strip() and x != "------" and not x.startswith(" > ")]
    if request.platform and "exec format error" in log:
        lines.append(
            f"a RUN step for {request.platform} needs QEMU binfmt handlers on the engine's host "
            "to run programs of that platform (Debian: qemu-user-static), or a stage "
            "FROM --platform=$BUILDPLATFORM for what runs at build time"
        )
    return BuildFailed(
        "\n".join(lines), log, step=step.name, file=path, line=step.line, output=step.output
    )
