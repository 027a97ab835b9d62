"""Commands started under a CancelScope: stopped when it is cancelled (the whole process
group, SIGTERM then SIGKILL), not while it is shielded; stream hands over lines as they come."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from dockwright import proc
from dockwright.errors import CommandError


def _cancel_after(scope: proc.CancelScope, seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, scope.cancel)
    timer.start()
    return timer


def test_run_under_a_cancelled_scope_is_stopped() -> None:
    scope = proc.CancelScope()
    _cancel_after(scope, 0.3)
    begin = time.monotonic()
    with scope.current():
        # a child of the command is stopped too: the signal goes to its process group
        result = proc.run(["sh", "-c", "sleep 30 & wait"], check=False)
    assert time.monotonic() - begin < 10
    assert result.returncode == -15
    assert scope.cancelled


def test_run_outside_a_scope_is_as_before() -> None:
    assert proc.run(["sh", "-c", "echo hi"]).stdout == "hi\n"
    with proc.CancelScope().current():
        assert proc.run(["sh", "-c", "cat"], input="in").stdout == "in"
        with pytest.raises(CommandError, match="exited with 2"):
            proc.run(["sh", "-c", "exit 2"])
        with pytest.raises(CommandError, match=r"timed out after 0\.2 s"):
            proc.run(["sleep", "5"], timeout=0.2)


IGNORES_SIGTERM = """\
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print('ready', flush=True)
time.sleep(30)
"""


def test_sigkill_after_the_grace_period() -> None:
    scope = proc.CancelScope(grace=0.3)
    _cancel_after(scope, 0.3)
    lines: list[str] = []
    begin = time.monotonic()
    with scope.current():
        done = proc.stream(
            [sys.executable, "-c", IGNORES_SIGTERM],
            lines.append,
        )
    assert time.monotonic() - begin < 10
    assert (done.returncode, lines) == (-9, ["ready"])


def test_a_shield_defers_the_cancel() -> None:
    scope = proc.CancelScope()
    _cancel_after(scope, 0.1)
    with scope.current(), scope.shield():
        result = proc.run(["sh", "-c", "sleep 0.5; echo finished"])
    assert result.stdout == "finished\n"
    assert scope.cancelled


def test_stream_lines_environment_directory_and_timeout(tmp_path: object) -> None:
    lines: list[str] = []
    done = proc.stream(
        ["sh", "-c", "printf 'a\\nb\\r\\n'; printf tail; echo $X >&2; pwd >&2"],
        lines.append,
        env={"X": "from env", "PATH": "/usr/bin:/bin"},
        cwd=str(tmp_path),
    )
    assert (done.returncode, done.timed_out) == (0, False)
    assert lines == ["a", "b", "tailfrom env", str(tmp_path)]
    quiet = proc.stream(["sh", "-c", "echo go; sleep 20"], lines.append, no_output_timeout=0.3)
    assert (quiet.returncode, quiet.timed_out) == (-15, True)


def test_stream_errors() -> None:
    with pytest.raises(CommandError, match="executable not found: no-such-command"):
        proc.stream(["no-such-command"], print)
    with pytest.raises(Exception, match="no directory /no/such/dir"):
        proc.stream(["true"], print, cwd="/no/such/dir")
