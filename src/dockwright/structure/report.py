"""Render a structure-test :class:`Report` like container-structure-test: text, json, junit."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from dockwright.errors import ConfigError
from dockwright.structure.results import Report, TestResult

FORMATS = ("text", "json", "junit")
JUNIT_SUITE = "container-structure-test.test"


def _go_duration(seconds: float) -> str:
    """Go's time.Duration.String() for the common ranges (``0s``, ``341.188562ms``, ``3.1s``)."""
    ns = round(seconds * 1e9)
    if ns == 0:
        return "0s"
    if ns < 1000:
        return f"{ns}ns"
    if ns < 1_000_000:
        return f"{ns / 1e3:.3f}".rstrip("0").rstrip(".") + "µs"
    if ns < 1_000_000_000:
        return f"{ns / 1e6:.6f}".rstrip("0").rstrip(".") + "ms"
    return f"{ns / 1e9:.9f}".rstrip("0").rstrip(".") + "s"


def _result_json(r: TestResult) -> dict[str, object]:
    out: dict[str, object] = {"Name": r.name, "Pass": r.passed}
    if r.stdout:
        out["Stdout"] = r.stdout
    if r.stderr:
        out["Stderr"] = r.stderr
    if r.errors:
        out["Errors"] = list(r.errors)
    out["Duration"] = round(r.duration * 1e9)
    return out


def render_json(report: Report, *, verbose: bool = False) -> str:
    """CST's ``--output json``: one line, fixed key order, durations in nanoseconds."""
    body: dict[str, object] = {
        "Pass": report.passed,
        "Fail": report.failed,
        "Total": report.total,
        "Duration": round(report.duration * 1e9),
    }
    if report.results:
        body["Results"] = [_result_json(r) for r in report.results]
    if verbose and report.exec_path:
        body["ExecPath"] = report.exec_path
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n"


def _xml_text(text: str) -> str:
    """Go's xml.EscapeText: quotes, tabs and line breaks as character references."""
    return escape(text, {"'": "&#39;", '"': "&#34;", "\n": "&#xA;", "\t": "&#x9;", "\r": "&#xD;"})


def _go_seconds(seconds: float) -> str:
    """A float64 of seconds as Go's encoding/xml writes it (shortest form, no ".0")."""
    text = repr(round(seconds, 9))
    return text[:-2] if text.endswith(".0") else text


def render_junit(report: Report, suite: str = JUNIT_SUITE) -> str:
    """CST 1.19's JUnit: one suite, one ``<failure>`` per error, text without attributes."""
    cases = []
    for r in report.results:
        failures = "".join(f"<failure>{_xml_text(e)}</failure>" for e in r.errors)
        cases.append(
            f'<testcase name="{_xml_text(r.name)}" time="{_go_seconds(r.duration)}">'
            f"{failures}</testcase>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<testsuites failures="{report.failed}" tests="{report.total}" '
        f'time="{_go_seconds(report.duration)}"><testsuite name="{_xml_text(suite)}">'
        + "".join(cases)
        + "</testsuite></testsuites>\n"
    )


def render_text(report: Report, *, color: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    lines: list[str] = []
    for file in report.files:
        title = f"====== Test file: {file.path.rsplit('/', 1)[-1]} ======"
        lines += ["", "=" * len(title), title, "=" * len(title)]
    for r in report.results:
        lines.append(paint(f"=== RUN: {r.name}", "34"))
        lines.append(paint("--- PASS", "32") if r.passed else paint("--- FAIL", "31"))
        lines.append(f"duration: {_go_duration(r.duration)}")
        if r.stdout:
            lines.append(f"stdout: {r.stdout}")
        if r.stderr:
            lines.append(f"stderr: {r.stderr}")
        lines += [paint(f"Error: {e}", "31") for e in r.errors]
    lines += ["", "=" * 33, "=" * 12 + " RESULTS " + "=" * 12, "=" * 33]
    if report.total == 0:
        lines.append(paint("No tests run! Check config file format.", "31"))
    else:
        lines += [
            f"Passes:      {report.passed}",
            f"Failures:    {report.failed}",
            f"Duration:    {_go_duration(report.duration)}",
            f"Total tests: {report.total}",
            "",
            paint("PASS", "32") if report.ok else paint("FAIL", "31"),
        ]
    return "\n".join(lines) + "\n"


def render_config_error(error: ConfigError, output: str, suite: str = JUNIT_SUITE) -> str:
    """A report of bad config files, for ``--output json``/``junit``: nothing ran.

    JSON is CST's shape for a file it cannot parse (a failing result, ``Errors`` beside the
    usual fields), named for the file, each problem with its file:line and key path. JUnit has
    one testcase per file with an ``<error>`` per problem, counted in ``errors``.
    """
    by_file: dict[str, list[str]] = {}
    for problem in error.problems:
        by_file.setdefault(problem.file or "", []).append(str(problem))
    if output == "json":
        body = {
            "Pass": 0,
            "Fail": len(by_file),
            "Total": len(by_file),
            "Duration": 0,
            "Results": [
                {"Name": file, "Pass": False, "Errors": errors, "Duration": 0}
                for file, errors in by_file.items()
            ],
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n"
    cases = "".join(
        f'<testcase name="{_xml_text(file)}" time="0">'
        + "".join(f'<error message="{_xml_text(e)}">{_xml_text(e)}</error>' for e in errors)
        + "</testcase>"
        for file, errors in by_file.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<testsuites failures="0" errors="{len(by_file)}" tests="{len(by_file)}" time="0">'
        f'<testsuite name="{_xml_text(suite)}">{cases}</testsuite></testsuites>\n'
    )


def render(
    report: Report,
    output: str,
    *,
    color: bool = False,
    suite: str = JUNIT_SUITE,
    verbose: bool = False,
) -> str:
    """``verbose`` adds ``"ExecPath"`` (how command tests ran) to JSON; without it the JSON is
    CST's, byte for byte."""
    if output == "json":
        return render_json(report, verbose=verbose)
    if output == "junit":
        return render_junit(report, suite)
    return render_text(report, color=color)
