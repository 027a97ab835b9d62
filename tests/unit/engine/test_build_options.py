"""Cache, secret, SSH, platform and reproducibility options as each builder takes them, and the
errors for what a builder cannot do."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.engine.base import Builder, BuildRequest, BuildSecret
from dockwright.engine.build import option_argv
from dockwright.engine.pull import base_images
from dockwright.errors import UsageError

KIT = Builder("/usr/bin/docker", "buildkit", "r")
BUILDX = Builder("docker", "buildx", "r")


def test_registry_cache_from_is_an_image_ref_for_the_builtin_buildkit() -> None:
    request = BuildRequest(
        context=".", cache_from=("reg:5000/app:cache", "type=registry,ref=reg:5000/app:main")
    )
    assert option_argv(KIT, request) == [
        "--cache-from", "reg:5000/app:cache", "--cache-from", "reg:5000/app:main",
    ]  # fmt: skip
    assert option_argv(BUILDX, request) == [
        "--cache-from", "reg:5000/app:cache",
        "--cache-from", "type=registry,ref=reg:5000/app:main",
    ]  # fmt: skip


def test_inline_cache_is_a_build_arg_for_the_builtin_buildkit() -> None:
    request = BuildRequest(context=".", cache_to=("type=inline",))
    assert option_argv(KIT, request) == ["--build-arg", "BUILDKIT_INLINE_CACHE=1"]
    assert option_argv(BUILDX, request) == ["--cache-to", "type=inline"]


def test_registry_cache_export_needs_buildx() -> None:
    request = BuildRequest(context=".", cache_to=("type=registry,ref=reg/app:cache",))
    with pytest.raises(UsageError) as info:
        option_argv(KIT, request)
    assert str(info.value) == (
        "cache-to: 'type=registry,ref=reg/app:cache': /usr/bin/docker's built-in BuildKit "
        "exports inline cache only (type=inline, carried by the image); install the "
        "docker-buildx plugin to export to a registry or elsewhere"
    )
    assert option_argv(BUILDX, request) == ["--cache-to", "type=registry,ref=reg/app:cache"]


def test_local_cache_import_needs_buildx() -> None:
    with pytest.raises(UsageError) as info:
        option_argv(KIT, BuildRequest(context=".", cache_from=("type=local,src=/tmp/c",)))
    assert str(info.value) == (
        "cache-from: 'type=local,src=/tmp/c': /usr/bin/docker's built-in BuildKit imports cache "
        "from an image only (REF or type=registry,ref=REF, with inline cache); install the "
        "docker-buildx plugin for other cache types"
    )


def test_secrets_are_passed_by_source_never_by_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NPM_TOKEN", "s3cr3t-value")
    token = tmp_path / "token"
    token.write_text("file-secret")
    request = BuildRequest(
        context=".",
        secrets=(BuildSecret("npm", env="NPM_TOKEN"), BuildSecret("pip", file=str(token))),
    )
    argv = option_argv(KIT, request)
    assert argv == ["--secret", "id=npm,env=NPM_TOKEN", "--secret", f"id=pip,src={token}"]
    assert "s3cr3t-value" not in " ".join(argv) and "file-secret" not in " ".join(argv)


def test_a_secret_whose_source_is_missing_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_SUCH_TOKEN", raising=False)
    with pytest.raises(UsageError) as info:
        option_argv(
            KIT, BuildRequest(context=".", secrets=(BuildSecret("t", env="NO_SUCH_TOKEN"),))
        )
    assert str(info.value) == "secrets: 't': environment variable NO_SUCH_TOKEN is not set"
    missing = tmp_path / "absent"
    with pytest.raises(UsageError) as info:
        option_argv(KIT, BuildRequest(context=".", secrets=(BuildSecret("f", file=str(missing)),)))
    assert str(info.value) == f"secrets: 'f': expected a file, found none at {missing}"


def test_ssh_default_needs_an_agent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    with pytest.raises(UsageError) as info:
        option_argv(KIT, BuildRequest(context=".", ssh=("default",)))
    assert str(info.value) == (
        "ssh: 'default' forwards the SSH agent, but SSH_AUTH_SOCK is not set; start an agent "
        "(ssh-agent) or name a socket or key: default=PATH"
    )
    assert option_argv(KIT, BuildRequest(context=".", ssh=("git=/k/id",))) == ["--ssh", "git=/k/id"]
    monkeypatch.setenv("SSH_AUTH_SOCK", "/tmp/agent.sock")
    assert option_argv(KIT, BuildRequest(context=".", ssh=("default",))) == ["--ssh", "default"]


def test_several_platforms_need_buildx_and_qemu() -> None:
    request = BuildRequest(context=".", platform="linux/amd64,linux/arm64")
    with pytest.raises(UsageError) as info:
        option_argv(KIT, request)
    assert str(info.value) == (
        "platforms: linux/amd64, linux/arm64 make a multi-platform image index, which "
        "/usr/bin/docker's built-in BuildKit cannot build: install the docker-buildx plugin "
        "(and QEMU binfmt handlers, e.g. Debian's qemu-user-static, for RUN on foreign "
        "platforms)"
    )
    with pytest.raises(UsageError) as info:
        option_argv(BUILDX, request)
    assert str(info.value) == (
        "platforms: linux/amd64, linux/arm64 make a multi-platform image index, which docker "
        "buildx can only push, not load into the engine where dockwright tests it; build one "
        "platform at a time"
    )


def test_source_date_epoch_is_a_build_arg() -> None:
    request = BuildRequest(context=".", source_date_epoch=1700000000)
    assert option_argv(KIT, request) == ["--build-arg", "SOURCE_DATE_EPOCH=1700000000"]


def test_base_images_expand_args_and_skip_stages_and_scratch(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(
        "ARG BASE=dockwright.local/debian\nARG TAG=bookworm\n"
        "FROM ${BASE}:${TAG} AS build\nRUN true\n"
        "FROM build AS test\nFROM scratch\nCOPY --from=build /x /x\n"
        "FROM dockwright.local/debian:bookworm\n"
    )
    request = BuildRequest(context=str(tmp_path), build_args={"TAG": "trixie"})
    assert base_images(request) == [
        "dockwright.local/debian:trixie",
        "dockwright.local/debian:bookworm",
    ]


def test_only_a_digest_of_the_same_repository_says_an_image_came_from_a_registry() -> None:
    from dockwright.engine.pull import from_registry

    digest = "sha256:" + "a" * 64
    assert from_registry("busybox:1.35", (f"busybox@{digest}",))
    assert from_registry("docker.io/library/busybox", (f"busybox@{digest}",))
    assert not from_registry("dockwright.local/busybox:1.35", (f"127.0.0.1:5000/x@{digest}",))
    assert not from_registry("dockwright.local/busybox:1.35", ())


def test_a_foreign_run_that_cannot_execute_says_what_to_install(tmp_path: Path) -> None:
    from dockwright.engine.build import build_failure

    (tmp_path / "Dockerfile").write_text("FROM base\nRUN make\n")
    log = (
        "#5 [2/2] RUN make\n#5 0.101 exec /bin/sh: exec format error\n"
        "#5 ERROR: executor failed running [/bin/sh -c make]: exit code: 1\n"
        "------\n > [2/2] RUN make:\n------\n"
        "executor failed running [/bin/sh -c make]: exit code: 1\n"
    )
    request = BuildRequest(context=str(tmp_path), platform="linux/arm64")
    failure = build_failure(request, KIT, 1, log)
    assert str(failure) == (
        "build of " + str(tmp_path) + " failed (exit 1) using /usr/bin/docker (DOCKER_BUILDKIT=1 "
        f"docker build): r\n{tmp_path}/Dockerfile:2: [2/2] RUN make\nlast output:\n"
        "  exec /bin/sh: exec format error\n"
        "executor failed running [/bin/sh -c make]: exit code: 1\n"
        "a RUN step for linux/arm64 needs QEMU binfmt handlers on the engine's host to run "
        "programs of that platform (Debian: qemu-user-static), or a stage "
        "FROM --platform=$BUILDPLATFORM for what runs at build time"
    )
    assert (failure.step, failure.line, failure.output) == (
        "[2/2] RUN make",
        2,
        ("exec /bin/sh: exec format error",),
    )
