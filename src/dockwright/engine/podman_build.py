"""Builds through the ``podman build`` CLI (Buildah inside Podman), for :class:`PodmanEngine`.

Podman's Engine API has no BuildKit, and its Docker-compatible build endpoint wants the context
sent as a tar; the CLI reads the context in place and writes the image straight into the
storage the Podman service serves. With a ``tcp://`` service the CLI builds through it
(``podman --remote``). The image id comes from ``--iidfile``, never from the log.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass

from dockwright import proc
from dockwright.engine.base import Builder, BuildRequest, BuildResult
from dockwright.engine.build import common_argv, scrub_secrets
from dockwright.errors import BuildFailed, EngineError, UsageError

ENV_CLIENT = "DOCKWRIGHT_PODMAN"
LOG_TAIL_LINES = 30


@dataclass(frozen=True)
class PodmanBuilder(Builder):
    """The podman executable that builds (``mode`` is always ``"podman"``)."""

    def describe(self) -> str:
        return f"{self.client} (podman build): {self.reason}"


def choose_builder(podman: str | None = None) -> PodmanBuilder:
    """The podman named (argument, then ``DOCKWRIGHT_PODMAN``), else the one on PATH."""
    named = podman or os.environ.get(ENV_CLIENT) or None
    client = shutil.which(named or "podman")
    if client is None:
        if named:
            raise UsageError(f"podman client {named!r} (from {ENV_CLIENT} or config): not found")
        raise EngineError(
            f"no podman on PATH to build with; install Podman or name one with {ENV_CLIENT}"
        )
    reason = "named by the user" if named else "the podman on PATH"
    return PodmanBuilder(client, "podman", reason)


def build_argv(
    builder: Builder, request: BuildRequest, id_file: str, *, remote: str | None = None
) -> list[str]:
    """``podman [--remote --url URL] build ...`` for ``request``, the image id to ``id_file``."""
    argv = [builder.client]
    if remote:
        argv += ["--remote", "--url", remote]
    # docker format: an OCI image config has no HEALTHCHECK, SHELL nor STOPSIGNAL, which Docker
    # keeps; no io.buildah.version label, which Docker does not add
    argv += ["build", "--iidfile", id_file, "--format", "docker", "--identity-label=false"]
    argv += common_argv(request)
    argv += _cache_argv(request)
    for secret in request.secrets:
        source = f"env={secret.env}" if secret.env else f"src={secret.file}"
        argv += ["--secret", f"id={secret.id},{source}"]
    for ssh in request.ssh:
        argv += ["--ssh", ssh]
    argv.append(request.context)
    return argv


def _cache_argv(request: BuildRequest) -> list[str]:
    # Buildah's --cache-from takes a repository of cached layers; BuildKit's exporters
    # (type=registry, type=local, inline) have no Podman equivalent.
    out: list[str] = []
    for ref in request.cache_from:
        if "=" in ref:
            raise UsageError(
                f"cache-from {ref!r}: podman build takes a repository name here, "
                "not BuildKit's type=... form; use the Docker engine for it"
            )
        out += ["--cache-from", ref]
    if request.cache_to:
        raise UsageError(
            f"cache-to {request.cache_to[0]!r}: podman build cannot export BuildKit caches; "
            "remove cache-to or use the Docker engine"
        )
    return out


def read_image_id(id_file: str) -> str:
    """The id ``--iidfile`` holds, as ``sha256:HEX`` (some podman versions write bare hex)."""
    try:
        with open(id_file, encoding="utf-8") as handle:
            text = handle.read().strip()
    except OSError:
        text = ""
    if text and ":" not in text:
        text = "sha256:" + text
    if not text.startswith("sha256:") or len(text) != 71:
        raise EngineError(f"the build succeeded but {id_file} holds no image id")
    return text


def build(
    request: BuildRequest, *, podman: str | None = None, remote: str | None = None
) -> BuildResult:
    """Build ``request`` with podman; BuildFailed (with the log tail) on failure."""
    if not os.path.isdir(request.context):
        raise UsageError(f"build context {request.context!r}: expected a directory, found none")
    builder = choose_builder(podman)
    with tempfile.TemporaryDirectory(prefix="dockwright-build-") as tmp:
        id_file = os.path.join(tmp, "iid")
        argv = build_argv(builder, request, id_file, remote=remote)
        result = proc.run(argv, check=False)
        log = scrub_secrets(result.stdout + result.stderr, request)
        if result.returncode != 0:
            tail = "\n".join(log.rstrip().splitlines()[-LOG_TAIL_LINES:])
            raise BuildFailed(
                f"build of {request.context} failed (exit {result.returncode}) using "
                f"{builder.describe()}:\n{tail}",
                log,
            )
        image_id = read_image_id(id_file)
    return BuildResult(image_id=image_id, builder=builder, log=log, tags=tuple(request.tags))
