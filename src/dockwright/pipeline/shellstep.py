"""``run:`` steps: the user's shell command, as CircleCI runs it.

The command goes to ``bash -eo pipefail -c`` when bash is installed, else ``sh -e -c``
(CircleCI's default shells), or to the step's ``shell`` with ``-c COMMAND`` added. It runs in
the job's ``working_directory`` (relative to dockwright.yaml's directory) and the step's
(relative to the job's), with the environment of dockwright plus the job's and the step's.
Its output (standard output and error together) is the step's, line by line. A command that
prints nothing for ``no_output_timeout`` (default 10 minutes) is stopped, and fails the step.
"""

from __future__ import annotations

import shutil

from dockwright import proc
from dockwright.pipeline.jobrun import JobRun, job_env
from dockwright.pipeline.runrecord import State, StepRecord
from dockwright.pipeline.workflow import RunStep, Step


def default_shell() -> tuple[str, ...]:
    bash = shutil.which("bash")
    return (bash, "-eo", "pipefail") if bash else ("/bin/sh", "-e")


def run_step(run: JobRun, step: Step, rec: StepRecord) -> None:
    assert isinstance(step, RunStep)
    argv = [*(step.shell or default_shell()), "-c", step.command]
    done = proc.stream(
        argv,
        lambda line: run.output(rec, line),
        env=job_env(run, step),
        cwd=run.workdir(step.working_directory),
        no_output_timeout=step.no_output_timeout,
    )
    rec.exit_code = done.returncode
    if done.returncode == 0:
        rec.summary = "exit 0"
        return
    rec.state = State.FAILED
    if done.timed_out:
        rec.summary = f"stopped: no output for {_duration(step.no_output_timeout)}"
    elif done.returncode < 0:
        rec.summary = f"killed by signal {-done.returncode}"
    else:
        rec.summary = f"exited with {done.returncode}"
    rec.details = tuple(rec.tail)


def _duration(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)}m"
    return f"{seconds:g}s"
