"""The one place dockwright starts subprocesses: argv lists, never a shell.

``run`` runs a command to the end. ``start`` only starts one (``posix_spawn``, no thread,
and no ``subprocess`` import: a one-file ``dockwright lint`` starts ShellCheck this way and
evaluates its rules meanwhile); ``Running.wait`` then collects the output, within a
deadline. ``stream`` runs a command and hands over its output line by line as it comes.

A :class:`CancelScope` made current in a thread (``with scope.current():``) owns what ``run``
and ``stream`` start there: each command gets its own process group, and cancelling the
scope stops them all (SIGTERM to the group, SIGKILL after a grace period).
"""

from __future__ import annotations

import contextvars
import os

from dockwright.errors import CommandError, CommandTimeout, DockwrightError
from dockwright.record import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    import subprocess
    from collections.abc import Callable, Mapping, Sequence

# How long ``Running.wait`` waits for a command unless told otherwise, in seconds.
WAIT_TIMEOUT = 600.0


class Result(Record):
    """What a finished command returned."""

    __slots__ = ("argv", "returncode", "stderr", "stdout")

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def __init__(self, argv: tuple[str, ...], returncode: int, stdout: str, stderr: str) -> None:
        Record.__init__(self, argv=argv, returncode=returncode, stdout=stdout, stderr=stderr)


def run(
    argv: Sequence[str],
    *,
    check: bool = True,
    input: str | bytes | None = None,
    env: Mapping[str, str] | None = None,
    extra_env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    timeout: float | None = None,
) -> Result:
    """Run ``argv`` and capture its output as text.

    ``extra_env`` is added to the current environment; ``env`` replaces it.
    A missing executable or a non-zero exit (with ``check``) raises :class:`CommandError`.
    """
    full_env: dict[str, str] | None = None
    if env is not None or extra_env is not None:
        full_env = dict(os.environ if env is None else env)
        full_env.update(extra_env or {})
    data = input.encode() if isinstance(input, str) else input
    scope = _SCOPE.get()
    if scope is not None:
        return _run_in_scope(scope, argv, data, full_env, cwd, timeout, check)
    import subprocess  # here, not at the top: `start` does without it

    try:
        done = subprocess.run(
            list(argv),
            input=data,
            capture_output=True,
            env=full_env,
            cwd=cwd,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as exc:
        raise CommandError(argv, 127, "", f"executable not found: {argv[0]}") from exc
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed it
        raise CommandTimeout(argv, timeout or 0.0) from exc
    except OSError as exc:
        raise DockwrightError(f"cannot run {argv[0]!r}: {exc}") from exc
    result = Result(
        tuple(argv),
        done.returncode,
        done.stdout.decode(errors="replace"),
        done.stderr.decode(errors="replace"),
    )
    if check and done.returncode != 0:
        raise CommandError(argv, done.returncode, result.stdout, result.stderr)
    return result


class Running:
    """A command started by :func:`start`; :meth:`wait` feeds its input and collects its
    output (in one poll loop, so neither side can block the other)."""

    __slots__ = ("_argv", "_input", "_open", "_out", "_pid")

    _input: tuple[int, memoryview]  # our end of its standard input (-1: closed), what is left
    _out: dict[int, bytearray]  # our ends of its standard output and error -> what came
    _open: set[int]  # our ends of the pipes not closed yet
    _pid: int  # 0 once reaped

    def __init__(self, argv: tuple[str, ...], pid: int, stdin: int, stdout: int, stderr: int,
                 data: bytes) -> None:  # fmt: skip
        self._argv = argv
        self._pid = pid
        self._input = (stdin, memoryview(data))
        self._out = {stdout: bytearray(), stderr: bytearray()}
        self._open = {stdin, stdout, stderr}
        self._feed()

    def _close(self, fd: int) -> None:
        self._open.discard(fd)
        os.close(fd)

    def _feed(self) -> bool:
        """Write what the pipe takes now; True once all input is written (and closed)."""
        fd, rest = self._input
        if fd < 0:
            return True
        while rest:
            try:
                n = os.write(fd, rest)
            except BlockingIOError:
                self._input = (fd, rest)
                return False
            except BrokenPipeError:  # the command exited without reading it all
                break
            rest = rest[n:]
        self._close(fd)
        self._input = (-1, rest[:0])
        return True

    def wait(self, *, check: bool = True, timeout: float | None = WAIT_TIMEOUT) -> Result:
        """Wait for the command to exit; a non-zero exit (with ``check``) raises CommandError.

        Past ``timeout`` seconds (None: no limit) the command is killed and CommandTimeout
        raised. Whatever ends the wait (an interrupt too), the command is not left behind:
        it is killed if still running, reaped, and its pipes are closed.
        """
        import select
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            poller = select.poll()
            writing, _ = self._input
            if writing >= 0:
                poller.register(writing, select.POLLOUT)
            for fd in self._out:
                poller.register(fd, select.POLLIN)
            while self._open:
                events = poller.poll(_milliseconds_left(deadline))
                if not events:
                    raise self._timed_out(timeout)
                for fd, _event in events:
                    if fd == writing:
                        if self._feed():
                            poller.unregister(fd)
                        continue
                    chunk = os.read(fd, 65536)
                    if chunk:
                        self._out[fd] += chunk
                    else:
                        poller.unregister(fd)
                        self._close(fd)
            status = self._reap(deadline, timeout)
        finally:
            self._stop()
        code = os.waitstatus_to_exitcode(status)
        out, err = (bytes(b).decode(errors="replace") for b in self._out.values())
        if check and code != 0:
            raise CommandError(self._argv, code, out, err)
        return Result(self._argv, code, out, err)

    def kill(self) -> None:
        """Stop waiting for the command: kill it if it is still running, reap it, close the
        pipes. Does nothing once it has been waited for."""
        self._stop()

    def _reap(self, deadline: float | None, timeout: float | None) -> int:
        """The exit status, once the command has closed its output."""
        if deadline is None:
            _, status = os.waitpid(self._pid, 0)
        else:
            import time

            delay = 0.0002
            while True:
                pid, status = os.waitpid(self._pid, os.WNOHANG)
                if pid:
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    raise self._timed_out(timeout)
                time.sleep(min(delay, left))
                delay = min(delay * 2, 0.05)
        self._pid = 0
        return status

    def _timed_out(self, timeout: float | None) -> CommandTimeout:
        out, err = (bytes(b).decode(errors="replace") for b in self._out.values())
        return CommandTimeout(self._argv, timeout or 0.0, out, err)

    def _stop(self) -> None:
        """Kill the command if it has not been reaped, reap it, close our pipe ends."""
        if self._pid:
            import signal

            os.kill(self._pid, signal.SIGKILL)  # not reaped yet: the pid is still its own
            os.waitpid(self._pid, 0)
            self._pid = 0
        for fd in list(self._open):
            self._close(fd)


def _milliseconds_left(deadline: float | None) -> int | None:
    if deadline is None:
        return None
    import time

    return max(0, int((deadline - time.monotonic()) * 1000) + 1)


def _restored_signals() -> tuple[int, ...]:
    import signal

    return tuple(getattr(signal, n) for n in ("SIGPIPE", "SIGXFSZ") if hasattr(signal, n))


def start(argv: Sequence[str], *, input: bytes = b"") -> Running:
    """Start ``argv`` (found on PATH unless it names a path) with ``input`` on its standard
    input and its output captured; errors as :func:`run`'s."""
    argv = tuple(argv)
    fds: list[int] = []
    try:
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        fds = [in_r, in_w, out_r, out_w, err_r, err_w]
        os.set_blocking(in_w, False)
        actions = [
            (os.POSIX_SPAWN_DUP2, in_r, 0),
            (os.POSIX_SPAWN_DUP2, out_w, 1),
            (os.POSIX_SPAWN_DUP2, err_w, 2),
        ]
        spawn = os.posix_spawn if os.sep in argv[0] else os.posix_spawnp
        # default SIGPIPE (Python ignores it) and SIGXFSZ in the command, as subprocess does
        pid = spawn(argv[0], argv, os.environ, file_actions=actions, setsigdef=_restored_signals())
    except FileNotFoundError as exc:
        for fd in fds:
            os.close(fd)
        raise CommandError(argv, 127, "", f"executable not found: {argv[0]}") from exc
    except OSError as exc:
        for fd in fds:
            os.close(fd)
        raise DockwrightError(f"cannot run {argv[0]!r}: {exc}") from exc
    for fd in (in_r, out_w, err_w):  # the command's ends
        os.close(fd)
    return Running(argv, pid, in_w, out_r, err_r, input)


# ---------------------------------------------------------------------------------------------
# Cancellation, and output as it comes

_SCOPE: contextvars.ContextVar[CancelScope | None] = contextvars.ContextVar(
    "dockwright_cancel_scope", default=None
)


class CancelScope:
    """Stops what ``run`` and ``stream`` started while it was current, when cancelled.

    ``cancel`` may be called from any thread. Inside ``shield()`` a cancel only takes note:
    the commands go on, and the owner checks :attr:`cancelled` once the block ends (a publish
    is never cut off mid-way).
    """

    def __init__(self, grace: float = 10.0) -> None:
        import threading

        self.grace = grace
        self.cancelled = False
        self._lock = threading.Lock()
        self._groups: set[int] = set()  # process group ids of the commands running
        self._shielded = 0

    def current(self) -> _Current:
        """``with scope.current():`` makes this the scope of the calling thread."""
        return _Current(self)

    def shield(self) -> _Shield:
        return _Shield(self)

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            groups = [] if self._shielded else list(self._groups)
        for group in groups:
            self._stop(group)

    def _add(self, group: int) -> None:
        with self._lock:
            self._groups.add(group)
            stop = self.cancelled and not self._shielded
        if stop:  # cancelled while the command was starting
            self._stop(group)

    def _discard(self, group: int) -> None:
        with self._lock:
            self._groups.discard(group)

    def _stop(self, group: int) -> None:
        import signal
        import threading

        _signal_group(group, signal.SIGTERM)

        def kill() -> None:
            with self._lock:
                if group in self._groups:
                    _signal_group(group, signal.SIGKILL)

        timer = threading.Timer(self.grace, kill)
        timer.daemon = True
        timer.start()


class _Current:
    __slots__ = ("_scope", "_token")

    def __init__(self, scope: CancelScope) -> None:
        self._scope = scope

    def __enter__(self) -> CancelScope:
        self._token = _SCOPE.set(self._scope)
        return self._scope

    def __exit__(self, *exc: object) -> None:
        _SCOPE.reset(self._token)


class _Shield:
    __slots__ = ("_scope",)

    def __init__(self, scope: CancelScope) -> None:
        self._scope = scope

    def __enter__(self) -> None:
        with self._scope._lock:
            self._scope._shielded += 1

    def __exit__(self, *exc: object) -> None:
        with self._scope._lock:
            self._scope._shielded -= 1


def _signal_group(group: int, signum: int) -> None:
    try:
        os.killpg(group, signum)
    except (ProcessLookupError, PermissionError):  # gone already
        return


def _run_in_scope(
    scope: CancelScope,
    argv: Sequence[str],
    data: bytes | None,
    env: Mapping[str, str] | None,
    cwd: str | os.PathLike[str] | None,
    timeout: float | None,
    check: bool,
) -> Result:
    """``run`` in a process group of its own, stopped when ``scope`` is cancelled."""
    import signal
    import subprocess

    stdin = subprocess.PIPE if data is not None else subprocess.DEVNULL
    child = _popen_in_group(argv, stdin=stdin, stderr=subprocess.PIPE, env=env, cwd=cwd)
    scope._add(child.pid)
    try:
        try:
            out, err = child.communicate(data, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _signal_group(child.pid, signal.SIGKILL)
            child.communicate()
            raise CommandError(argv, -1, "", f"timed out after {timeout} s") from exc
    finally:
        scope._discard(child.pid)
    result = Result(tuple(argv), child.returncode, out.decode(errors="replace"),
                    err.decode(errors="replace"))  # fmt: skip
    if check and child.returncode != 0:
        raise CommandError(argv, child.returncode, result.stdout, result.stderr)
    return result


class Streamed:
    """How a streamed command ended: its exit code (negative: the signal that ended it), and
    whether it was stopped for printing nothing for too long."""

    __slots__ = ("returncode", "timed_out")

    def __init__(self, returncode: int, timed_out: bool) -> None:
        self.returncode = returncode
        self.timed_out = timed_out


def stream(
    argv: Sequence[str],
    on_line: Callable[[str], None],
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    no_output_timeout: float | None = None,
) -> Streamed:
    """Run ``argv`` with its standard output and error merged, calling ``on_line`` with each
    line (without its newline) as it comes. Nothing printed for ``no_output_timeout`` seconds
    stops the command as a cancel does. Stopped by the current :class:`CancelScope`, if any.
    """
    import select
    import signal
    import subprocess

    if cwd is not None and not os.path.isdir(cwd):
        raise DockwrightError(f"cannot run {argv[0]!r}: no directory {os.fspath(cwd)}")
    child = _popen_in_group(
        argv, stdin=subprocess.DEVNULL, stderr=subprocess.STDOUT, env=env, cwd=cwd
    )
    scope = _SCOPE.get() or CancelScope()
    scope._add(child.pid)
    assert child.stdout is not None
    fd = child.stdout.fileno()
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    wait_ms = None if no_output_timeout is None else int(no_output_timeout * 1000)
    pending = b""
    timed_out = False
    try:
        while True:
            if not poller.poll(None if timed_out else wait_ms):
                timed_out = True
                scope._stop(child.pid)
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                on_line(line.decode(errors="replace").rstrip("\r"))
        if pending:
            on_line(pending.decode(errors="replace").rstrip("\r"))
        child.wait()
    finally:
        child.stdout.close()
        if child.returncode is None:  # on_line raised: do not leave the command behind
            _signal_group(child.pid, signal.SIGKILL)
            child.wait()
        scope._discard(child.pid)
    return Streamed(child.returncode, timed_out)


def _popen_in_group(
    argv: Sequence[str],
    *,
    stdin: int,
    stderr: int,
    env: Mapping[str, str] | None,
    cwd: str | os.PathLike[str] | None,
) -> subprocess.Popen[bytes]:
    """``argv`` started in a process group of its own (so a cancel can stop all it starts),
    its output piped; a command that cannot start is a CommandError or DockwrightError."""
    import subprocess

    try:
        return subprocess.Popen(
            list(argv),
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
    except FileNotFoundError as exc:
        raise CommandError(argv, 127, "", f"executable not found: {argv[0]}") from exc
    except OSError as exc:
        raise DockwrightError(f"cannot run {argv[0]!r}: {exc}") from exc
