"""An in-memory /v2/ registry for httpx.MockTransport: blobs, uploads (monolithic, chunked),
mounts, manifests, tag pagination, and hooks to inject faults. Unit tests of protocol logic only;
the real registry is exercised by the integration tests."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

import httpx

Fault = Callable[[httpx.Request], httpx.Response | None]


@dataclass
class FakeRegistry:
    user: str | None = None
    password: str | None = None
    blobs: dict[str, dict[str, bytes]] = field(default_factory=dict)  # repo -> digest -> data
    manifests: dict[str, dict[str, tuple[bytes, str]]] = field(default_factory=dict)
    uploads: dict[str, bytearray] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    page: int = 2
    _ids: count[int] = field(default_factory=lambda: count(1))

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        self.log.append(f"{request.method} {request.url.path}")
        for fault in self.faults:
            answer = fault(request)
            if answer is not None:
                return answer
        if self.user is not None:
            want = "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            if request.headers.get("authorization") != want:
                return httpx.Response(401, headers={"WWW-Authenticate": 'Basic realm="fake"'})
        path = request.url.path
        if path == "/v2/":
            return httpx.Response(200, json={})
        m = re.fullmatch(r"/v2/(.+)/(blobs|manifests|tags)/(.*)", path)
        if not m:
            return httpx.Response(404)
        repo, kind, rest = m.groups()
        if kind == "blobs":
            return self._blobs(request, repo, rest, body)
        if kind == "manifests":
            return self._manifests(request, repo, rest, body)
        return self._tags(request, repo)

    def _blobs(self, request: httpx.Request, repo: str, rest: str, body: bytes) -> httpx.Response:
        store = self.blobs.setdefault(repo, {})
        if not rest.startswith("uploads"):
            if rest in store:
                return httpx.Response(200, headers={"Content-Length": str(len(store[rest]))})
            return httpx.Response(404)
        upload_id = rest[len("uploads/") :]
        if request.method == "POST":
            mount, source = request.url.params.get("mount"), request.url.params.get("from")
            if mount and source and mount in self.blobs.get(source, {}):
                store[mount] = self.blobs[source][mount]
                return httpx.Response(201)
            new = str(next(self._ids))
            self.uploads[new] = bytearray()
            return httpx.Response(
                202, headers={"Location": f"/v2/{repo}/blobs/uploads/{new}", "Range": "0-0"}
            )
        if upload_id not in self.uploads:
            return httpx.Response(404, json={"errors": [{"code": "BLOB_UPLOAD_UNKNOWN"}]})
        data = self.uploads[upload_id]
        location = {"Location": f"/v2/{repo}/blobs/uploads/{upload_id}"}
        if request.method == "GET":
            return httpx.Response(204, headers={**location, "Range": f"0-{max(0, len(data) - 1)}"})
        if request.method == "DELETE":
            del self.uploads[upload_id]
            return httpx.Response(204)
        if request.method == "PATCH":
            start = int(request.headers["content-range"].split("-")[0])
            if start != len(data):
                return httpx.Response(416)
            data.extend(body)
            return httpx.Response(202, headers={**location, "Range": f"0-{len(data) - 1}"})
        if request.method == "PUT":
            data.extend(body)
            digest = request.url.params["digest"]
            if "sha256:" + hashlib.sha256(data).hexdigest() != digest:
                return httpx.Response(400, json={"errors": [{"code": "DIGEST_INVALID"}]})
            store[digest] = bytes(data)
            del self.uploads[upload_id]
            return httpx.Response(201, headers={"Docker-Content-Digest": digest})
        return httpx.Response(405)

    def _manifests(
        self, request: httpx.Request, repo: str, ref: str, body: bytes
    ) -> httpx.Response:
        store = self.manifests.setdefault(repo, {})
        if request.method == "PUT":
            doc = json.loads(body)
            for item in [doc["config"], *doc["layers"]]:
                if item["digest"] not in self.blobs.get(repo, {}):
                    return httpx.Response(400, json={"errors": [{"code": "MANIFEST_BLOB_UNKNOWN"}]})
            digest = "sha256:" + hashlib.sha256(body).hexdigest()
            media_type = request.headers["content-type"]
            store[ref] = store[digest] = (body, media_type)
            return httpx.Response(201, headers={"Docker-Content-Digest": digest})
        if ref not in store:
            return httpx.Response(404, json={"errors": [{"code": "MANIFEST_UNKNOWN"}]})
        raw, media_type = store[ref]
        headers = {
            "Content-Type": media_type,
            "Docker-Content-Digest": "sha256:" + hashlib.sha256(raw).hexdigest(),
        }
        return httpx.Response(
            200, content=b"" if request.method == "HEAD" else raw, headers=headers
        )

    def _tags(self, request: httpx.Request, repo: str) -> httpx.Response:
        tags = sorted(t for t in self.manifests.get(repo, {}) if not t.startswith("sha256:"))
        if not tags:
            return httpx.Response(404)
        last = request.url.params.get("last")
        if last:
            tags = [t for t in tags if t > last]
        n = min(int(request.url.params.get("n", self.page)), self.page)
        page, more = tags[:n], len(tags) > n
        headers = (
            {"Link": f'</v2/{repo}/tags/list?last={page[-1]}&n={n}>; rel="next"'} if more else {}
        )
        return httpx.Response(200, json={"name": repo, "tags": page}, headers=headers)
