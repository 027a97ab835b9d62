"""What one step of the pipeline gives back: its status, timing, summary and details."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


STEPS = ("lint", "build", "test", "publish")


@dataclass(frozen=True)
class StepResult:
    image: str
    step: str
    status: Status
    seconds: float = 0.0
    summary: str = ""  # one line
    details: tuple[str, ...] = ()  # findings, failed tests, the build log tail
