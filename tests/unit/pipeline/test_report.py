"""The reports of a run: JSON record, JUnit XML as CI test reports read it, Markdown summary."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from dockwright.pipeline.report import junit_xml, markdown, to_json, write_reports
from dockwright.pipeline.runrecord import (
    JobRecord,
    PublishedTag,
    RunRecord,
    State,
    StepRecord,
    TestCase,
)


def _record() -> RunRecord:
    build = JobRecord(
        name="build-app",
        workflow="ci",
        image="app",
        state=State.FAILED,
        seconds=3.5,
        tags=("1.2.3", "latest"),
        log=["Step 1/2", "done"],
        steps=[
            StepRecord("lint", "lint", "app", State.PASSED, 0.1, "0 findings", cached=True),
            StepRecord("build", "build", "app", State.PASSED, 3.0, "sha256:1", image_id="sha256:1"),
            StepRecord(
                "test",
                "test",
                "app",
                State.FAILED,
                0.4,
                "1 passed, 1 failed",
                details=("greets: expected 'hi' | got 'bye'",),
                image_id="sha256:1",
                tests=(
                    TestCase(
                        "structure.yaml", "greets", False, ("expected 'hi' | got 'bye'",), 0.2
                    ),
                    TestCase("structure.yaml", "file", True, (), 0.1),
                ),
            ),
            StepRecord("publish", "publish", "app", State.SKIPPED, 0.0, "test failed"),
        ],
    )
    release = JobRecord(
        name="release",
        workflow="ci",
        state=State.FILTERED,
        reason="branch feature does not match branches.only main",
        steps=[StepRecord("publish", "publish", "app", State.FILTERED)],
    )
    docs = JobRecord(
        name="docs",
        workflow="ci",
        state=State.PASSED,
        seconds=0.2,
        steps=[
            StepRecord(
                "publish",
                "publish",
                "app",
                State.PASSED,
                0.2,
                "1 pushes",
                published=(PublishedTag("r.test/app", "1.2.3", "sha256:m"),),
            )
        ],
    )
    return RunRecord(
        started=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        ref="refs/heads/feature",
        sha="0123456789abcdef0123",
        publishing=False,
        publish_reason="branch feature is not the default branch",
        builder="/usr/bin/docker (DOCKER_BUILDKIT=1 docker build): why",
        jobs=[build, release, docs],
        seconds=4.0,
    )


def test_the_json_record() -> None:
    data = to_json(_record())
    assert {k: data[k] for k in ("version", "status", "started", "seconds", "ref")} == {
        "version": 1,
        "status": "failed",
        "started": "2026-01-02T03:04:05Z",
        "seconds": 4.0,
        "ref": "refs/heads/feature",
    }
    jobs = data["jobs"]
    assert isinstance(jobs, list)
    assert jobs[0]["log"] == "logs/build-app.log"
    assert jobs[0]["cached"] is False
    assert jobs[0]["steps"][2]["tests"][0] == {
        "file": "structure.yaml",
        "name": "greets",
        "passed": False,
        "errors": ["expected 'hi' | got 'bye'"],
        "seconds": 0.2,
    }
    assert jobs[1]["state"] == "filtered"
    assert jobs[2]["steps"][0]["published"] == [
        {"repository": "r.test/app", "tag": "1.2.3", "digest": "sha256:m"}
    ]
    json.dumps(data)  # plain JSON all through


def test_junit_as_ci_reads_it() -> None:
    root = ET.fromstring(junit_xml(_record()).split("\n", 1)[1])
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("7", "2", "1")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["build-app", "docs"]  # filtered: not run
    build = suites[0]
    assert (build.get("tests"), build.get("failures"), build.get("skipped")) == ("6", "2", "1")
    cases = [(c.get("classname"), c.get("name")) for c in build.findall("testcase")]
    assert cases == [
        ("build-app", "lint"),
        ("build-app", "build"),
        ("build-app", "test"),
        ("build-app.structure.yaml", "greets"),
        ("build-app.structure.yaml", "file"),
        ("build-app", "publish"),
    ]
    failure = build.findall("testcase")[2].find("failure")
    assert failure is not None and failure.get("message") == "1 passed, 1 failed"
    assert failure.text == "greets: expected 'hi' | got 'bye'"
    skipped = build.findall("testcase")[5].find("skipped")
    assert skipped is not None and skipped.get("message") == "test failed"
    assert build.findtext("system-out") == "Step 1/2\ndone"


def test_the_markdown_summary() -> None:
    text = markdown(_record())
    assert text.splitlines()[:7] == [
        "## dockwright run: failed",
        "",
        "refs/heads/feature `0123456789ab` · 4.0 s · publish: no (branch feature is not the "
        "default branch)",
        "",
        "| job | state | time | steps |",
        "|---|---|---:|---|",
        "| build-app | ❌ failed | 3.5 s | ✅ lint ✅ build ❌ test ⏭️ publish |",
    ]
    assert (
        "| release | ➖ filtered | 0.0 s | branch feature does not match branches.only main |"
        in text
    )
    assert "**build-app** › test: 1 passed, 1 failed" in text
    assert "greets: expected 'hi' | got 'bye'" in text  # in a code block: not escaped
    assert "| docs | `r.test/app:1.2.3` | `sha256:m` |" in text


def test_writing_the_reports(tmp_path: Path) -> None:
    written = write_reports(_record(), tmp_path / "reports", {})
    assert json.loads(written.record.read_text())["status"] == "failed"
    assert written.junit.read_text().startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert written.summary == tmp_path / "reports" / "summary.md"
    assert written.logs == (tmp_path / "reports" / "logs" / "build-app.log",)
    assert written.logs[0].read_text() == "Step 1/2\ndone\n"
    # GitHub Actions: the summary is appended to its file
    step_summary = tmp_path / "step-summary.md"
    step_summary.write_text("earlier\n")
    written = write_reports(
        _record(), tmp_path / "reports", {"GITHUB_STEP_SUMMARY": str(step_summary)}
    )
    assert written.summary == step_summary
    assert step_summary.read_text().startswith("earlier\n## dockwright run: failed\n")
