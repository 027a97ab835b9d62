"""The one place dockwright starts subprocesses: argv lists, never a shell.

``run`` runs a command to the end. ``start`` only starts one (``posix_spawn``, no thread,
and no ``subprocess`` import: a one-file ``dockwright lint`` starts ShellCheck this way and
evaluates its rules meanwhile); ``Running.wait`` then collects the output.
"""

from __future__ import annotations

import os

from dockwright.errors import CommandError, DockwrightError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


class Result:
    """What a finished command returned. Compares and hashes by value; read-only."""

    __slots__ = ("argv", "returncode", "stderr", "stdout")

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def __init__(self, argv: tuple[str, ...], returncode: int, stdout: str, stderr: str) -> None:
        # a plain class, not a dataclass: `dataclasses` costs `dockwright lint` start-up time
        object.__setattr__(self, "argv", argv)
        object.__setattr__(self, "returncode", returncode)
        object.__setattr__(self, "stdout", stdout)
        object.__setattr__(self, "stderr", stderr)

    def _key(self) -> tuple[tuple[str, ...], int, str, str]:
        return (self.argv, self.returncode, self.stdout, self.stderr)

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, Result) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return "Result(argv={!r}, returncode={!r}, stdout={!r}, stderr={!r})".format(*self._key())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: Result is frozen")


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
    except subprocess.TimeoutExpired as exc:
        raise CommandError(argv, -1, "", f"timed out after {timeout} s") from exc
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

    __slots__ = ("_argv", "_input", "_out", "_pid")

    _input: tuple[int, memoryview]  # our end of its standard input (-1: closed), what is left
    _out: dict[int, bytearray]  # our ends of its standard output and error -> what came

    def __init__(self, argv: tuple[str, ...], pid: int, stdin: int, stdout: int, stderr: int,
                 data: bytes) -> None:  # fmt: skip
        self._argv = argv
        self._pid = pid
        self._input = (stdin, memoryview(data))
        self._out = {stdout: bytearray(), stderr: bytearray()}
        self._feed()

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
        os.close(fd)
        self._input = (-1, rest[:0])
        return True

    def wait(self, *, check: bool = True) -> Result:
        """Wait for the command to exit; a non-zero exit (with ``check``) raises CommandError."""
        import select

        poller = select.poll()
        writing, _ = self._input
        if writing >= 0:
            poller.register(writing, select.POLLOUT)
        for fd in self._out:
            poller.register(fd, select.POLLIN)
        open_fds = len(self._out) + (writing >= 0)
        while open_fds:
            for fd, _event in poller.poll():
                if fd == writing:
                    if self._feed():
                        poller.unregister(fd)
                        open_fds -= 1
                    continue
                chunk = os.read(fd, 65536)
                if chunk:
                    self._out[fd] += chunk
                else:
                    poller.unregister(fd)
                    os.close(fd)
                    open_fds -= 1
        _, status = os.waitpid(self._pid, 0)
        code = os.waitstatus_to_exitcode(status)
        out, err = (bytes(b).decode(errors="replace") for b in self._out.values())
        if check and code != 0:
            raise CommandError(self._argv, code, out, err)
        return Result(self._argv, code, out, err)


def _restored_signals() -> tuple[int, ...]:
    # from the C module `signal` wraps: importing `signal` builds its enums, about 1 ms
    import _signal  # type: ignore[import-not-found]

    return tuple(int(getattr(_signal, n)) for n in ("SIGPIPE", "SIGXFSZ") if hasattr(_signal, n))


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
