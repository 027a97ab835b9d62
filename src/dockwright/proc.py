"""The one place dockwright starts subprocesses: argv lists, never a shell."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence

from dockwright.errors import CommandError, DockwrightError


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
