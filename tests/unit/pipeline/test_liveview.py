"""The live view of `dockwright run`: its lines, drawn on rich's recording Console, and `run` on
a real terminal (a pseudo-terminal) drawing them, or plain lines where it must not."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from dockwright.cli.liveview import LiveRenderer, jobs_table
from dockwright.cli.run import live_view
from dockwright.pipeline.runrecord import (
    BuilderChosen,
    JobFinished,
    JobRecord,
    JobStarted,
    PublishedTag,
    RunRecord,
    State,
    StepFinished,
    StepOutput,
    StepRecord,
    StepStarted,
)

START = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[3]
COLOR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;)[0-9;]*m")


def _console(width: int = 80) -> Console:
    return Console(file=io.StringIO(), record=True, width=width, color_system=None)


def _lines(console: Console) -> list[str]:
    return [line.rstrip() for line in console.export_text().splitlines()]


def _jobs() -> list[JobRecord]:
    running = JobRecord(
        name="image-app",
        workflow="ci",
        state=State.RUNNING,
        started=START,
        steps=[
            StepRecord("lint", "lint", state=State.PASSED, cached=True),
            StepRecord("build", "build", state=State.RUNNING, tail=["#5 [2/3] RUN make"]),
            StepRecord("test", "test"),
        ],
    )
    cached = JobRecord(
        name="image-worker",
        workflow="ci",
        state=State.PASSED,
        started=START,
        seconds=0.4,
        steps=[
            StepRecord("build", "build", state=State.PASSED, cached=True),
            StepRecord("test", "test", state=State.PASSED, cached=True),
        ],
    )
    failed = JobRecord(
        name="check",
        workflow="ci",
        state=State.FAILED,
        started=START,
        seconds=2.25,
        steps=[
            StepRecord(
                "unit",
                "run",
                state=State.FAILED,
                summary="exited with 1",
                details=("FAILED test_app.py::test_greets", "1 failed, 41 passed"),
            ),
            StepRecord("upload", "run", state=State.SKIPPED, summary="unit failed"),
        ],
    )
    skipped = JobRecord(
        name="publish-app",
        workflow="ci",
        requires=("image-app", "check"),
        state=State.SKIPPED,
        reason="requires check, which failed",
    )
    pending = JobRecord(name="smoke", workflow="ci", requires=("image-app",))
    return [running, cached, failed, skipped, pending]


def test_one_line_per_job_with_state_elapsed_time_and_step() -> None:
    console = _console()
    console.print(jobs_table(_jobs(), START + timedelta(seconds=12.34)))
    assert _lines(console) == [
        "running image-app    12.3s build  #5 [2/3] RUN make",
        "cached  image-worker  0.4s build (cached) → test (cached)",
        "failed  check         2.2s unit failed: exited with 1",
        "skipped publish-app        requires check, which failed",
        "pending smoke              waiting for image-app",
    ]


def _failing_run(view: LiveRenderer) -> RunRecord:
    job = JobRecord(name="check", workflow="ci", steps=[StepRecord("unit", "run")])
    other = JobRecord(name="image-app", workflow="ci", steps=[StepRecord("build", "build")])
    plan = type("Plan", (), {"jobs": [], "default": True})()
    plan.jobs = [type("P", (), {"record": r})() for r in (job, other)]
    view.plan(plan)
    job.state, job.started = State.RUNNING, START
    view.event(JobStarted(job))
    step = job.steps[0]
    step.state = State.RUNNING
    view.event(StepStarted(job, step))
    long = "E   AssertionError: " + "x" * 90
    for line in ("collected 2 items", "[bold]not markup[/bold]", long):
        step.tail.append(line)
        view.event(StepOutput(job, step, line))
    view.event(BuilderChosen("/usr/bin/docker (DOCKER_BUILDKIT=1 docker build): its reason"))
    step.state, step.summary, step.details = State.FAILED, "exited with 1", tuple(step.tail)
    view.event(StepFinished(job, step))
    job.state, job.seconds = State.FAILED, 1.5
    view.event(JobFinished(job))
    other.state, other.started, other.seconds = State.PASSED, START, 3.0
    other.steps[0].state = State.PASSED
    other.steps[0].published = (PublishedTag("127.0.0.1:5000/acme/app", "1.2.3", "sha256:ab"),)
    view.event(JobFinished(other))
    return RunRecord(
        started=START,
        publishing=True,
        publish_reason="release v1.2.3",
        jobs=[job, other],
    )


def test_a_failing_job_shows_its_last_lines_whole_and_the_builder_once() -> None:
    console = _console(width=60)
    view = LiveRenderer(console)
    record = _failing_run(view)
    view.finish(record)
    assert _lines(console) == [
        "builder: /usr/bin/docker (DOCKER_BUILDKIT=1 docker build):",
        "its reason",
        "check: unit failed  exited with 1",
        "  collected 2 items",
        "  [bold]not markup[/bold]",
        "  E   AssertionError:",
        "x" * 60,  # wrapped, not cut
        "x" * 30,
        "failed check     1.5s unit failed: exited with 1",
        "passed image-app 3.0s build",
        "publish: yes (release v1.2.3)",
        "published image-app:",
        "  127.0.0.1:5000/acme/app:1.2.3  sha256:ab",
    ]


def test_verbose_prints_every_line_with_its_job() -> None:
    console = _console(width=100)
    view = LiveRenderer(console, verbose=True)
    view.finish(_failing_run(view))
    assert _lines(console)[:4] == [
        "check | collected 2 items",
        "check | [bold]not markup[/bold]",
        "check | E   AssertionError:",
        "x" * 90,
    ]


def test_colours_follow_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    def drawn() -> str:
        out = io.StringIO()
        console = Console(file=out, force_terminal=True, color_system="standard", width=80)
        console.print(jobs_table(_jobs(), START))
        return out.getvalue()

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert COLOR.search(drawn())
    monkeypatch.setenv("NO_COLOR", "1")
    text = drawn()
    assert not COLOR.search(text)
    assert "failed" in text


@pytest.mark.parametrize(
    ("plain", "env", "tty", "live"),
    [
        (False, {}, True, True),
        (True, {}, True, False),
        (False, {"CI": "true"}, True, False),
        (False, {"TERM": "dumb"}, True, False),
        (False, {}, False, False),
    ],
)
def test_live_only_on_a_terminal_outside_ci(
    plain: bool, env: dict[str, str], tty: bool, live: bool
) -> None:
    class Out(io.StringIO):
        def isatty(self) -> bool:
            return tty

    assert live_view(plain, env, Out()) is live


PROJECT = """\
version: 1
images:
  app: {}
workflows:
  ci:
    jobs:
      - check:
          steps:
            - run: {name: unit, command: "echo ok; sleep 0.3"}
      - docs:
          steps:
            - run: {name: docs, command: "echo 'broken link'; exit 3"}
"""


def _on_a_terminal(cwd: Path, *args: str, env: dict[str, str]) -> tuple[int, str]:
    """`dockwright run ARGS` with a pseudo-terminal as its standard output; all it wrote."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dockwright", "run", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    data = os.read(leader, 65536)
                except OSError:  # EIO: every writer closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
    finally:
        os.close(leader)
        try:
            # The terminal closes as the process exits: give it the time to finish exiting.
            proc.wait(timeout=max(deadline - time.monotonic(), 5))
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.wait(timeout=30), b"".join(chunks).decode(errors="replace")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR", "TERM")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    env.update(TERM="xterm", COLUMNS="100", **extra)
    return env


def test_run_on_a_terminal_draws_the_live_view(tmp_path: Path) -> None:
    (tmp_path / "dockwright.yaml").write_text(PROJECT)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    code, out = _on_a_terminal(tmp_path, env=_env())
    assert code == 1
    assert "\x1b[?25l" in out  # the cursor hidden while it draws, then shown again
    assert "\x1b[?25h" in out
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out).replace("\r", "")
    assert "docs: docs failed  exited with 3\n  broken link\n" in plain
    assert re.search(r"passed +check +\d+\.\ds unit", plain)
    assert "check        unit" not in plain  # no plain lines


def test_run_in_ci_writes_plain_lines_even_on_a_terminal(tmp_path: Path) -> None:
    (tmp_path / "dockwright.yaml").write_text(PROJECT)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    code, out = _on_a_terminal(tmp_path, env=_env(CI="true"))
    assert code == 1
    assert "\x1b[" not in out
    lines = out.replace("\r", "").splitlines()
    assert "docs         docs     failed " in "\n".join(lines)
    assert any(re.fullmatch(r"check +unit +passed +\d+\.\ds  exit 0", line) for line in lines)


def test_plain_lines_load_no_drawing_code(tmp_path: Path) -> None:
    from tests.support.imports import modules_after

    (tmp_path / "dockwright.yaml").write_text(PROJECT.replace("exit 3", "true"))
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    loaded, done = modules_after(
        "from dockwright.cli.main import main\nmain(['run'])", cwd=tmp_path, extra_env={"CI": ""}
    )
    assert "docs         docs     passed " in done.stdout
    assert "dockwright.cli.liveview" not in loaded


def test_bad_input_before_any_job_leaves_no_lines() -> None:
    console = _console()
    view = LiveRenderer(console)
    plan = type("Plan", (), {"jobs": [], "default": True})()
    plan.jobs = [type("P", (), {"record": r})() for r in _jobs()[4:]]  # one pending job
    view.plan(plan)
    view.close()
    assert console.export_text() == ""
