"""ShellCheck results kept on disk, addressed by content, so a repeated run starts no process.

An entry holds a script and ShellCheck's comments on it, under
``$XDG_CACHE_HOME/dockwright/shellcheck`` (default ``~/.cache``). It is named by a CRC-32 and
the length of the cache format, the ShellCheck binary (path, size, mtime), its options and
the script: ``zlib.crc32`` rather than ``hashlib``, whose OpenSSL start-up is the costliest
import of a one-file lint run. The entry's own script is compared on reading, so two scripts
sharing a name only miss each other's entries, never read them. Entries are written to a
temporary file and renamed into place, so concurrent runs never read a partial entry.
``DOCKWRIGHT_CACHE=off`` disables the cache.
"""

from __future__ import annotations

import json
import os

from dockwright.lint.scresult import ScComment

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

ENV_CACHE = "DOCKWRIGHT_CACHE"  # "off" disables the cache
_FORMAT = "2"  # bump when what is stored or how scripts are checked changes
_OFF = ("off", "0", "false", "no")


def open_cache(
    binary: str, options: Sequence[str], environ: Mapping[str, str] | None = None
) -> Cache | None:
    """The cache for ShellCheck ``binary`` run with ``options``; None when it is off."""
    env = os.environ if environ is None else environ
    if env.get(ENV_CACHE, "").lower() in _OFF:
        return None
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Cache(os.path.join(base, "dockwright", "shellcheck"), binary, options)


def _fingerprint(binary: str) -> str:
    """Identity of the binary (a new ShellCheck is a new file): path, size, mtime."""
    try:
        st = os.stat(binary)
    except OSError:
        return binary
    return f"{os.path.realpath(binary)}\0{st.st_size}\0{st.st_mtime_ns}"


class Cache:
    def __init__(self, root: str, binary: str, options: Sequence[str]) -> None:
        self.root = root
        self.salt = f"{_FORMAT}\0{_fingerprint(binary)}\0{' '.join(options)}\0".encode()

    def _path(self, script: str) -> str:
        import zlib

        data = self.salt + script.encode("utf-8", "surrogatepass")
        name = f"{zlib.crc32(data):08x}{len(data):x}"
        return os.path.join(self.root, name[:2], name[2:])

    def get(self, script: str) -> tuple[ScComment, ...] | None:
        """The comments stored for ``script``; None when there is no entry for it."""
        try:
            with open(self._path(script), "rb") as f:
                data = f.read()
        except OSError:
            return None
        try:
            stored, comments = json.loads(data)
            if stored != script:
                return None  # another script's entry under the same name
            return tuple(ScComment(*item) for item in comments)
        except (ValueError, TypeError, RecursionError):
            return None

    def put(self, script: str, comments: tuple[ScComment, ...]) -> None:
        path = self._path(script)
        rows = [[c.code, c.level, c.message, c.line, c.column] for c in comments]
        data = json.dumps([script, rows])
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            import tempfile

            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(data)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs speed
