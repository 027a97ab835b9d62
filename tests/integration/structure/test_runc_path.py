"""The runc path against the engine path on the same image: same outputs where Docker's
behaviour is reproduced, fallback where it is not, and nothing left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dockwright import proc
from dockwright.engine.docker import DockerEngine
from dockwright.errors import UsageError
from dockwright.structure.config import load_config
from dockwright.structure.drivers import DockerDriver, RunSettings
from dockwright.structure.results import Report
from dockwright.structure.runner import run_configs

pytestmark = pytest.mark.integration

PARITY = """\
schemaVersion: 2.0.0
globalEnvVars:
  - {key: GLOBAL, value: "g-$FOO"}
commandTests:
  - {name: default user, command: id}
  - {name: status, command: grep, args: ["-E", "^(Cap|Groups|NoNewPrivs)", /proc/self/status]}
  - {name: workdir and env, command: sh, args: ["-c", "pwd; printenv PATH FOO GLOBAL LOCAL"],
     envVars: [{key: LOCAL, value: "x-$FOO"}]}
  - {name: init layer, command: ls, args: ["-l", /.dockerenv, /etc/mtab, /etc/hostname]}
  - {name: resolv.conf, command: cat, args: [/etc/resolv.conf]}
  - {name: mounts, command: sh, args: ["-c", "grep -E ' /(proc|dev|sys|dev/shm|dev/pts) ' /proc/mounts | cut -d' ' -f1-4"]}
  - {name: devices, command: ls, args: [/dev]}
  - {name: stdin is empty, command: cat}
  - name: setup changes carried like a commit
    setup: [[rm, /lic/plain], [sh, -c, "echo one > /lic/new"], [mkdir, /made]]
    command: sh
    args: ["-c", "ls -a /lic /made; cat /lic/new"]
  - {name: killed by a signal, command: sh, args: ["-c", "kill -9 $$"]}
  - {name: exit code, command: sh, args: ["-c", "echo out; echo err >&2; exit 5"], exitCode: 5}
  - {name: missing binary, command: /no/such/binary}
  - {name: not in PATH, command: nosuchcommand}
"""
USERS = ("nobody", "1234:5678", "nobody:root", "0:65534", "65534")


def _run(image: str, config: Path, exec_path: str, timeout: float = 60) -> Report:
    settings = RunSettings(timeout=timeout, exec_path=exec_path)
    with DockerEngine() as engine:
        driver = DockerDriver(engine, image, settings)
        return run_configs(driver, [load_config(str(config))], settings)


def _outputs(report: Report) -> list[tuple[str, bool, tuple[str, ...], str, str]]:
    return [(r.name, r.passed, r.errors, r.stdout, r.stderr) for r in report.results]


def _leftovers() -> list[str]:
    with open("/proc/self/mounts", encoding="utf-8") as handle:
        mounts = [line for line in handle if "dockwright-runc-" in line]
    listed = proc.run(["runc", "list", "-q"]).stdout.split()
    ours = [c for c in listed if c.startswith("dockwright-")]
    dirs = [d for d in os.listdir("/tmp") if d.startswith("dockwright-runc-")]
    return mounts + ours + dirs


def test_runc_matches_engine(image: str, tmp_path: Path) -> None:
    config = tmp_path / "parity.yaml"
    config.write_text(PARITY)
    runc, engine = _run(image, config, "runc"), _run(image, config, "engine")
    assert runc.exec_path.startswith("runc (11 command tests), engine for 2"), runc.exec_path
    assert engine.exec_path == "engine (engine path chosen)"
    assert _outputs(runc) == _outputs(engine)
    assert not _leftovers()


@pytest.mark.parametrize("user", USERS)
def test_users_resolve_like_docker(image: str, tmp_path: Path, user: str) -> None:
    config = tmp_path / "user.yaml"
    config.write_text(
        "schemaVersion: 2.0.0\n"
        f"containerRunOptions: {{user: '{user}', capabilities: [NET_ADMIN]}}\n"
        "commandTests:\n"
        "  - {name: id, command: id}\n"
        "  - {name: caps, command: grep, args: [Cap, /proc/self/status]}\n"
        "  - {name: write, command: touch, args: [/data/x]}\n"
    )
    assert _outputs(_run(image, config, "runc")) == _outputs(_run(image, config, "engine"))


def test_fallback_per_test_and_per_config(image: str, tmp_path: Path) -> None:
    config = tmp_path / "fallback.yaml"
    config.write_text(
        "schemaVersion: 2.0.0\n"
        "containerRunOptions: {user: ghost}\n"
        "commandTests:\n  - {name: unknown user, command: id}\n"
    )
    report = _run(image, config, "auto")
    assert report.exec_path.startswith("runc (0 command tests), engine for 1 ")
    assert "unable to find user ghost" in report.results[0].errors[0]
    tty = tmp_path / "tty.yaml"
    tty.write_text(
        "schemaVersion: 2.0.0\ncontainerRunOptions: {allocateTty: true}\n"
        "commandTests:\n  - {name: tty, command: 'true'}\n"
    )
    assert "allocateTty" in _run(image, tty, "auto").exec_path
    settings = RunSettings(runtime="runc", exec_path="runc")
    with DockerEngine() as engine, pytest.raises(UsageError, match="--runtime"):
        DockerDriver(engine, image, settings)


def test_environment_variable_forces_the_engine(
    image: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "one.yaml"
    config.write_text("schemaVersion: 2.0.0\ncommandTests:\n  - {name: t, command: 'true'}\n")
    monkeypatch.setenv("DOCKWRIGHT_EXEC_PATH", "engine")
    assert _run(image, config, "").exec_path.startswith("engine")
    monkeypatch.setenv("DOCKWRIGHT_EXEC_PATH", "runc")
    assert _run(image, config, "").exec_path.startswith("runc")


def test_timeouts_and_failures_leave_nothing(image: str, tmp_path: Path) -> None:
    config = tmp_path / "slow.yaml"
    config.write_text(
        "schemaVersion: 2.0.0\ncommandTests:\n"
        "  - {name: slow, command: sleep, args: ['30']}\n"
        "  - {name: slow setup, setup: [[sleep, '30']], command: 'true'}\n"
        "  - {name: missing, command: /nope}\n"
        "  - {name: ok, command: ls, args: [/greeting]}\n"
        "fileContentTests:\n  - {name: c, path: /greeting, expectedContents: [hello]}\n"
    )
    started = time.monotonic()
    report = _run(image, config, "runc", timeout=1.0)
    assert time.monotonic() - started < 15
    assert [r.passed for r in report.results] == [False, False, False, True, True]
    assert report.results[0].errors == ("Test 'slow' timed out after 1 s and was killed",)
    assert not _leftovers()


def test_interrupt_leaves_nothing(image: str, tmp_path: Path) -> None:
    config = tmp_path / "hang.yaml"
    config.write_text(
        "schemaVersion: 2.0.0\ncommandTests:\n"
        + "".join(f"  - {{name: hang{i}, command: sleep, args: ['60']}}\n" for i in range(6))
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "dockwright", "test", "-i", image, "-c", str(config),
         "--exec-path", "runc"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(proc.run(["runc", "list", "-q"]).stdout.split()) < 4:
        time.sleep(0.2)
    child.send_signal(signal.SIGINT)
    child.wait(timeout=30)
    assert child.returncode != 0
    assert not _leftovers()


VIEW_PATHS = (
    "/", "/link", "/rellink", "/greeting", "/fifo", "/data", "/etc/hosts", "/.dockerenv",
    "/etc/mtab", "/dev", "/proc", "/nope", "/nope/x", "etc/passwd", "//etc//passwd",
    "/etc/../etc/group", "/etc/.", "/lic/",
)  # fmt: skip


def test_rootfs_view_matches_the_archive_api(image: str) -> None:
    from dockwright.structure.views import ContainerView, RootfsView

    settings = RunSettings(exec_path="runc")
    with DockerEngine() as engine:
        driver = DockerDriver(engine, image, settings)
        try:
            fast = driver.view()
            assert isinstance(fast, RootfsView)
            slow = ContainerView(engine, driver.info.id, {"dockwright.test": "1"})
            try:
                for path in VIEW_PATHS:
                    for owner in (False, True):
                        mine, theirs = fast.lstat(path, owner=owner), slow.lstat(path, owner=owner)
                        if mine and theirs and mine.type == "dir" and not owner:
                            mine = type(mine)(**{**mine.__dict__, "size": theirs.size})
                        assert mine == theirs, (path, owner)
                for path in ("/greeting", "/link", "/rellink", "/etc/hosts", "/lic/plain"):
                    assert fast.read(path) == slow.read(path), path
                assert fast.listdir("/usr/share/doc") == slow.listdir("/usr/share/doc")
            finally:
                slow.close()
        finally:
            driver.close()
    assert not _leftovers()
