"""Lint value types: severities and findings."""

from __future__ import annotations

from enum import Enum

from dockwright.record import Record


class Severity(Enum):
    """hadolint's levels, most severe first. ``IGNORE`` hides a finding."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    STYLE = "style"
    IGNORE = "ignore"

    @property
    def rank(self) -> int:
        """Order for failure thresholds: ERROR 4 ... IGNORE 0."""
        match self:
            case Severity.ERROR:
                return 4
            case Severity.WARNING:
                return 3
            case Severity.INFO:
                return 2
            case Severity.STYLE:
                return 1
            case Severity.IGNORE:
                return 0


# failure-threshold values: a finding fails the run when its rank >= the threshold's.
THRESHOLDS: dict[str, int] = {**{s.value: s.rank for s in Severity}, "none": 0}


class Finding(Record):
    """One reported problem; ``column`` is 1 except for DL1000 (parse errors)."""

    __slots__ = ("code", "column", "file", "line", "message", "severity")

    code: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int

    def __init__(
        self, code: str, severity: Severity, message: str, file: str, line: int, column: int = 1
    ) -> None:
        Record.__init__(
            self, code=code, severity=severity, message=message, file=file, line=line, column=column
        )


class Problem(Record):
    """Why a file was not linted completely; never a finding. A ``bug`` (an exception in
    dockwright or in a plugin rule: ``detail`` holds its traceback), or ShellCheck failing
    or timing out on one of the file's scripts."""

    __slots__ = ("bug", "detail", "file", "message")

    file: str
    message: str  # one line: "rule DL3008 failed: ValueError: ..."
    bug: bool
    detail: str  # a traceback, or ""

    def __init__(self, file: str, message: str, bug: bool = False, detail: str = "") -> None:
        Record.__init__(self, file=file, message=message, bug=bug, detail=detail)


def internal_error(file: str, what: str, exc: BaseException) -> Problem:
    """A Problem for an exception that escaped ``what`` (e.g. "rule DL3008") on ``file``."""
    import traceback

    detail = "".join(traceback.format_exception(exc))
    return Problem(file, f"{what} failed: {type(exc).__name__}: {exc}", bug=True, detail=detail)


class FileResult(Record):
    """What linting one file gave: its findings by line, and the problems that kept some of
    it from being checked (none when the lint is complete)."""

    __slots__ = ("file", "findings", "problems")

    file: str
    findings: tuple[Finding, ...]
    problems: tuple[Problem, ...]

    def __init__(
        self, file: str, findings: tuple[Finding, ...], problems: tuple[Problem, ...] = ()
    ) -> None:
        Record.__init__(self, file=file, findings=findings, problems=problems)
