"""Run the rules over a Dockerfile, then apply pragmas, overrides and ignores as hadolint."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from dockwright.dockerfile import Dockerfile, parse_bytes
from dockwright.errors import DockerfileParseError, UsageError
from dockwright.lint import codes
from dockwright.lint.config import LintConfig
from dockwright.lint.model import Finding, Severity
from dockwright.lint.pragmas import collect
from dockwright.lint.rule import LintContext, Rule

PARSE_ERROR = "DL1000"


def lint_dockerfile(
    df: Dockerfile, config: LintConfig, rules: Sequence[Rule] | None = None
) -> list[Finding]:
    """Findings for a parsed Dockerfile, sorted by line (stable within a line)."""
    ctx = LintContext(df, config)
    pragmas = None if config.disable_ignore_pragma else collect(df)
    findings: list[Finding] = []
    for rule in rules if rules is not None else codes.all_rules():
        if rule.code in config.ignored:
            continue
        severity = config.severity_for(rule.code, rule.severity)
        if severity is Severity.IGNORE:
            continue
        for line in sorted(set(rule.check(ctx))):
            if pragmas is not None and pragmas.ignores(rule.code, line):
                continue
            findings.append(Finding(rule.code, severity, rule.message, df.path, line))
    findings.sort(key=lambda f: f.line)
    return findings


def parse_error_finding(exc: DockerfileParseError) -> Finding:
    return Finding(PARSE_ERROR, Severity.ERROR, exc.message, exc.file, exc.line, exc.column)


def lint_bytes(data: bytes, path: str, config: LintConfig) -> list[Finding]:
    """Lint Dockerfile content; a parse failure is one DL1000 finding (no other rule runs)."""
    try:
        df = parse_bytes(data, path=path)
    except DockerfileParseError as exc:
        return [parse_error_finding(exc)]
    return lint_dockerfile(df, config)


def lint_path(path: str, config: LintConfig) -> list[Finding]:
    """Lint a file (``-`` reads standard input). A missing file is a UsageError."""
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise UsageError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise UsageError(f"{path}: is a directory, expected a Dockerfile") from None
        except OSError as exc:
            raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    return lint_bytes(data, path, config)


def failed(findings: Sequence[Finding], config: LintConfig) -> bool:
    """hadolint's exit status: a parse error or a finding at/above the threshold fails."""
    if config.no_fail:
        return False
    return any(f.code == PARSE_ERROR or config.fails(f.severity) for f in findings)
