"""The results of structure tests, shaped like container-structure-test's."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TestResult:
    __test__ = False  # not a pytest class

    name: str
    passed: bool
    errors: tuple[str, ...] = ()
    stdout: str = ""
    stderr: str = ""
    duration: float = 0.0  # seconds; CST measures command tests only


@dataclass(frozen=True)
class FileReport:
    path: str
    results: tuple[TestResult, ...]


@dataclass(frozen=True)
class Report:
    files: tuple[FileReport, ...] = field(default_factory=tuple)
    exec_path: str = ""  # docker driver: how command tests ran ("runc (...)", "engine (...)")

    @property
    def results(self) -> tuple[TestResult, ...]:
        return tuple(r for f in self.files for r in f.results)

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def failed(self) -> int:
        return sum(not r.passed for r in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def duration(self) -> float:
        return sum(r.duration for r in self.results)

    @property
    def ok(self) -> bool:
        """CST's verdict: at least one test ran and none failed."""
        return self.total > 0 and self.failed == 0
