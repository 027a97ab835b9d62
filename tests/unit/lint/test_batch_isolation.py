"""One file's trouble never hides the other files' results in a call over many files."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from dockwright.cli.main import main
from dockwright.dockerfile import Dockerfile, Instruction
from dockwright.errors import LintIncomplete
from dockwright.lint import LintConfig, lint_path
from dockwright.lint.rule import LintContext

GOOD = "FROM debian\nMAINTAINER me\n"
# Malformed JSON forms, as real Dockerfiles (BuildKit's parser tests among them) hold.
MALFORMED_JSON = [
    'FROM a:1\nCMD ["a", "b"\n',
    'FROM a:1\nRUN ["x\n',
    'FROM a:1\nENTRYPOINT ["\\u12"]\n',
    "FROM a:1\nVOLUME [\n",
]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCKWRIGHT_CACHE", "off")
    return tmp_path


def test_malformed_json_forms_are_shell_forms(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = []
    for i, text in enumerate(MALFORMED_JSON):
        (workdir / f"bad{i}").write_text(text)
        (workdir / f"good{i}").write_text(GOOD)
        names += [f"bad{i}", f"good{i}"]
    assert main(["lint", "-f", "json", *names]) == 1
    out = capsys.readouterr()
    assert out.err == ""
    found = {(f["file"], f["code"]) for f in json.loads(out.out)}
    for i in range(len(MALFORMED_JSON)):
        assert {(f"good{i}", "DL3006"), (f"good{i}", "DL4000")} <= found
    # a CMD or ENTRYPOINT that is not JSON is shell form (DL3025), as in BuildKit
    assert ("bad0", "DL3025") in found and ("bad2", "DL3025") in found


def _write(workdir: Path, files: dict[str, str]) -> list[str]:
    for name, text in files.items():
        (workdir / name).write_text(text)
    return list(files)


def _break_rule_on(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """DL4000 raises on the file ``name`` (forked workers inherit the patch)."""
    from dockwright.lint.rules.dl4000 import NoMaintainer

    original = NoMaintainer.violates

    def violates(self: NoMaintainer, ctx: LintContext, ins: Instruction) -> bool:
        if ctx.df.path == name:
            raise ValueError("boom")
        return original(self, ctx, ins)

    monkeypatch.setattr(NoMaintainer, "violates", violates)


@pytest.mark.parametrize("count", [3, 80])  # rules in this process, and in forked workers
def test_a_rule_that_raises_costs_only_that_rule_on_that_file(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], count: int
) -> None:
    names = _write(workdir, {f"f{i}": GOOD for i in range(count)})
    _break_rule_on(monkeypatch, "f1")
    assert main(["lint", "-f", "json", *names]) == 3
    out = capsys.readouterr()
    found = {(f["file"], f["code"]) for f in json.loads(out.out)}
    assert found == {(n, "DL3006") for n in names} | {(n, "DL4000") for n in names if n != "f1"}
    lines = out.err.splitlines()
    assert lines[0] == "dockwright: error: f1: rule DL4000 failed: ValueError: boom"
    assert lines[1] == (
        "dockwright: this is a bug (in dockwright, or in the plugin the rule comes from); "
        "please report it with this trace:"
    )
    assert lines[2] == "Traceback (most recent call last):"
    assert lines[-1] == (
        f"dockwright: 1 of {count} files could not be linted completely; every other result "
        "is reported"
    )


def test_a_parser_bug_costs_only_that_file(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dockwright.lint import engine

    names = _write(workdir, {"a": GOOD, "b": GOOD, "c": GOOD})
    real = engine.parse_bytes

    def parse_bytes(data: bytes, path: str) -> Dockerfile:
        if path == "b":
            raise RecursionError("maximum recursion depth exceeded")
        return real(data, path=path)

    monkeypatch.setattr(engine, "parse_bytes", parse_bytes)
    assert main(["lint", "-f", "json", *names]) == 3
    out = capsys.readouterr()
    assert {f["file"] for f in json.loads(out.out)} == {"a", "c"}
    assert out.err.startswith(
        "dockwright: error: b: parsing failed: RecursionError: maximum recursion depth exceeded\n"
    )


def test_machine_formats_that_can_carry_a_problem_do(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    names = _write(workdir, {"ok": GOOD, "f1": GOOD})
    _break_rule_on(monkeypatch, "f1")
    assert main(["lint", "-f", "sarif", *names]) == 3
    run = json.loads(capsys.readouterr().out)["runs"][0]
    assert run["invocations"] == [
        {
            "executionSuccessful": False,
            "toolExecutionNotifications": [
                {
                    "level": "error",
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "f1"}}}],
                    "message": {"text": "rule DL4000 failed: ValueError: boom"},
                }
            ],
        }
    ]
    assert {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    } == {"ok", "f1"}
    assert main(["lint", "-f", "checkstyle", *names]) == 3
    xml = capsys.readouterr().out
    assert "<exception><![CDATA[rule DL4000 failed: ValueError: boom\nTraceback" in xml
    assert main(["lint", "-f", "junit", *names]) == 3
    xml = capsys.readouterr().out
    assert '<error message="rule DL4000 failed: ValueError: boom" type="error">Traceback' in xml
    assert '<testsuite errors="1" failures="1" id="hadolint"' in xml


def test_library_calls_raise_lint_incomplete(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(workdir, {"f1": GOOD})
    _break_rule_on(monkeypatch, "f1")
    with pytest.raises(LintIncomplete) as caught:
        lint_path("f1", LintConfig())
    assert str(caught.value) == "f1: rule DL4000 failed: ValueError: boom"


# ShellCheck that hangs on scripts holding HANG, fails on those holding FAIL, and is the
# real ShellCheck otherwise.
FAKE_SHELLCHECK = """\
#!{python}
import subprocess, sys, time
args = sys.argv[1:]
files = args[args.index("--") + 1 :]
data = sys.stdin.buffer.read() if files == ["-"] else b"".join(open(f, "rb").read() for f in files)
if b"HANG" in data:
    time.sleep(120)
if b"FAIL" in data:
    sys.stderr.write("shellcheck: out of cheese\\n")
    sys.exit(2)
res = subprocess.run([{real!r}, *args], input=data if files == ["-"] else None, capture_output=True)
sys.stdout.buffer.write(res.stdout)
sys.exit(res.returncode)
"""


@pytest.fixture
def fake_shellcheck(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from dockwright.lint.shellcheck import find_binary

    fake = workdir / "fake-shellcheck"
    fake.write_text(FAKE_SHELLCHECK.format(python=sys.executable, real=find_binary()))
    fake.chmod(0o755)
    monkeypatch.setenv("DOCKWRIGHT_SHELLCHECK", str(fake))
    monkeypatch.setenv("DOCKWRIGHT_SHELLCHECK_TIMEOUT", "2")
    return fake


def test_a_hung_shellcheck_is_killed_and_reported(
    workdir: Path, fake_shellcheck: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(workdir, {"hangs": "FROM debian\nRUN echo HANG $X\n"})
    started = time.monotonic()
    # not a bug (exit 3): the run fails, as for a file that does not parse
    assert main(["lint", "-f", "json", "-t", "error", "hangs"]) == 1
    assert time.monotonic() - started < 20
    out = capsys.readouterr()
    assert {(f["file"], f["code"]) for f in json.loads(out.out)} == {("hangs", "DL3006")}
    assert out.err.splitlines() == [
        "dockwright: error: hangs: ShellCheck on the RUN at line 2: timed out after 2 s and was "
        "killed",
        "dockwright: 1 of 1 file could not be linted completely; every other result is reported",
    ]
    assert main(["lint", "--no-fail", "hangs"]) == 0


@pytest.mark.parametrize("count", [4, 70])  # ShellCheck batches started at once; in a thread
def test_one_script_shellcheck_cannot_check_costs_the_others_nothing(
    workdir: Path, fake_shellcheck: Path, capsys: pytest.CaptureFixture[str], count: int
) -> None:
    files = {f"f{i}": f"FROM debian:12\nRUN echo $X{i}\n" for i in range(count)}
    files["f1"] = "FROM debian:12\nRUN echo HANG $X\n"
    files["f2"] = "FROM debian:12\nRUN echo FAIL $X\n"
    names = _write(workdir, files)
    started = time.monotonic()
    assert main(["lint", "-f", "json", *names]) == 1
    assert time.monotonic() - started < 60
    out = capsys.readouterr()
    found = {(f["file"], f["code"]) for f in json.loads(out.out)}
    assert found == {(n, "SC2086") for n in names if n not in ("f1", "f2")}
    err = out.err.splitlines()
    assert err[:2] == [
        "dockwright: error: f1: ShellCheck on the RUN at line 2: timed out after 2 s and was "
        "killed",
        "dockwright: error: f2: ShellCheck on the RUN at line 2: exited with 2: shellcheck: out "
        "of cheese",
    ]


def test_a_shellcheck_that_hangs_on_everything_is_given_up_on(
    workdir: Path, fake_shellcheck: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {f"f{i}": f"FROM debian\nRUN echo HANG {i}\n" for i in range(12)}
    names = _write(workdir, files)
    started = time.monotonic()
    assert main(["lint", "-f", "json", *names]) == 1
    # the batch's deadline, then as many one-script processes at once as run side by side
    assert time.monotonic() - started < 3 * 2 + 10
    out = capsys.readouterr()
    assert {(f["file"], f["code"]) for f in json.loads(out.out)} == {(n, "DL3006") for n in names}
    err = out.err.splitlines()
    assert len(err) == len(names) + 1
    assert all(line.startswith("dockwright: error: f") for line in err[:-1])
    assert sum("timed out after 2 s and was killed" in line for line in err) >= 2
    assert sum("not checked: ShellCheck timed out on" in line for line in err) >= 1


def test_fix_goes_on_with_the_other_files(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    names = _write(workdir, {"a": GOOD, "f1": GOOD, "c": GOOD})
    _break_rule_on(monkeypatch, "f1")
    assert main(["lint", "--fix", "-f", "json", *names]) == 3
    out = capsys.readouterr()
    # DL4000's fix (MAINTAINER -> LABEL) applied to the other files
    assert (workdir / "a").read_text() == (workdir / "c").read_text() != GOOD
    assert (workdir / "f1").read_text() == GOOD
    err = out.err.splitlines()
    assert err[0] == "dockwright: error: f1: rule DL4000 failed: ValueError: boom; not fixed"
    assert {(f["file"], f["code"]) for f in json.loads(out.out)} == {
        ("a", "DL3006"),
        ("c", "DL3006"),
        ("f1", "DL3006"),
    }


def test_a_shellcheck_that_cannot_start_is_an_error_for_the_files_with_runs(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = workdir / "not-executable"
    binary.write_text("#!/bin/sh\n")
    monkeypatch.setenv("DOCKWRIGHT_SHELLCHECK", str(binary))
    names = _write(workdir, {"runs": "FROM debian\nRUN echo $X\n", "none": GOOD})
    assert main(["lint", "-f", "json", *names]) == 1
    out = capsys.readouterr()
    found = {(f["file"], f["code"]) for f in json.loads(out.out)}
    assert found == {("runs", "DL3006"), ("none", "DL3006"), ("none", "DL4000")}
    assert out.err.splitlines() == [
        f"dockwright: error: runs: ShellCheck could not check the file's RUNs: cannot run "
        f"'{binary}': [Errno 13] Permission denied: '{binary}'",
        "dockwright: 1 of 2 files could not be linted completely; every other result is reported",
    ]


def test_pragmas_that_cannot_be_read_are_one_problem(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dockwright.lint import engine

    real = engine.collect

    def collect(df: Dockerfile) -> object:
        if df.path == "f1":
            raise IndexError("list index out of range")
        return real(df)

    monkeypatch.setattr(engine, "collect", collect)
    names = _write(workdir, {"f0": GOOD, "f1": "FROM debian\nRUN echo $X\n"})
    assert main(["lint", "-f", "json", *names]) == 3
    out = capsys.readouterr()
    assert {f["file"] for f in json.loads(out.out)} == {"f0"}
    errors = [line for line in out.err.splitlines() if line.startswith("dockwright: error:")]
    assert errors == [
        "dockwright: error: f1: reading pragmas failed: IndexError: list index out of range"
    ]
