"""Throwaway servers for registry tests: a distribution registry process (restartable), a small
token server for the registry's ``auth: token``, and a fault-injecting HTTP proxy."""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

SERVICE = "dockwright-test"
ISSUER = "dockwright-test-issuer"
TOKEN_USER = "tokenuser"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


class RegistryProcess:
    """Debian's docker-registry on a free port, with its own storage; stop() and start() again."""

    def __init__(self, workdir: Path, auth_yaml: str = "") -> None:
        self.port = free_port()
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.config = workdir / "config.yml"
        self.config.write_text(
            f"""version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: {workdir}/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:{self.port}
{auth_yaml}"""
        )
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        log = (self.workdir / "registry.log").open("ab")
        self._proc = subprocess.Popen(
            ["docker-registry", "serve", str(self.config)], stdout=log, stderr=log
        )
        wait_port(self.port)

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class TokenServer:
    """Issues RS256 JWTs (signed by openssl) that the registry verifies against ``cert``.

    Anonymous requests get pull access only; TOKEN_USER with ``password`` gets pull and push.
    """

    workdir: Path
    password: str
    port: int = field(default_factory=free_port)
    requests: list[dict[str, object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.key = self.workdir / "token.key"
        self.cert = self.workdir / "token.crt"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=dockwright token issuer", "-keyout", str(self.key), "-out",
             str(self.cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        der = subprocess.run(
            ["openssl", "x509", "-in", str(self.cert), "-outform", "DER"],
            check=True, capture_output=True,
        ).stdout  # fmt: skip
        self._x5c = base64.b64encode(der).decode()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def realm(self) -> str:
        return f"http://127.0.0.1:{self.port}/token"

    def auth_yaml(self) -> str:
        return f"""auth:
  token:
    realm: {self.realm}
    service: {SERVICE}
    issuer: {ISSUER}
    rootcertbundle: {self.cert}
"""

    def close(self) -> None:
        self._server.shutdown()

    def sign(self, claims: dict[str, object]) -> str:
        header = {"typ": "JWT", "alg": "RS256", "x5c": [self._x5c]}
        signing_input = (
            f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}"
        )
        sig = subprocess.run(
            ["openssl", "dgst", "-sha256", "-sign", str(self.key)],
            input=signing_input.encode(), check=True, capture_output=True,
        ).stdout  # fmt: skip
        return f"{signing_input}.{_b64url(sig)}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                query = parse_qs(urlparse(self.path).query)
                user = None
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    name, _, pw = base64.b64decode(auth[6:]).decode().partition(":")
                    if name != TOKEN_USER or pw != server.password:
                        self.send_response(401)
                        self.end_headers()
                        return
                    user = name
                granted = {"pull", "push"} if user else {"pull"}
                access = []
                for scope in query.get("scope", []):
                    for item in scope.split(" "):
                        kind, _, rest = item.partition(":")
                        name, _, actions = rest.rpartition(":")
                        allowed = sorted(set(actions.split(",")) & granted)
                        access.append({"type": kind, "name": name, "actions": allowed})
                server.requests.append({"user": user, "scope": query.get("scope", [])})
                now = int(time.time())
                token = server.sign(
                    {"iss": ISSUER, "sub": user or "", "aud": SERVICE, "exp": now + 300,
                     "nbf": now - 10, "iat": now, "jti": uuid.uuid4().hex, "access": access}
                )  # fmt: skip
                body = json.dumps({"token": token, "expires_in": 300}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


# A fault decides, for one request (method, path), what the proxy does instead of forwarding:
# ("status", code, extra headers) answers at once; ("reset", n) resets the connection after
# n body bytes; None forwards.
Action = tuple[str, int, dict[str, str]] | tuple[str, int] | None
Rule = Callable[[str, str], Action]


class FaultProxy:
    """An HTTP/1.1 proxy in front of a registry, one request per connection, with fault rules."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = upstream_port
        self.rules: list[Rule] = []
        self.seen: list[tuple[str, str]] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = int(self._sock.getsockname()[1])
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def close(self) -> None:
        self._closed = True
        self._sock.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self._one(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def _one(self, conn: socket.socket) -> None:
        buf = b""
        while b"\r\n\r\n" not in buf:
            data = conn.recv(65536)
            if not data:
                return
            buf += data
        head, _, rest = buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = [line for line in lines[1:] if line]
        length = 0
        chunked = False
        for line in headers:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
            if name.strip().lower() == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        self.seen.append((method, path))
        action: Action = None
        for rule in self.rules:
            action = rule(method, path)
            if action is not None:
                break
        if action is not None and action[0] == "reset":
            # Mid-body, but never waiting for more than the client sends.
            got, want = len(rest), min(action[1], length // 2)
            while got < want:
                data = conn.recv(65536)
                if not data:
                    break
                got += len(data)
            conn.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            return
        if action is not None and action[0] == "status":
            got = len(rest)
            while got < length:
                data = conn.recv(65536)
                if not data:
                    break
                got += len(data)
            extra = "".join(f"{k}: {v}\r\n" for k, v in action[2].items())  # type: ignore[misc]
            conn.sendall(
                f"HTTP/1.1 {action[1]} Injected\r\nContent-Length: 0\r\nConnection: close\r\n"
                f"{extra}\r\n".encode()
            )
            return
        try:
            up = socket.create_connection(("127.0.0.1", self.upstream), timeout=30)
        except OSError:
            return  # the registry is down: the client sees the connection close
        with up:
            kept = [
                h
                for h in headers
                if h.split(":", 1)[0].strip().lower() not in ("connection", "keep-alive")
            ]
            up.sendall(
                ("\r\n".join([lines[0], *kept, "Connection: close"]) + "\r\n\r\n").encode("latin-1")
            )
            if chunked:
                if not _forward_chunked(conn, up, rest):
                    return
                while data := up.recv(65536):
                    conn.sendall(data)
                return
            up.sendall(rest)
            sent = len(rest)
            while sent < length:
                data = conn.recv(min(65536, length - sent))
                if not data:
                    return
                up.sendall(data)
                sent += len(data)
            while data := up.recv(65536):
                conn.sendall(data)


def _forward_chunked(conn: socket.socket, up: socket.socket, rest: bytes) -> bool:
    """Forward a chunked request body (``rest`` is what was read past the headers) up to its
    last chunk and trailer; False when the client went away first."""
    buf = rest

    def fill(need: int) -> bool:
        nonlocal buf
        while len(buf) < need:
            data = conn.recv(65536)
            if not data:
                return False
            buf += data
        return True

    while True:
        while b"\r\n" not in buf:
            if not fill(len(buf) + 1):
                return False
        line, _, after = buf.partition(b"\r\n")
        size = int(line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            buf = after
            while not (buf.startswith(b"\r\n") or b"\r\n\r\n" in buf):
                if not fill(len(buf) + 1):
                    return False
            end = 2 if buf.startswith(b"\r\n") else buf.index(b"\r\n\r\n") + 4
            up.sendall(line + b"\r\n" + buf[:end])
            return True
        buf = after
        if not fill(size + 2):
            return False
        up.sendall(line + b"\r\n" + buf[: size + 2])
        buf = buf[size + 2 :]
