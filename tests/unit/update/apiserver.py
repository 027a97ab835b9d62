"""A local HTTP server answering as api.github.com, pypi.org and registry.npmjs.org do, from
data the test gives: ``releases["owner/repo"]``, ``tags[...]``, ``pypi["name"]``,
``npm["name"]``. Every request is logged with its Authorization header's scheme."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

PAGE = 2  # GitHub pages of two items, to exercise Link pagination


@dataclass
class ApiServer:
    releases: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    tags: dict[str, list[str]] = field(default_factory=dict)
    pypi: dict[str, dict[str, list[dict[str, object]]]] = field(default_factory=dict)
    npm: dict[str, dict[str, object]] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)  # (path, auth scheme)

    def __post_init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> ApiServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, object, str]:
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if len(parts) == 4 and parts[0] == "repos" and parts[3] in ("releases", "tags"):
            repo = f"{parts[1]}/{parts[2]}"
            if parts[3] == "releases":
                items: list[object] = (
                    list(self.releases.get(repo, [])) if repo in self.releases else []
                )
                known = repo in self.releases
            else:
                items = [{"name": t, "commit": {"sha": "0" * 40}} for t in self.tags.get(repo, [])]
                known = repo in self.tags
            if not known:
                return 404, {"message": "Not Found"}, ""
            page = int(query.get("page", ["1"])[0])
            chunk = items[(page - 1) * PAGE : page * PAGE]
            link = ""
            if page * PAGE < len(items):
                link = f'<{self.url}{path}?per_page=100&page={page + 1}>; rel="next"'
            return 200, chunk, link
        if len(parts) == 3 and parts[0] == "pypi" and parts[2] == "json":
            if parts[1] not in self.pypi:
                return 404, {"message": "Not Found"}, ""
            return 200, {"info": {"name": parts[1]}, "releases": self.pypi[parts[1]]}, ""
        if len(parts) == 2 and parts[0] == "npm" and parts[1] in self.npm:
            return 200, self.npm[parts[1]], ""
        return 404, {"message": "Not Found"}, ""

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                parsed = urlparse(self.path)
                auth = self.headers.get("Authorization", "")
                api.log.append((parsed.path, auth.split(" ", 1)[0]))
                status, body, link = api.answer(parsed.path, parse_qs(parsed.query))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if link:
                    self.send_header("Link", link)
                self.end_headers()
                self.wfile.write(data)

        return Handler
