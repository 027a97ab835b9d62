"""Our structure-test runner against container-structure-test 1.19.1 itself, on the same image.

Every config under configs/ (and a generated containerRunOptions config) is run by both; the
per-test names, verdicts, error messages (container ids masked), pass/fail counts and exit codes
must agree.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from dockwright.engine.docker import DockerEngine
from dockwright.structure.config import load_config
from dockwright.structure.drivers import ArchiveDriver, DockerDriver, RunSettings
from dockwright.structure.results import Report
from dockwright.structure.runner import run_configs, run_structure_tests

pytestmark = pytest.mark.integration

HERE = Path(__file__).parent
CONFIGS = sorted(p for p in (HERE / "configs").iterdir() if p.suffix in (".yaml", ".json"))
CST = Path(sys.executable).parent / "container-structure-test"
_ID = re.compile(r"\b[0-9a-f]{64}\b")

needs_cst = pytest.mark.skipif(not CST.exists(), reason="container-structure-test not installed")


def _cst(image: str, config: Path, cwd: Path | None = None) -> tuple[dict[str, object], int]:
    done = subprocess.run(
        [str(CST), "test", "--image", image, "--config", str(config), "--output", "json"],
        capture_output=True, text=True, check=False, cwd=cwd, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    return json.loads(done.stdout), done.returncode


def _same(theirs: dict[str, object], code: int, ours: Report) -> None:
    results = theirs.get("Results") or []
    assert isinstance(results, list)
    assert [(r["Name"], r["Pass"]) for r in results] == [(r.name, r.passed) for r in ours.results]
    for cst, mine in zip(results, ours.results, strict=True):
        assert [_ID.sub("<id>", e) for e in cst.get("Errors", [])] == [
            _ID.sub("<id>", e) for e in mine.errors
        ], mine.name
        if mine.name.startswith("Command Test") and "HOSTNAME" not in mine.stdout:
            assert (cst.get("Stdout", ""), cst.get("Stderr", "")) == (mine.stdout, mine.stderr)
    assert (theirs["Pass"], theirs["Fail"], theirs["Total"]) == (
        ours.passed, ours.failed, ours.total,
    )  # fmt: skip
    assert (code == 0) == ours.ok


def _ours(image: str, config: Path, exec_path: str) -> Report:
    settings = RunSettings(timeout=60, exec_path=exec_path)
    with DockerEngine() as engine:
        report = run_configs(
            DockerDriver(engine, image, settings), [load_config(str(config))], settings
        )
    if load_config(str(config)).command_tests:
        assert report.exec_path.startswith(exec_path), report.exec_path
    return report


# Every config through the runc path; the command and file configs through the engine too.
CASES = [(c, "runc") for c in CONFIGS] + [
    (c, "engine") for c in CONFIGS if c.name in ("commands.yaml", "files.yaml")
]


@needs_cst
@pytest.mark.parametrize(("config", "exec_path"), CASES, ids=lambda v: getattr(v, "name", v))
def test_same_verdicts_as_cst(image: str, config: Path, exec_path: str) -> None:
    theirs, code = _cst(image, config)
    _same(theirs, code, _ours(image, config, exec_path))


@needs_cst
def test_container_run_options(image: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "note").write_text("from the host\n")
    (tmp_path / "vars.env").write_text("# comment\nFROM_FILE=file-value\nEMPTY_VALUE=\n=nokey\n")
    monkeypatch.setenv("DW_FROM_HOST", "host-value")
    monkeypatch.delenv("DW_UNSET", raising=False)
    config = tmp_path / "options.yaml"
    config.write_text(
        f"""\
schemaVersion: 2.0.0
containerRunOptions:
  user: "1234:5678"
  capabilities: [NET_ADMIN]
  bindMounts: ["{shared}:/mnt/shared"]
  envFile: vars.env
  envVars: [DW_FROM_HOST]
commandTests:
  - name: user is applied
    command: id
    expectedOutput: ["uid=1234 gid=5678"]
  - name: bind mount is visible
    command: cat
    args: [/mnt/shared/note]
    expectedOutput: ["^from the host\\n$"]
  - name: env from file and host
    command: env
    expectedOutput: ["(?m)^FROM_FILE=file-value$", "(?m)^DW_FROM_HOST=host-value$"]
    excludedOutput: ["EMPTY_VALUE", "nokey"]
  - name: wrong user expectation
    command: id
    args: [-u]
    expectedOutput: ["^0$"]
"""
    )
    theirs, code = _cst(image, config, cwd=tmp_path)
    monkeypatch.chdir(tmp_path)
    with DockerEngine() as engine:
        ours = run_structure_tests(engine, image, [str(config)], timeout=60)
    _same(theirs, code, ours)
    config.write_text(config.read_text().replace("[DW_FROM_HOST]", "[DW_FROM_HOST, DW_UNSET]"))
    theirs, code = _cst(image, config, cwd=tmp_path)
    with DockerEngine() as engine:
        ours = run_structure_tests(engine, image, [str(config)], timeout=60)
    _same(theirs, code, ours)  # an unset host variable fails every command test in both


def test_tty_and_capabilities(image: str, tmp_path: Path) -> None:
    """Where CST 1.19.1 is broken we follow its documentation (docs/structure-tests.md): with
    allocateTty stderr is merged into stdout (CST fails every test: "Unrecognized input header"),
    and capabilities are added (CST leaves them out)."""
    config = tmp_path / "tty.yaml"
    config.write_text(
        "schemaVersion: 2.0.0\n"
        "containerRunOptions: {allocateTty: true, capabilities: [NET_ADMIN]}\n"
        "commandTests:\n"
        "  - name: tty\n    command: sh\n    args: ['-c', 'echo out; echo err >&2']\n"
        "    expectedOutput: ['out\\r?\\nerr']\n    expectedError: ['^$']\n"
        "  - name: cap\n    command: grep\n    args: [CapBnd, /proc/self/status]\n"
    )
    with DockerEngine() as engine:
        tty, cap = run_structure_tests(engine, image, [str(config)], timeout=60).results
    assert tty.passed, tty.errors
    assert int(cap.stdout.split()[-1], 16) & (1 << 12)  # CAP_NET_ADMIN


def test_tar_driver_agrees_with_docker_driver(image: str, tmp_path: Path) -> None:
    """File, license and metadata tests read from a `docker save` archive give the docker
    driver's verdicts (the tar driver runs no commands)."""
    saved = tmp_path / "image.tar"
    with DockerEngine() as engine:
        with open(saved, "wb") as handle:
            engine.save(image, handle)
        names = ("files.yaml", "licenses.yaml", "metadata_pass.yaml", "metadata_fail.yaml")
        configs = [load_config(str(HERE / "configs" / n)) for n in names]
        docker = run_structure_tests(engine, image, [c.path for c in configs], timeout=60)
    with tarfile.open(saved) as tar:
        assert "manifest.json" in tar.getnames()
    settings = RunSettings()
    tar_report = run_configs(ArchiveDriver(str(saved), settings), configs, settings)
    assert [(r.name, r.passed) for r in tar_report.results] == [
        (r.name, r.passed) for r in docker.results
    ]


def test_timeout_is_a_failure(image: str, tmp_path: Path) -> None:
    config = tmp_path / "slow.yaml"
    config.write_text(
        "schemaVersion: 2.0.0\ncommandTests:\n"
        "  - name: slow\n    command: sleep\n    args: ['30']\n"
        "  - name: own timeout\n    command: sleep\n    args: ['30']\n    timeout: 0.5\n"
        "  - name: fast\n    command: 'true'\n"
    )
    with DockerEngine() as engine:
        report = run_structure_tests(engine, image, [str(config)], timeout=1.5)
    slow, own, fast = report.results
    assert not slow.passed and slow.errors == ("Test 'slow' timed out after 1.5 s and was killed",)
    assert not own.passed and own.errors == (
        "Test 'own timeout' timed out after 0.5 s and was killed",
    )
    assert fast.passed and slow.duration < 10


def test_cli_json_junit_and_exit_codes(image: str, tmp_path: Path) -> None:
    from dockwright.cli.main import main

    config = tmp_path / "ok.yaml"
    config.write_text("schemaVersion: 2.0.0\ncommandTests:\n  - name: ok\n    command: 'true'\n")
    out = tmp_path / "report.json"
    assert main(["test", "--image", image, "--config", str(config), "--test-report", str(out)]) == 0
    body = json.loads(out.read_text())
    assert (body["Pass"], body["Fail"], body["Results"][0]["Name"]) == (1, 0, "Command Test: ok")
    junit = tmp_path / "report.xml"
    argv = ["test", "-i", image, "-c", str(config), "-o", "junit", "--test-report", str(junit)]
    assert main(argv) == 0
    assert junit.read_text().startswith(
        '<?xml version="1.0" encoding="UTF-8"?><testsuites failures="0" tests="1"'
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("schemaVersion: 2.0.0\ncommandTests:\n  - name: x\n    comand: 'true'\n")
    assert main(["test", "--image", image, "--config", str(bad)]) == 2
    assert main(["test", "--image", image, "--config", str(config), "-o", "xml"]) == 2
    assert (
        main(["test", "--image", image, "--config", str(config), "--platform", "linux/riscv64"])
        == 2
    )
