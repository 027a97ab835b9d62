"""The builder chosen last time, remembered while nothing it depends on has changed.

Choosing a builder runs the docker clients (``docker buildx version``, ``docker version``),
which costs a few tenths of a second on every ``dockwright build``. The choice depends only
on the clients and the buildx plugins installed, so it is kept in
``$XDG_CACHE_HOME/dockwright/builder.json`` with the identity (path, inode, size, mtime) of
each client and plugin directory looked at; any change there, or ``PATH``, probes again.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from dockwright.engine.base import Builder

# Where docker looks for CLI plugins (buildx among them), besides $DOCKER_CONFIG/cli-plugins.
PLUGIN_DIRS = (
    "/usr/local/lib/docker/cli-plugins",
    "/usr/local/libexec/docker/cli-plugins",
    "/usr/lib/docker/cli-plugins",
    "/usr/libexec/docker/cli-plugins",
)


def cache_file(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dockwright" / "builder.json"


def _identity(path: str) -> list[object]:
    try:
        st = os.stat(path)
    except OSError:
        return [path, None]
    return [path, os.path.realpath(path), st.st_ino, st.st_size, st.st_mtime_ns]


def key(named: str | None, path_env: str, clients: list[str], docker_config: str) -> str:
    """What the choice depends on, as text: ``clients`` are the executables it may run,
    ``docker_config`` the client's configuration directory (its plugins)."""
    plugin_dirs = [os.path.join(docker_config, "cli-plugins"), *PLUGIN_DIRS]
    looked_at = [*clients, *plugin_dirs]
    looked_at += [os.path.join(d, "docker-buildx") for d in plugin_dirs]
    return json.dumps([named, path_env, [_identity(p) for p in looked_at]])


def load(path: Path, key: str) -> Builder | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") == key:
            b = data["builder"]
            return Builder(str(b["client"]), str(b["mode"]), str(b["reason"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


def store(path: Path, key: str, builder: Builder) -> None:
    """Write the choice atomically; a cache that cannot be written is no error."""
    data = {
        "key": key,
        "builder": {"client": builder.client, "mode": builder.mode, "reason": builder.reason},
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, prefix=".builder-", delete=False, encoding="utf-8"
        ) as handle:
            json.dump(data, handle)
        os.replace(handle.name, path)
    except OSError:
        pass
