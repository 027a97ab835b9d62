"""Reporters with hadolint's exact output shapes.

A file that could not be linted completely (a Problem: a bug, or ShellCheck failing) is
reported where a format has a place for a tool's own errors: SARIF's
``toolExecutionNotifications``, checkstyle's ``<exception>``, JUnit's ``<error>``. The other
formats hold findings only; the command line reports problems on standard error too.
"""

from __future__ import annotations

import json

from dockwright.lint.model import FileResult, Finding, Severity

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Sequence

_COLORS = {
    Severity.ERROR: "\x1b[1m\x1b[91m",
    Severity.WARNING: "\x1b[1m\x1b[93m",
    Severity.INFO: "\x1b[92m",
    Severity.STYLE: "\x1b[96m",
}
FORMATS = (
    "tty", "json", "checkstyle", "codeclimate", "gitlab_codeclimate", "gnu", "codacy",
    "sonarqube", "sarif", "junit",
)  # fmt: skip


def to_json(findings: Sequence[Finding]) -> str:
    """One array for all files, keys in alphabetical order, no trailing newline."""
    return json.dumps(
        [
            {
                "code": f.code,
                "column": f.column,
                "file": f.file,
                "level": f.severity.value,
                "line": f.line,
                "message": f.message,
            }
            for f in findings
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )


def to_tty(findings: Sequence[Finding], *, color: bool) -> str:
    """``FILE:LINE CODE LEVEL: MESSAGE`` lines; a parse error is ``FILE:LINE:COL message``."""
    out = []
    for f in findings:
        if f.code == "DL1000":
            out.append(f"{f.file}:{f.line}:{f.column} {f.message.replace(chr(10), ' ')}\n")
            continue
        level = f.severity.value
        if color:
            level = f"{_COLORS[f.severity]}{level}\x1b[0m"
        out.append(f"{f.file}:{f.line} {f.code} {level}: {f.message}\n")
    return "".join(out)


# --- the other hadolint formats; ``render`` is the single entry point -------------------

VERSION = "2.15.1"  # the hadolint release whose output shapes these are
_CC_SEVERITY = {"error": "blocker", "warning": "major", "info": "info", "style": "minor"}
_SONAR_SEVERITY = {"error": "CRITICAL", "warning": "MAJOR", "info": "MINOR", "style": "INFO"}
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note", "style": "note"}


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _all(results: Sequence[FileResult]) -> list[Finding]:
    return [f for r in results for f in r.findings]


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def to_gnu(results: Sequence[FileResult]) -> str:
    out = []
    for f in _all(results):
        if f.code == "DL1000":
            message = f.message.replace("\n", " ")
            out.append(f"hadolint:{f.file}:{f.line}:{f.column}: {message}\n")
        else:
            out.append(f"hadolint:{f.file}:{f.line}: {f.code} {f.severity.value}: {f.message}\n")
    return "".join(out)


def to_checkstyle(results: Sequence[FileResult], path: str | None = None) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?><checkstyle version="4.3">']
    for r in results:
        name = _attr(path or r.file)
        if not r.findings and not r.problems:
            out.append(f'<file name="{name}"/>')
            continue
        out.append(f'<file name="{name}">')
        for f in r.findings:
            source = "" if f.code == "DL1000" else f' source="{f.code}"'
            out.append(
                f'<error column="{f.column}" line="{f.line}" message="{_attr(f.message)}" '
                f'severity="{f.severity.value}"{source}/>'
            )
        for p in r.problems:
            out.append(f"<exception>{_cdata(p.message + chr(10) + p.detail)}</exception>")
        out.append("</file>")
    out.append("</checkstyle>")
    return "".join(out)


def _codeclimate_issue(f: Finding, path: str | None) -> dict[str, object]:
    file = path or f.file
    location: dict[str, object]
    if f.code == "DL1000":
        pos = {"column": f.column, "line": f.line}
        location = {"path": file, "positions": {"begin": pos, "end": pos}}
    else:
        location = {"lines": {"begin": f.line, "end": f.line}, "path": file}
    return {
        "categories": ["Bug Risk"],
        "check_name": f.code,
        "description": f.message,
        "location": location,
        "severity": "blocker" if f.code == "DL1000" else _CC_SEVERITY[f.severity.value],
        "type": "issue",
    }


def to_codeclimate(results: Sequence[FileResult], path: str | None = None) -> str:
    return "".join(_dumps(_codeclimate_issue(f, path)) + "\0" for f in _all(results))


def to_gitlab_codeclimate(results: Sequence[FileResult], path: str | None = None) -> str:
    import hashlib

    issues = []
    for f in _all(results):
        issue = _codeclimate_issue(f, path)
        issue["fingerprint"] = hashlib.sha1(_dumps(issue).encode()).hexdigest()
        issues.append(issue)
    return _dumps(issues)


def to_codacy(results: Sequence[FileResult]) -> str:
    return "".join(
        _dumps({"filename": f.file, "line": f.line, "message": f.message, "patternId": f.code})
        for f in _all(results)
    )


def to_sonarqube(results: Sequence[FileResult], path: str | None = None) -> str:
    issues = []
    for f in _all(results):
        parse_error = f.code == "DL1000"
        start, end = (f.column, f.column) if parse_error else (0, 1)
        issues.append(
            {
                "engineId": "Hadolint",
                "primaryLocation": {
                    "filePath": path or f.file,
                    "message": f.message,
                    "textRange": {
                        "endColumn": end,
                        "endLine": f.line,
                        "startColumn": start,
                        "startLine": f.line,
                    },
                },
                "ruleId": f.code,
                "severity": "BLOCKER" if parse_error else _SONAR_SEVERITY[f.severity.value],
                "type": "BUG" if parse_error or f.severity is Severity.ERROR else "CODE_SMELL",
            }
        )
    return _dumps({"issues": issues})


def to_sarif(results: Sequence[FileResult]) -> str:
    out = []
    for f in _all(results):
        end = f.column if f.code == "DL1000" else 1
        region = {
            "endColumn": end,
            "endLine": f.line,
            "sourceLanguage": "sh" if f.code.startswith("SC") else "dockerfile",
            "startColumn": f.column,
            "startLine": f.line,
        }
        out.append(
            {
                "level": _SARIF_LEVEL[f.severity.value],
                "locations": [
                    {"physicalLocation": {"artifactLocation": {"uri": f.file}, "region": region}}
                ],
                "message": {"text": f.message},
                "ruleId": f.code,
            }
        )
    problems = [p for r in results for p in r.problems]
    driver = {
        "downloadUri": "https://github.com/hadolint/hadolint",
        "fullName": "Haskell Dockerfile Linter",
        "name": "Hadolint",
        "shortDescription": {"text": "Dockerfile linter, validate inline bash, written in Haskell"},
        "version": VERSION,
    }
    run: dict[str, object] = {
        "defaultSourceLanguage": "dockerfile",
        "results": out,
        "tool": {"driver": driver},
    }
    if problems:
        run["invocations"] = [
            {
                "executionSuccessful": False,
                "toolExecutionNotifications": [
                    {
                        "level": "error",
                        "locations": [{"physicalLocation": {"artifactLocation": {"uri": p.file}}}],
                        "message": {"text": p.message},
                    }
                    for p in problems
                ],
            }
        ]
    return _dumps(
        {"$schema": "http://json.schemastore.org/sarif-2.1.0", "runs": [run], "version": "2.1.0"}
    )


def to_junit(results: Sequence[FileResult], path: str | None = None, now: object = None) -> str:
    """JUnit XML; ``now`` (a datetime) is the run's time, current time by default."""
    from datetime import datetime

    stamp = now if isinstance(now, datetime) else datetime.now()
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<testsuites id="{stamp:%Y%m%d_%H%M%S}" name="Hadolint run at '
        f'{stamp:%Y-%m-%d %H:%M:%S}" time="0.001">'
    ]
    for r in results:
        name, findings = path or r.file, r.findings
        errors = sum(f.code == "DL1000" for f in findings) + len(r.problems)
        head = (
            f'<testsuite errors="{errors}" failures="{len(findings)}" id="hadolint" '
            f'name="Hadolint {VERSION}" time="0.001"'
        )
        if not findings and not r.problems:
            out.append(head + "/>")
            continue
        out.append(head + ">")
        for p in r.problems:
            out.append(
                '<testcase id="dockwright.problem" name="incomplete lint" time="0.001">'
                f'<error message="{_attr(p.message)}" type="error">{_text(p.detail)}</error>'
                "</testcase>"
            )
        for f in findings:
            if f.code == "DL1000":
                out.append(
                    '<testcase id="hadolint.error" name="DL1000" time="0.001">'
                    f'<failure message="parse error at line {f.line}, column {f.column}" '
                    f'type="error">Parse Error in {_text(name)}\nLine: {f.line}\n'
                    f"Column: {f.column}\nParse Error: {_text(f.message)}\n</failure></testcase>"
                )
                continue
            level = f.severity.value
            out.append(
                f'<testcase id="hadolint.rule.{f.code}" time="0.001">'
                f'<failure id="{f.code}" message="{_attr(f.message)}" type="{level}">'
                f"File: {_text(name)}\nLine: {f.line}\n"
                "Category: Hadolint - Dockerfile Static Analysis\n"
                f"{level}: {_text(f.message)}\n</failure></testcase>"
            )
        out.append("</testsuite>")
    out.append("</testsuites>")
    return "".join(out)


def render(
    fmt: str,
    results: Sequence[FileResult],
    *,
    color: bool = False,
    file_path_in_report: str | None = None,
) -> str:
    """One format's text for all files (``file_path_in_report`` as hadolint applies it)."""
    path = file_path_in_report
    if fmt == "json":
        return to_json(_all(results))
    if fmt == "tty":
        return to_tty(_all(results), color=color)
    if fmt == "gnu":
        return to_gnu(results)
    if fmt == "checkstyle":
        return to_checkstyle(results, path)
    if fmt == "codeclimate":
        return to_codeclimate(results, path)
    if fmt == "gitlab_codeclimate":
        return to_gitlab_codeclimate(results, path)
    if fmt == "codacy":
        return to_codacy(results)
    if fmt == "sonarqube":
        return to_sonarqube(results, path)
    if fmt == "sarif":
        return to_sarif(results)
    if fmt == "junit":
        return to_junit(results, path)
    raise ValueError(f"unknown format {fmt!r}")
