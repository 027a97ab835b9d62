"""Lint value types: severities and findings."""

from __future__ import annotations

from enum import Enum

from dockwright.dockerfile.record import Record


class Severity(Enum):
    """hadolint's levels. ``IGNORE`` hides a finding."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    STYLE = "style"
    IGNORE = "ignore"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls(text)


_RANK = {
    Severity.ERROR: 4,
    Severity.WARNING: 3,
    Severity.INFO: 2,
    Severity.STYLE: 1,
    Severity.IGNORE: 0,
}

# failure-threshold values: a finding fails the run when its rank >= the threshold's.
THRESHOLDS: dict[str, int] = {
    "error": 4,
    "warning": 3,
    "info": 2,
    "style": 1,
    "ignore": 0,
    "none": 0,
}


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
