"""Registry credentials and the auth challenges of the distribution spec (Basic, Bearer)."""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from dockwright.errors import AuthError, ConfigError


@dataclass(frozen=True)
class BasicCredentials:
    username: str
    password: str = field(repr=False)

    def __repr__(self) -> str:  # never show the secret, even in tracebacks
        return f"BasicCredentials(username={self.username!r}, password=<hidden>)"

    def header(self) -> str:
        raw = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(raw).decode()


@dataclass(frozen=True)
class Challenge:
    scheme: str  # "basic" or "bearer", lower-cased
    params: dict[str, str]


_PARAM = re.compile(r'(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def parse_challenge(header: str) -> Challenge:
    """Parse a ``WWW-Authenticate`` header value (one challenge, as registries send)."""
    scheme, _, rest = header.strip().partition(" ")
    params = {
        m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _PARAM.finditer(rest)
    }
    return Challenge(scheme.lower(), params)


def credentials_from_env(username_env: str, password_env: str, *, where: str) -> BasicCredentials:
    """Read credentials from the environment variables a config names; say which is missing."""
    missing = [name for name in (username_env, password_env) if not os.environ.get(name)]
    if missing:
        raise AuthError(
            f"{where}: credentials come from the environment variable"
            f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}, which "
            f"{'are' if len(missing) > 1 else 'is'} not set"
        )
    return BasicCredentials(os.environ[username_env], os.environ[password_env])


def credentials_from_docker_config(
    host: str, config_dir: str | None = None
) -> BasicCredentials | None:
    """Credentials stored inline (``auths.<host>.auth``) in Docker's ``config.json``, if any."""
    base = config_dir or os.environ.get("DOCKER_CONFIG") or str(Path.home() / ".docker")
    path = Path(base) / "config.json"
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read Docker's config: {exc}", file=str(path)) from exc
    auths = data.get("auths") if isinstance(data, dict) else None
    if not isinstance(auths, dict):
        return None
    for key in (host, f"https://{host}", f"http://{host}"):
        entry = auths.get(key)
        if isinstance(entry, dict) and isinstance(entry.get("auth"), str) and entry["auth"]:
            try:
                user, _, password = base64.b64decode(entry["auth"]).decode().partition(":")
            except ValueError as exc:
                raise ConfigError(
                    f"auths.{key}.auth is not base64 of user:password", file=str(path)
                ) from exc
            return BasicCredentials(user, password)
    return None
