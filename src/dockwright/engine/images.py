"""Images through the Docker Engine API: inspect, tag, remove, pull, push, save."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from dockwright.engine.api import NO_TIMEOUT, STREAMING, EngineAPI, ResponseReader, check
from dockwright.engine.base import ImageConfig, ImageInfo, RegistryAuth
from dockwright.errors import AuthError, EngineError, RegistryError

if TYPE_CHECKING:
    import httpx

AUTH_WORDS = ("unauthorized", "authentication required", "no basic auth credentials", "denied")
EMPTY_AUTH = "e30="  # base64url("{}"): the engine wants the header even without credentials


def image_info(data: Mapping[str, Any]) -> ImageInfo:
    """``docker image inspect``'s answer as an :class:`ImageInfo`."""
    return ImageInfo(
        id=str(data.get("Id", "")),
        repo_tags=tuple(data.get("RepoTags") or ()),
        repo_digests=tuple(data.get("RepoDigests") or ()),
        config=ImageConfig.from_json(data.get("Config")),
        created=str(data.get("Created", "")),
        size=int(data.get("Size") or 0),
        os=str(data.get("Os", "")),
        architecture=str(data.get("Architecture", "")),
    )


def _events(response: httpx.Response) -> Iterator[Mapping[str, Any]]:
    """The JSON objects of a progress stream, a line each; blank or unreadable lines skipped."""
    for line in response.iter_lines():
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            yield event


def _stream_error(event: Mapping[str, Any]) -> str:
    """The error of one line of a pull or push progress stream ('' when it reports none)."""
    return str(event.get("error") or (event.get("errorDetail") or {}).get("message") or "")


# "TAG: digest: sha256:HEX size: N", the status line that ends a push (Podman sends no aux).
_DIGEST_STATUS = re.compile(r"\bdigest: (sha256:[0-9a-f]{64})\b")


def _pushed_digest(event: Mapping[str, Any]) -> str:
    """The manifest digest one line of a push stream reports ('' when it reports none)."""
    aux = event.get("aux")
    if isinstance(aux, dict) and aux.get("Digest"):
        return str(aux["Digest"])
    match = _DIGEST_STATUS.search(str(event.get("status") or ""))
    return match.group(1) if match else ""


class ImagesMixin:
    """The image methods of :class:`dockwright.engine.docker.DockerEngine`."""

    api: EngineAPI

    def inspect_image(self, ref: str) -> ImageInfo:
        return image_info(self.inspect_image_data(ref))

    def inspect_image_data(self, ref: str) -> dict[str, Any]:
        """``docker image inspect`` as the engine sent it (e.g. GraphDriver, for the runc path)."""
        data = self.api.request("GET", f"/images/{quote(ref, safe='')}/json", "inspect", image=ref)
        return dict(data) if isinstance(data, dict) else {}

    def tag(self, image: str, repo: str, tag: str) -> None:
        self.api.request(
            "POST",
            f"/images/{quote(image, safe='')}/tag",
            f"tag {image} as {repo}:{tag}",
            image=image,
            params={"repo": repo, "tag": tag},
        )

    def remove_image(self, image: str, *, force: bool = False) -> None:
        self.api.request(
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
        headers = {"X-Registry-Auth": EMPTY_AUTH}
        what = f"pull {ref}"
        with self.api.stream(
            "POST", "/images/create", what, params=params, headers=headers, timeout=STREAMING
        ) as response:
            check(response, what)
            for event in _events(response):
                error = _stream_error(event)
                if error:
                    raise RegistryError(f"pull {ref} failed: {error}")

    def save(self, ref: str, dest: IO[bytes]) -> None:
        """Stream ``docker save REF`` (a tar archive) into ``dest`` without holding it in memory."""
        what = f"save {ref}"
        with self.api.stream(
            "GET", "/images/get", what, params={"names": ref}, timeout=STREAMING
        ) as response:
            check(response, what, image=ref)
            for chunk in response.iter_bytes(1 << 20):
                dest.write(chunk)

    def load(self, source: IO[bytes]) -> list[str]:
        """``docker load`` of a ``docker save`` archive read from ``source``; the image ids
        and tags the engine reports as loaded."""
        what = "load image"

        def chunks() -> Iterator[bytes]:
            while chunk := source.read(1 << 20):
                yield chunk

        loaded: list[str] = []
        with self.api.stream(
            "POST", "/images/load", what, params={"quiet": "1"},
            headers={"Content-Type": "application/x-tar"}, timeout=STREAMING, content=chunks(),
        ) as response:  # fmt: skip
            check(response, what)
            for event in _events(response):
                error = _stream_error(event)
                if error:
                    raise EngineError(f"load failed: {error}")
                text = str(event.get("stream") or "").strip()
                for prefix in ("Loaded image ID: ", "Loaded image: "):
                    if text.startswith(prefix):
                        loaded.append(text[len(prefix) :])
        return loaded

    def push(self, ref: str, auth: RegistryAuth | None = None) -> str:
        """Push ``ref`` (REPO[:TAG]) and return the manifest digest the registry reported."""
        from dockwright.image import ImageRef

        parsed = ImageRef.parse(ref)
        name, tag = parsed.familiar_repository, parsed.tag or "latest"
        secret = auth.password if auth else ""

        def scrub(text: str) -> str:
            return text.replace(secret, "***") if secret else text

        headers = {"X-Registry-Auth": auth.header() if auth else EMPTY_AUTH}
        what = f"push {name}:{tag}"
        digest = ""
        with self.api.stream(
            "POST", f"/images/{quote(name, safe='')}/push", what,
            params={"tag": tag}, headers=headers, timeout=NO_TIMEOUT,
        ) as response:  # fmt: skip
            check(response, what, image=f"{name}:{tag}")
            for event in _events(response):
                error = _stream_error(event)
                if error:
                    message = scrub(f"push {name}:{tag} failed: {error}")
                    if any(word in error.lower() for word in AUTH_WORDS):
                        raise AuthError(message)
                    raise RegistryError(message)
                digest = _pushed_digest(event) or digest
        if not digest:
            raise RegistryError(f"push {name}:{tag}: the engine reported no digest")
        return digest

    @contextmanager
    def export_image(self, image: str) -> Iterator[IO[bytes]]:
        """``GET /images/{name}/get``: the ``docker save`` tar stream, never held in memory."""
        what = f"export image {image}"
        with self.api.stream(
            "GET", f"/images/{quote(image, safe='')}/get", what, timeout=STREAMING
        ) as response:
            check(response, what, image=image)
            yield io.BufferedReader(ResponseReader(response), buffer_size=1 << 20)
