"""Containers through the Docker Engine API: create, start, wait, kill, logs, remove, commit."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from dockwright.engine.api import EngineAPI
from dockwright.engine.base import ContainerSpec, RunResult
from dockwright.errors import EngineError


def demultiplex(data: bytes) -> tuple[bytes, bytes]:
    """Split Docker's multiplexed log stream (8-byte frame headers) into stdout and stderr."""
    out, err = bytearray(), bytearray()
    pos = 0
    while pos + 8 <= len(data):
        stream = data[pos]
        size = int.from_bytes(data[pos + 4 : pos + 8], "big")
        chunk = data[pos + 8 : pos + 8 + size]
        (err if stream == 2 else out).extend(chunk)
        pos += 8 + size
    return bytes(out), bytes(err)


class ContainersMixin:
    """The container methods of :class:`dockwright.engine.docker.DockerEngine`."""

    api: EngineAPI

    def create_container(self, spec: ContainerSpec) -> str:
        body: dict[str, Any] = {
            "Image": spec.image,
            "Env": list(spec.env),
            "Tty": spec.tty,
            "Labels": dict(spec.labels),
            "HostConfig": {
                "CapAdd": list(spec.cap_add) or None,
                "Binds": list(spec.binds) or None,
                "Privileged": spec.privileged,
            },
        }
        if spec.runtime:
            body["HostConfig"]["Runtime"] = spec.runtime
        if spec.command is not None:
            body["Cmd"] = list(spec.command)
        if spec.entrypoint is not None:
            body["Entrypoint"] = list(spec.entrypoint)
        if spec.user is not None:
            body["User"] = spec.user
        if spec.workdir is not None:
            body["WorkingDir"] = spec.workdir
        data = self.api.request(
            "POST",
            "/containers/create",
            "create container",
            image=spec.image,
            json_body=body,
            params={"platform": spec.platform} if spec.platform else None,
        )
        return str(data["Id"])

    def start_container(self, container: str) -> None:
        self.api.request("POST", f"/containers/{container}/start", "start container")

    def wait_container(self, container: str, timeout: float | None = None) -> int | None:
        """The exit code, or None when ``timeout`` seconds pass first."""
        try:
            data = self.api.request(
                "POST",
                f"/containers/{container}/wait",
                "wait for container",
                params={"condition": "not-running"},
                timeout=httpx.Timeout(timeout, connect=5.0),
            )
        except EngineError as exc:
            if isinstance(exc.__cause__, httpx.ReadTimeout):
                return None
            raise
        return int(data.get("StatusCode", -1))

    def kill_container(self, container: str) -> None:
        try:
            self.api.request("POST", f"/containers/{container}/kill", "kill container")
        except EngineError as exc:
            if "is not running" not in str(exc):
                raise

    def container_logs(self, container: str, *, tty: bool) -> tuple[str, str]:
        raw = self.api.request(
            "GET",
            f"/containers/{container}/logs",
            "read container logs",
            params={"stdout": 1, "stderr": 1},
            expect_json=False,
        )
        if tty:
            return raw.decode(errors="replace"), ""
        out, err = demultiplex(raw)
        return out.decode(errors="replace"), err.decode(errors="replace")

    def remove_container(self, container: str) -> None:
        self.api.request(
            "DELETE",
            f"/containers/{container}",
            "remove container",
            params={"force": 1, "v": 1},
            expect_json=False,
        )

    def run(
        self,
        image: str,
        command: Sequence[str] | None = None,
        *,
        entrypoint: Sequence[str] | None = None,
        env: Sequence[str] = (),
        user: str | None = None,
        workdir: str | None = None,
        tty: bool = False,
        cap_add: Sequence[str] = (),
        binds: Sequence[str] = (),
        labels: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> RunResult:
        """create -> start -> wait (kill when ``timeout`` expires) -> logs -> remove."""
        spec = ContainerSpec(
            image=image,
            command=command,
            entrypoint=entrypoint,
            env=env,
            user=user,
            workdir=workdir,
            tty=tty,
            cap_add=cap_add,
            binds=binds,
            labels=labels or {},
        )
        started = time.monotonic()
        container = self.create_container(spec)
        try:
            self.start_container(container)
            code = self.wait_container(container, timeout)
            timed_out = code is None
            if code is None:
                self.kill_container(container)
                code = self.wait_container(container, 30.0)
            stdout, stderr = self.container_logs(container, tty=tty)
        finally:
            self.remove_container(container)
        return RunResult(
            exit_code=-1 if code is None else code,
            stdout=stdout,
            stderr=stderr,
            timed_out=timed_out,
            duration=time.monotonic() - started,
        )

    def commit(self, container: str, labels: Mapping[str, str] | None = None) -> str:
        data = self.api.request(
            "POST",
            "/commit",
            "commit container",
            params={"container": container},
            json_body={"Labels": dict(labels or {})},
        )
        return str(data["Id"])
