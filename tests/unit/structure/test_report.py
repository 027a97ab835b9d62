from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from dockwright.structure.report import render_json, render_junit, render_text
from dockwright.structure.runner import FileReport, Report, TestResult

REPORT = Report(
    (
        FileReport(
            "dir/c.yaml",
            (
                TestResult("Command Test: ok", True, (), "hi\n", "", 0.25),
                TestResult("File Existence Test: f", False, ("it's\nbad",)),
            ),
        ),
    )
)


def test_json_shape_matches_cst() -> None:
    text = render_json(REPORT)
    assert text.endswith("\n") and "\n" not in text[:-1]
    body = json.loads(text)
    assert list(body) == ["Pass", "Fail", "Total", "Duration", "Results"]
    assert (body["Pass"], body["Fail"], body["Total"], body["Duration"]) == (1, 1, 2, 250000000)
    assert body["Results"][0] == {
        "Name": "Command Test: ok", "Pass": True, "Stdout": "hi\n", "Duration": 250000000,
    }  # fmt: skip
    assert body["Results"][1]["Errors"] == ["it's\nbad"]
    assert json.loads(render_json(Report())) == {"Pass": 0, "Fail": 0, "Total": 0, "Duration": 0}


def test_junit_escapes_like_go() -> None:
    xml = render_junit(REPORT)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?><testsuites failures="1"')
    assert "<failure>it&#39;s&#xA;bad</failure>" in xml


def test_text_banner_and_summary() -> None:
    lines = render_text(REPORT).splitlines()
    assert lines[2] == "====== Test file: c.yaml ======"
    assert lines[1] == "=" * len(lines[2])
    assert "--- FAIL" in lines and "Error: it's" in lines
    assert lines[-1] == "FAIL" and "Total tests: 2" in lines
    assert "No tests run! Check config file format." in render_text(Report())


def test_bad_configs_in_json_and_junit_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad file is in the machine-readable report too (nothing ran), besides stderr and
    exit 2; the JSON keeps CST's shape, JUnit counts it as an error."""
    from dockwright.cli.main import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("schemaVersion: 2.0.0\ncommandTests:\n  - name: x\n    comand: 'true'\n")
    good = tmp_path / "good.yaml"
    good.write_text("schemaVersion: 2.0.0\n")
    worse = tmp_path / "worse.json"
    worse.write_text('{"schemaVersion": "2.0.0", "commandTests": [{"name": "", "command": "x"}]}')
    argv = ["test", "-i", "img", "-c", str(bad), "-c", str(good), "-c", str(worse)]
    assert main([*argv, "-o", "json"]) == 2
    out, err = capsys.readouterr()
    first = f"{bad}:4: at commandTests[0].comand: unknown key 'comand'; did you mean 'command'?"
    second = f"{worse}:1: at commandTests[0].name: expected a non-empty test name; found none"
    assert json.loads(out) == {
        "Pass": 0,
        "Fail": 2,
        "Total": 2,
        "Duration": 0,
        "Results": [
            {"Name": str(bad), "Pass": False, "Errors": [first], "Duration": 0},
            {"Name": str(worse), "Pass": False, "Errors": [second], "Duration": 0},
        ],
    }
    assert err == f"dockwright: error: 2 problems:\n{first}\n{second}\n"
    report = tmp_path / "report.xml"
    assert main([*argv, "-o", "junit", "--test-report", str(report)]) == 2
    root = ElementTree.fromstring(report.read_text())
    assert (root.get("errors"), root.get("tests"), root.get("failures")) == ("2", "2", "0")
    cases = root.findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == [str(bad), str(worse)]
    assert [e.get("message") for e in cases[0].findall("error")] == [first]
    assert capsys.readouterr().out == ""
    assert main([*argv]) == 2  # text: the message only
    assert capsys.readouterr().out == ""
