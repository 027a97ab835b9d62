"""After a run: its record as JSON, JUnit XML for CI test reports, a Markdown summary, and
each job's full log. docs/pipeline.md describes the JSON.

The JUnit file is what CircleCI's ``store_test_results`` (and GitHub and GitLab test reports)
read: a ``testsuite`` per job, a ``testcase`` per step and per structure test, a ``failure``
with its message for what failed, ``skipped`` for what did not run. The Markdown summary goes
to ``$GITHUB_STEP_SUMMARY`` when it is set (appended, as GitHub Actions expects), else to
``summary.md`` beside the others.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from dockwright import __version__
from dockwright.pipeline.runrecord import JobRecord, RunRecord, State, StepRecord

RECORD_VERSION = 1


@dataclass(frozen=True)
class Written:
    record: Path
    junit: Path
    summary: Path
    logs: tuple[Path, ...]


def status(record: RunRecord) -> str:
    if record.interrupted:
        return "interrupted"
    return "passed" if record.ok else "failed"


def log_name(job: JobRecord) -> str:
    return "logs/" + re.sub(r"[^A-Za-z0-9._-]+", "_", job.name) + ".log"


def to_json(record: RunRecord) -> dict[str, object]:
    return {
        "version": RECORD_VERSION,
        "dockwright": __version__,
        "status": status(record),
        "started": record.started.isoformat().replace("+00:00", "Z"),
        "seconds": round(record.seconds, 3),
        "ref": record.ref,
        "sha": record.sha,
        "publishing": {"enabled": record.publishing, "reason": record.publish_reason},
        "builder": record.builder,
        "jobs": [_job(j) for j in record.jobs],
    }


def _job(job: JobRecord) -> dict[str, object]:
    return {
        "name": job.name,
        "workflow": job.workflow,
        "image": job.image,
        "requires": list(job.requires),
        "state": job.state.value,
        "reason": job.reason,
        "cached": job.cached,
        "seconds": round(job.seconds, 3),
        "tags": list(job.tags),
        "log": log_name(job) if job.log else None,
        "steps": [_step(s) for s in job.steps],
    }


def _step(step: StepRecord) -> dict[str, object]:
    return {
        "name": step.name,
        "kind": step.kind,
        "image": step.image,
        "state": step.state.value,
        "cached": step.cached,
        "seconds": round(step.seconds, 3),
        "summary": step.summary,
        "details": list(step.details),
        "image_id": step.image_id,
        "exit_code": step.exit_code,
        "tests": [
            {
                "file": t.file,
                "name": t.name,
                "passed": t.passed,
                "errors": list(t.errors),
                "seconds": round(t.seconds, 3),
            }
            for t in step.tests
        ],
        "published": [
            {"repository": p.repository, "tag": p.tag, "digest": p.digest} for p in step.published
        ],
    }


def junit_xml(record: RunRecord) -> str:
    suites = ET.Element("testsuites", name="dockwright run")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for job in record.jobs:
        if job.state is State.FILTERED:
            continue  # not part of this run
        suite = ET.SubElement(suites, "testsuite", name=job.name)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for step in job.steps:
            _case(suite, job.name, step.name, step.seconds, step, counts)
            for test in step.tests:
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=f"{job.name}.{Path(test.file).name}",
                    name=test.name,
                    time=f"{test.seconds:.3f}",
                    file=test.file,
                )
                counts["tests"] += 1
                if not test.passed:
                    counts["failures"] += 1
                    failure = ET.SubElement(case, "failure", message="; ".join(test.errors))
                    failure.text = "\n".join(test.errors)
        if job.log:
            ET.SubElement(suite, "system-out").text = "\n".join(job.log)
        suite.set("tests", str(counts["tests"]))
        suite.set("failures", str(counts["failures"]))
        suite.set("skipped", str(counts["skipped"]))
        suite.set("errors", "0")
        suite.set("time", f"{job.seconds:.3f}")
        for key, value in counts.items():
            totals[key] += value
    for key, value in totals.items():
        suites.set(key, str(value))
    suites.set("time", f"{record.seconds:.3f}")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _case(
    suite: ET.Element, job: str, name: str, seconds: float, step: StepRecord, counts: dict[str, int]
) -> None:
    case = ET.SubElement(suite, "testcase", classname=job, name=name, time=f"{seconds:.3f}")
    counts["tests"] += 1
    if step.state is State.FAILED:
        counts["failures"] += 1
        failure = ET.SubElement(case, "failure", message=step.summary)
        failure.text = "\n".join(step.details) or step.summary
    elif step.state in (State.SKIPPED, State.CANCELLED, State.FILTERED, State.PENDING):
        counts["skipped"] += 1
        ET.SubElement(case, "skipped", message=step.summary or step.state.value)


_MARK = {
    State.PASSED: "✅",
    State.FAILED: "❌",
    State.SKIPPED: "⏭️",
    State.FILTERED: "➖",
    State.CANCELLED: "🚫",
    State.PENDING: "…",
    State.RUNNING: "…",
}


def markdown(record: RunRecord) -> str:
    ran = [j for j in record.jobs if j.state is not State.FILTERED]
    lines = [
        f"## dockwright run: {status(record)}",
        "",
        f"{record.ref or 'no ref'} `{record.sha[:12] or '-'}` · {record.seconds:.1f} s · "
        f"publish: {'yes' if record.publishing else 'no'} ({_cell(record.publish_reason)})",
        "",
        "| job | state | time | steps |",
        "|---|---|---:|---|",
    ]
    for job in record.jobs:
        state = job.state.value + (" (cached)" if job.cached else "")
        steps = " ".join(f"{_MARK[s.state]} {s.name}" for s in job.steps)
        if job.reason:
            steps = f"{job.reason}" if job.state is State.FILTERED else f"{steps} — {job.reason}"
        lines.append(
            f"| {_cell(job.name)} | {_MARK[job.state]} {state} | {job.seconds:.1f} s "
            f"| {_cell(steps)} |"
        )
    failed = [(j, s) for j in ran for s in j.steps if s.state is State.FAILED]
    if failed:
        lines += ["", "### Failures", ""]
        for job, step in failed:
            lines.append(f"**{job.name}** › {step.name}: {step.summary}")
            if step.details:
                lines += ["", "```", *step.details[-30:], "```", ""]
    published = [(j, p) for j in ran for s in j.steps for p in s.published]
    if published:
        lines += ["", "### Published", "", "| job | reference | digest |", "|---|---|---|"]
        for job, item in published:
            lines.append(
                f"| {_cell(job.name)} | `{item.repository}:{item.tag}` | `{item.digest}` |"
            )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_reports(record: RunRecord, directory: Path, env: Mapping[str, str]) -> Written:
    """Write the record, the JUnit file, the summary and the logs; return where they went."""
    directory.mkdir(parents=True, exist_ok=True)
    logs = []
    for job in record.jobs:
        if job.log:
            path = directory / log_name(job)
            path.parent.mkdir(exist_ok=True)
            path.write_text("\n".join(job.log) + "\n", encoding="utf-8")
            logs.append(path)
    run_json = directory / "run.json"
    run_json.write_text(json.dumps(to_json(record), indent=2) + "\n", encoding="utf-8")
    junit = directory / "junit.xml"
    junit.write_text(junit_xml(record), encoding="utf-8")
    step_summary = env.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        summary = Path(step_summary)
        with summary.open("a", encoding="utf-8") as handle:
            handle.write(markdown(record))
    else:
        summary = directory / "summary.md"
        summary.write_text(markdown(record), encoding="utf-8")
    return Written(run_json, junit, summary, tuple(logs))
