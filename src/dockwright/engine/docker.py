"""Docker through its Engine API (httpx over the unix socket or TCP); builds go through the CLI.

Every httpx/socket failure is mapped onto :mod:`dockwright.errors` in :func:`_api_errors`, the one
boundary of this backend.
"""

from __future__ import annotations

import base64
import io
import json
import os
import tarfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import IO, Any
from urllib.parse import quote

import httpx

from dockwright.engine.api import (
    DEFAULT_HOST,
    MAX_API_VERSION,
    _api_errors,
    _api_tuple,
    _check,
    _ResponseReader,
)
from dockwright.engine.archive import _go_mode_bits, _go_mode_type, _PathMissing, _tar_type
from dockwright.engine.base import (
    BuildRequest,
    BuildResult,
    ContainerSpec,
    EngineVersion,
    ImageInfo,
    PathStat,
    RegistryAuth,
    RunResult,
)
from dockwright.engine.containers import demultiplex
from dockwright.engine.images import _AUTH_WORDS, _EMPTY_AUTH, _image_info
from dockwright.errors import (
    AuthError,
    EngineError,
    PathNotFound,
    RegistryError,
    UsageError,
)


class DockerEngine:
    """The Docker engine: Engine API for everything but builds (BuildKit needs the CLI)."""

    def __init__(self, host: str | None = None, *, docker_client: str | None = None) -> None:
        self.host = host or os.environ.get("DOCKER_HOST") or DEFAULT_HOST
        self.docker_client = docker_client
        # Both forms speak plain HTTP to the daemon: there is no certificate to verify.
        if self.host.startswith("unix://"):
            transport = httpx.HTTPTransport(uds=self.host[len("unix://") :], verify=False)
            base_url = "http://docker"
        elif self.host.startswith("tcp://"):
            transport = httpx.HTTPTransport(verify=False)
            base_url = "http://" + self.host[len("tcp://") :]
        else:
            raise UsageError(
                f"unsupported DOCKER_HOST {self.host!r}: expected unix:///PATH or tcp://HOST:PORT"
            )
        self._client = httpx.Client(
            transport=transport, base_url=base_url, timeout=httpx.Timeout(60.0, connect=5.0)
        )
        self._api_prefix: str | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> DockerEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -----------------------------------------------------------------------------

    def _prefix(self) -> str:
        with self._lock:
            if self._api_prefix is None:
                version = self.version().api_version
                chosen = min(version, MAX_API_VERSION, key=_api_tuple)
                self._api_prefix = f"/v{chosen}"
            return self._api_prefix

    def _request(
        self,
        method: str,
        path: str,
        what: str,
        *,
        image: str | None = None,
        params: Mapping[str, str | int] | None = None,
        json_body: object = None,
        timeout: float | httpx.Timeout | None = None,
        expect_json: bool = True,
    ) -> Any:
        url = self._prefix() + path
        kwargs: dict[str, Any] = {"params": params, "json": json_body}
        if timeout is not None:
            kwargs["timeout"] = timeout
        with _api_errors(self.host, what):
            response = self._client.request(method, url, **kwargs)
            _check(response, what, image=image)
            if not expect_json or not response.content:
                return response.content
            return response.json()

    # -- daemon -------------------------------------------------------------------------------

    def version(self) -> EngineVersion:
        with _api_errors(self.host, "version"):
            response = self._client.get("/version")
            _check(response, "version")
            data = response.json()
        return EngineVersion(
            version=str(data.get("Version", "")),
            api_version=str(data.get("ApiVersion", "")),
            min_api_version=str(data.get("MinAPIVersion", "")),
            os=str(data.get("Os", "")),
            arch=str(data.get("Arch", "")),
        )

    def ping(self) -> None:
        with _api_errors(self.host, "ping"):
            _check(self._client.get("/_ping"), "ping")

    # -- images -------------------------------------------------------------------------------

    def build(self, request: BuildRequest) -> BuildResult:
        from dockwright.engine.build import build

        return build(request, docker=self.docker_client, docker_host=self.host)

    def inspect_image(self, ref: str) -> ImageInfo:
        return _image_info(self.inspect_image_data(ref))

    def inspect_image_data(self, ref: str) -> dict[str, Any]:
        """``docker image inspect`` as the engine sent it (e.g. GraphDriver, for the runc path)."""
        data = self._request("GET", f"/images/{quote(ref, safe='')}/json", "inspect", image=ref)
        return dict(data) if isinstance(data, dict) else {}

    def tag(self, image: str, repo: str, tag: str) -> None:
        self._request(
            "POST",
            f"/images/{quote(image, safe='')}/tag",
            f"tag {image} as {repo}:{tag}",
            image=image,
            params={"repo": repo, "tag": tag},
        )

    def remove_image(self, image: str, *, force: bool = False) -> None:
        self._request(
            "DELETE",
            f"/images/{quote(image, safe='')}",
            f"remove image {image}",
            image=image,
            params={"force": int(force), "noprune": 0},
        )

    def pull(self, ref: str, *, platform: str | None = None) -> None:
        """Pull ``ref`` through the daemon (its own credentials and mirrors apply)."""
        from dockwright.image import ImageRef

        parsed = ImageRef.parse(ref)
        params: dict[str, str] = {"fromImage": parsed.familiar_repository}
        params["tag"] = str(parsed.digest) if parsed.digest else (parsed.tag or "latest")
        if platform:
            params["platform"] = platform
        url = self._prefix() + "/images/create"
        with (
            _api_errors(self.host, f"pull {ref}"),
            self._client.stream(
                "POST", url, params=params, headers={"X-Registry-Auth": _EMPTY_AUTH},
                timeout=httpx.Timeout(None, connect=5.0),
            ) as response,
        ):  # fmt: skip
            _check(response, f"pull {ref}")
            for line in response.iter_lines():
                try:
                    event = json.loads(line) if line.strip() else {}
                except ValueError:
                    continue
                error = event.get("error") or (event.get("errorDetail") or {}).get("message")
                if error:
                    raise RegistryError(f"pull {ref} failed: {error}")

    def save(self, ref: str, dest: IO[bytes]) -> None:
        """Stream ``docker save REF`` (a tar archive) into ``dest`` without holding it in memory."""
        url = self._prefix() + "/images/get"
        with (
            _api_errors(self.host, f"save {ref}"),
            self._client.stream(
                "GET", url, params={"names": ref}, timeout=httpx.Timeout(None, connect=5.0)
            ) as response,
        ):
            _check(response, f"save {ref}", image=ref)
            for chunk in response.iter_bytes(1 << 20):
                dest.write(chunk)

    def push(self, ref: str, auth: RegistryAuth | None = None) -> str:
        """Push ``ref`` (REPO[:TAG]) and return the manifest digest the registry reported."""
        from dockwright.image import ImageRef

        parsed = ImageRef.parse(ref)
        name, tag = parsed.familiar_repository, parsed.tag or "latest"
        secret = auth.password if auth else ""

        def scrub(text: str) -> str:
            return text.replace(secret, "***") if secret else text

        url = self._prefix() + f"/images/{quote(name, safe='')}/push"
        headers = {"X-Registry-Auth": auth.header() if auth else _EMPTY_AUTH}
        digest = ""
        with (
            _api_errors(self.host, f"push {name}:{tag}"),
            self._client.stream(
                "POST", url, params={"tag": tag}, headers=headers, timeout=httpx.Timeout(None)
            ) as response,
        ):
            _check(response, f"push {name}:{tag}", image=f"{name}:{tag}")
            for line in response.iter_lines():
                if not line.strip():
                    continue
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                error = event.get("error") or (event.get("errorDetail") or {}).get("message")
                if error:
                    message = scrub(f"push {name}:{tag} failed: {error}")
                    if any(word in str(error).lower() for word in _AUTH_WORDS):
                        raise AuthError(message)
                    raise RegistryError(message)
                aux = event.get("aux")
                if isinstance(aux, dict) and aux.get("Digest"):
                    digest = str(aux["Digest"])
        if not digest:
            raise RegistryError(f"push {name}:{tag}: the engine reported no digest")
        return digest

    @contextmanager
    def export_image(self, image: str) -> Iterator[IO[bytes]]:
        """``GET /images/{name}/get``: the ``docker save`` tar stream, never held in memory."""
        url = self._prefix() + f"/images/{quote(image, safe='')}/get"
        what = f"export image {image}"
        with (
            _api_errors(self.host, what),
            self._client.stream("GET", url, timeout=httpx.Timeout(None, connect=5.0)) as response,
        ):
            _check(response, what, image=image)
            yield io.BufferedReader(_ResponseReader(response), buffer_size=1 << 20)

    # -- containers ---------------------------------------------------------------------------

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
        data = self._request(
            "POST",
            "/containers/create",
            "create container",
            image=spec.image,
            json_body=body,
            params={"platform": spec.platform} if spec.platform else None,
        )
        return str(data["Id"])

    def start_container(self, container: str) -> None:
        self._request("POST", f"/containers/{container}/start", "start container")

    def wait_container(self, container: str, timeout: float | None = None) -> int | None:
        """The exit code, or None when ``timeout`` seconds pass first."""
        try:
            data = self._request(
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
            self._request("POST", f"/containers/{container}/kill", "kill container")
        except EngineError as exc:
            if "is not running" not in str(exc):
                raise

    def container_logs(self, container: str, *, tty: bool) -> tuple[str, str]:
        raw = self._request(
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
        self._request(
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
        data = self._request(
            "POST",
            "/commit",
            "commit container",
            params={"container": container},
            json_body={"Labels": dict(labels or {})},
        )
        return str(data["Id"])

    # -- files --------------------------------------------------------------------------------

    @contextmanager
    def get_archive(self, container: str, path: str) -> Iterator[IO[bytes]]:
        """The tar stream of ``path`` in ``container`` (GET /containers/{id}/archive)."""
        url = self._prefix() + f"/containers/{container}/archive"
        what = f"read {path} from container"
        with (
            _api_errors(self.host, what),
            self._client.stream("GET", url, params={"path": path}) as response,
        ):
            if response.status_code == 404:
                raise PathNotFound(f"Could not find the file {path} in container {container}")
            _check(response, what)
            yield io.BufferedReader(_ResponseReader(response))

    def _first_member(self, container: str, path: str, *, content: bool) -> tuple[PathStat, bytes]:
        with (
            self.get_archive(container, path) as stream,
            tarfile.open(fileobj=stream, mode="r|") as archive,
        ):
            member = archive.next()
            if member is None:
                raise EngineError(f"read {path}: the engine sent an empty archive")
            data = b""
            if content and member.isreg():
                handle = archive.extractfile(member)
                data = handle.read() if handle else b""
        stat = PathStat(
            path=path,
            type=_tar_type(member),
            mode=member.mode & 0o7777,
            uid=member.uid,
            gid=member.gid,
            size=member.size,
            link_target=member.linkname,
        )
        return stat, data

    def stat_path(self, container: str, path: str, *, owner: bool = True) -> PathStat | None:
        """lstat ``path``; None if it does not exist.

        With ``owner`` the archive's first tar header is read (it carries uid/gid); without, a
        HEAD request returns the engine's own stat (no owners, uid/gid -1) about 20x faster,
        because the engine does not build an archive.
        """
        if owner:
            try:
                return self._first_member(container, path, content=False)[0]
            except _PathMissing:
                return None
        url = self._prefix() + f"/containers/{container}/archive"
        what = f"stat {path} in container"
        with _api_errors(self.host, what):
            response = self._client.head(url, params={"path": path})
        if response.status_code == 404:
            return None
        _check(response, what)
        header = response.headers.get("X-Docker-Container-Path-Stat", "")
        try:
            data = json.loads(base64.b64decode(header))
            mode = int(data["mode"])
        except (ValueError, KeyError, TypeError) as exc:
            raise EngineError(f"{what}: the engine sent an unreadable stat header") from exc
        return PathStat(
            path=path,
            type=_go_mode_type(mode),
            mode=_go_mode_bits(mode),
            uid=-1,
            gid=-1,
            size=int(data.get("size") or 0),
            link_target=str(data.get("linkTarget") or ""),
        )

    def read_file(self, container: str, path: str) -> bytes | None:
        try:
            return self._first_member(container, path, content=True)[1]
        except _PathMissing:
            return None
