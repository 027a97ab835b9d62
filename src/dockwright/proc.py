"""The one place dockwright starts subprocesses: argv lists, never a shell.

``run`` runs a command to the end. ``start`` only starts one (``posix_spawn``, no thread,
and no ``subprocess`` import: a one-file ``dockwright lint`` starts ShellCheck this way and
evaluates its rules meanwhile); ``Running.wait`` then collects the output, within a deadline.
"""

from __future__ import annotations

import os

from dockwright.errors import CommandError, CommandTimeout, DockwrightError
from dockwright.record import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

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
