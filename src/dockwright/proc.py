"""The one place dockwright starts subprocesses: argv lists, never a shell."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dockwright.errors import CommandError, DockwrightError


class Result(Record):
    __slots__ = ("argv", "returncode", "stdout", "stderr")

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def __init__(self, argv: tuple[str, ...], returncode: int, stdout: str, stderr: str) -> None:
        Record.__init__(self, argv, returncode, stdout, stderr)


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
