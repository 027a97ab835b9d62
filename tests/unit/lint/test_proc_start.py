"""``proc.start`` (posix_spawn, how `dockwright lint` starts ShellCheck) behaves as ``proc.run``,
and its wait has a deadline."""

from __future__ import annotations

import os
import sys

import pytest

from dockwright import proc
from dockwright.errors import CommandError, CommandTimeout

PY = sys.executable
CASES = [
    ([PY, "-c", "import sys; print('out'); print('err', file=sys.stderr)"], b""),
    ([PY, "-c", "import sys; sys.stdout.write(sys.stdin.read().upper())"], b"abc\xc3\xa9"),
    ([PY, "-c", "import sys; sys.exit(3)"], b""),
    ([PY, "-c", "pass"], b"not read" * 50_000),  # exits without reading its input
    # more in and out than a pipe holds: neither side may block the other
    ([PY, "-c", "import sys; d = sys.stdin.read(); print(d * 2); print(d, file=sys.stderr)"],
     b"x" * 300_000),
    (["sh", "-c", "yes | head -c 4"], b""),  # SIGPIPE at its default, as subprocess sets it
]  # fmt: skip


@pytest.mark.parametrize("argv,data", CASES)
def test_start_gives_what_run_gives(argv: list[str], data: bytes) -> None:
    assert proc.start(argv, input=data).wait(check=False) == proc.run(argv, input=data, check=False)


def test_start_errors_are_run_errors() -> None:
    failing = [PY, "-c", "import sys; print('why', file=sys.stderr); sys.exit(4)"]
    with pytest.raises(CommandError) as started:
        proc.start(failing).wait()
    with pytest.raises(CommandError) as ran:
        proc.run(failing)
    assert str(started.value) == str(ran.value)
    for missing in (["/nonexistent/dockwright-x"], ["dockwright-no-such-command"]):
        with pytest.raises(CommandError) as started:
            proc.start(missing)
        with pytest.raises(CommandError) as ran:
            proc.run(missing)
        assert str(started.value) == str(ran.value)
        assert started.value.returncode == 127


SLEEPERS = {
    "sleeps": "import os, time; print(os.getpid(), flush=True); time.sleep(60)",
    # closes its output first: the wait for its exit has the deadline too
    "closes its output, then sleeps": (
        "import os, time; print(os.getpid(), flush=True); os.close(1); os.close(2); time.sleep(60)"
    ),
    "never reads its input": "import os, time; print(os.getpid(), flush=True); time.sleep(60)",
}


@pytest.mark.parametrize("name", sorted(SLEEPERS))
def test_wait_has_a_deadline_and_leaves_nothing_behind(name: str) -> None:
    import time

    data = b"x" * 1_000_000 if name == "never reads its input" else b""
    started = time.monotonic()
    with pytest.raises(CommandTimeout) as caught:
        proc.start([PY, "-c", SLEEPERS[name]], input=data).wait(timeout=1.5)
    assert time.monotonic() - started < 10
    assert str(caught.value) == f"command {PY!r} timed out after 1.5 s and was killed"
    pid = int(caught.value.stdout)
    with pytest.raises(ProcessLookupError):  # killed and reaped: not even a zombie is left
        os.kill(pid, 0)


def test_run_timeout_is_a_command_timeout() -> None:
    with pytest.raises(CommandTimeout) as caught:
        proc.run([PY, "-c", "import time; time.sleep(60)"], timeout=0.5)
    assert str(caught.value) == f"command {PY!r} timed out after 0.5 s and was killed"


def test_results_are_records() -> None:
    a = proc.Result(("x",), 0, "out", "")
    assert a == proc.Result(("x",), 0, "out", "") and hash(a) == hash(
        proc.Result(("x",), 0, "out", "")
    )
    assert repr(a) == "Result(argv=('x',), returncode=0, stderr='', stdout='out')"
    with pytest.raises(AttributeError):
        a.returncode = 1  # type: ignore[misc]
