from __future__ import annotations

import json

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
