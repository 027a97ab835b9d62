from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from tests.support.imports import modules_after

from dockwright import proc
from dockwright.cli.main import main

from .hadolint_oracle import HADOLINT

BAD = "FROM debian\nRUN apt-get install -y curl\nCMD echo hi\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "Dockerfile").write_text(BAD)
    return tmp_path


def test_default_file_tty_and_exit_code(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--no-color"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "Dockerfile:1 DL3006 warning: Always tag the version of an image explicitly",
        "Dockerfile:2 DL3008 warning: Pin versions in apt get install. Instead of "
        "`apt-get install <package>` use `apt-get install <package>=<version>`",
        "Dockerfile:2 DL3015 info: Avoid additional packages by specifying "
        "`--no-install-recommends`",
        "Dockerfile:3 DL3025 warning: Use arguments JSON notation for CMD and ENTRYPOINT arguments",
    ]


def test_colors(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["lint", "--ignore", "DL3008", "--ignore", "DL3015", "--ignore", "DL3025"])
    assert capsys.readouterr().out == (
        "Dockerfile:1 DL3006 \x1b[1m\x1b[93mwarning\x1b[0m: "
        "Always tag the version of an image explicitly\n"
    )


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["-t", "error"], 0),
        (["-t", "warning"], 1),
        (["--no-fail"], 0),
        (["--ignore", "DL3006", "--ignore", "DL3008", "--ignore", "DL3025"], 1),
        (["--ignore", "DL3006", "--ignore", "DL3008", "--ignore", "DL3025", "-t", "warning"], 0),
        (["--error", "DL3015", "-t", "error"], 1),
        (["-t", "none", "--style", "DL3006", "--ignore", "DL3008", "--ignore", "DL3015",
          "--ignore", "DL3025"], 1),
    ],
)  # fmt: skip
def test_exit_codes_match_hadolint(
    workdir: Path, argv: list[str], code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", "-f", "json", *argv, "Dockerfile"]) == code
    if HADOLINT is not None:
        res = proc.run([HADOLINT, "-f", "json", *argv, "Dockerfile"], check=False, cwd=workdir)
        assert res.returncode == code
        theirs = [f for f in json.loads(res.stdout) if not f["code"].startswith("SC")]
        ours = json.loads(capsys.readouterr().out)
        key = lambda f: (f["line"], f["code"])  # noqa: E731
        assert sorted(ours, key=key) == sorted(theirs, key=key)


def test_config_file_discovered(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / ".hadolint.yaml").write_text("failure-threshold: error\nignored: [DL3006]\n")
    assert main(["lint", "-f", "json"]) == 0
    codes = [f["code"] for f in json.loads(capsys.readouterr().out)]
    assert codes == ["DL3008", "DL3015", "DL3025"]


def test_bad_config_is_exit_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "lint.yaml").write_text("failure-threshold: loud\n")
    assert main(["lint", "-c", "lint.yaml"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "dockwright: error: lint.yaml:1: at failure-threshold: expected one of error, warning, "
        "info, style, ignore, none; found 'loud'\n"
    )


def test_missing_file_and_config(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "nope"]) == 2
    assert main(["lint", "-c", "missing.yaml"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "dockwright: error: nope: no such file",
        "dockwright: error: missing.yaml: no such config file",
    ]


RETIRED = ["DL3005", "DL3017", "DL3031", "DL3039"]


def test_retired_codes_are_accepted_silently(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """hadolint 2.15.1 takes the codes it retired; configurations for older releases list
    them. On the command line, in .hadolint.yaml and in HADOLINT_* alike."""
    argv = ["lint", "-f", "json", "--ignore", "DL3005", "--error", "DL3017", "--warning", "DL3031"]
    (workdir / ".hadolint.yaml").write_text(
        "ignored: [DL3039, DL3005]\noverride:\n  info: [DL3017]\n"
    )
    monkeypatch.setenv("HADOLINT_IGNORE", "DL3031,DL3039")
    assert main([*argv, "--ignore", "DL3008"]) == 1
    out = capsys.readouterr()
    assert out.err == ""
    assert [f["code"] for f in json.loads(out.out)] == ["DL3006", "DL3015", "DL3025"]


def test_unknown_codes_are_warnings_naming_the_code(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / ".hadolint.yaml").write_text("ignored: [DL9999]\n")
    monkeypatch.setenv("HADOLINT_OVERRIDE_ERROR", "DL1234")
    code = main(
        ["lint", "-f", "json", "--ignore", "XX1", "--ignore", "dl3008", "--style", "SC9999",
         "--ignore", "DL3008", "--info", "DL3O25"]
    )  # fmt: skip
    assert code == 1
    out = capsys.readouterr()
    assert out.err.splitlines() == [
        "dockwright: warning: unknown rule code 'XX1' has no effect",
        "dockwright: warning: unknown rule code 'dl3008' has no effect (did you mean DL3008?)",
        "dockwright: warning: unknown rule code 'DL3O25' has no effect (did you mean DL3025?)",
        "dockwright: warning: unknown rule code 'DL9999' has no effect",
        "dockwright: warning: unknown rule code 'DL1234' has no effect (did you mean DL3064?)",
    ]
    assert [f["code"] for f in json.loads(out.out)] == ["DL3006", "DL3015", "DL3025"]


def test_rule_command_on_a_retired_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "DL3005"]) == 0
    assert capsys.readouterr().out == (
        "# DL3005 (retired)\n\n"
        "Message: Do not use apt-get dist-upgrade\n"
        "Retired: removed in hadolint 2.13\n\n"
        "The code is still accepted wherever a rule code is (--ignore, ignored:, override:,\n"
        "HADOLINT_* variables, pragmas), so configurations written for older releases keep\n"
        "working; nothing reports it.\n"
    )


def test_parse_error_is_dl1000(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "Dockerfile").write_text("FROM a:1\nRUN <<EOF\necho\n")
    assert main(["lint", "-f", "json", "--no-fail"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "code": "DL1000",
            "column": 5,
            "file": "Dockerfile",
            "level": "error",
            "line": 2,
            "message": "unterminated heredoc 'EOF'",
        }
    ]
    assert main(["lint"]) == 1
    assert capsys.readouterr().out == "Dockerfile:2:5 unterminated heredoc 'EOF'\n"


def test_several_files_and_stdin(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "Other").write_text("FROM a:1\nMAINTAINER x\n")
    res = proc.run(
        [sys.executable, "-m", "dockwright", "lint", "-f", "json", "Other", "-"],
        check=False,
        input=BAD,
        cwd=workdir,
    )
    assert res.returncode == 1
    assert [(f["file"], f["code"]) for f in json.loads(res.stdout)] == [
        ("Other", "DL4000"),
        ("-", "DL3006"),
        ("-", "DL3008"),
        ("-", "DL3015"),
        ("-", "DL3025"),
    ]


def test_rule_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "dl3007"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# DL3007 (warning)\n")
    assert "Bad::" in out and "Good::" in out
    assert main(["rule", "DL9999"]) == 2


@pytest.mark.parametrize("cache", ["warm", "off"])
def test_lint_path_imports_stay_small(workdir: Path, cache: str) -> None:
    """What `dockwright lint FILE` imports beyond a bare interpreter. With the ShellCheck
    result cache warm (as a repeated run in an editor or pre-commit finds it: no ShellCheck
    process at all), and off (as a first run: ShellCheck is started)."""
    code = "from dockwright.cli.main import main\nmain(['lint', '--no-fail', 'Dockerfile'])"
    env = {"DOCKWRIGHT_CACHE": "off"} if cache == "off" else {"XDG_CACHE_HOME": str(workdir)}
    if cache == "warm":
        modules_after(code, cwd=workdir, extra_env=env)  # fills the cache
    loaded, _ = modules_after(code, cwd=workdir, extra_env=env)
    assert not loaded & {"yaml", "httpx", "re2", "dockwright.pipeline", "dockwright.engine"}
    # Start-up cost: what only other commands or other paths need stays out. json (and with
    # it re and enum) and signal load: the standard library as it is meant to be used.
    heavy = {
        "importlib.metadata", "email", "zipfile", "csv", "difflib", "asyncio", "ssl",
        "http", "urllib.request", "socket", "multiprocessing", "concurrent.futures",
        "rich", "pydantic", "msgspec", "ruamel", "click", "typer", "jsonschema",
        # value classes are Records, not dataclasses (which import inspect); paths are
        # os.path; tempfile only to write several scripts or a new cache entry; the cache
        # names entries by zlib.crc32, not hashlib (OpenSSL's start-up)
        "typing", "dataclasses", "inspect", "pathlib", "tempfile", "ipaddress", "hashlib",
        # one script for ShellCheck: started by posix_spawn, no subprocess and no thread
        "subprocess", "threading", "selectors", "shutil", "bz2", "lzma",
        # a plain command line is parsed without argparse (dockwright.cli.lintargs)
        "argparse", "gettext", "locale",
        "importlib",
    }  # fmt: skip
    assert not loaded & heavy
    assert ("zlib" in loaded) == (cache == "warm")  # the cache's entry names
    # only the rules that can fire on this file (FROM, RUN, CMD): no LABEL, COPY or ADD rules
    assert "dockwright.lint.rules.dl3008" in loaded
    assert not loaded & {"dockwright.lint.labels", "dockwright.lint.rules.dl3048",
                         "dockwright.lint.rules.dl3020", "dockwright.lint.rules.dl3045"}  # fmt: skip
    ours = {m for m in loaded if m.startswith("dockwright.")}
    allowed = ("dockwright.cli", "dockwright.dockerfile", "dockwright.errors", "dockwright.lint",
               "dockwright.proc", "dockwright.record")  # fmt: skip
    assert all(m.startswith(allowed) for m in ours), sorted(ours)
    assert not {m for m in ours if m.startswith(("dockwright.lint.fix", "dockwright.cli.rule"))}
    assert {m for m in ours if m.startswith("dockwright.cli.")} <= {
        "dockwright.cli.main", "dockwright.cli.errors", "dockwright.cli.lint",
        "dockwright.cli.lintargs",
    }  # fmt: skip
