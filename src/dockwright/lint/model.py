"""Lint value types: severities and findings."""

from __future__ import annotations

from dockwright.record import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import ClassVar, NoReturn


class _SeverityType(type):
    def __iter__(cls) -> Iterator[Severity]:
        return iter(_MEMBERS)


class Severity(metaclass=_SeverityType):
    """hadolint's levels. ``IGNORE`` hides a finding.

    A closed set of constants used like an Enum: ``Severity.WARNING``, ``Severity("warning")``
    (ValueError when unknown), ``.name``, ``.value``, identity comparison, iteration. Not an
    Enum because importing ``enum`` is about 3 ms of a one-file lint run.
    """

    __slots__ = ("name", "rank", "value")

    ERROR: ClassVar[Severity]
    WARNING: ClassVar[Severity]
    INFO: ClassVar[Severity]
    STYLE: ClassVar[Severity]
    IGNORE: ClassVar[Severity]

    name: str
    value: str
    rank: int  # order for failure thresholds: ERROR 4 ... IGNORE 0

    def __new__(cls, value: str) -> Severity:
        for member in _MEMBERS:
            if member.value == value:
                return member
        raise ValueError(f"{value!r} is not a valid Severity")

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls(text)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"cannot set {name!r} on {self!r}")

    def __reduce__(self) -> tuple[type[Severity], tuple[str]]:
        return Severity, (self.value,)  # the same constant after pickling

    def __repr__(self) -> str:
        return f"<Severity.{self.name}: {self.value!r}>"

    def __str__(self) -> str:
        return f"Severity.{self.name}"


def _member(name: str, value: str, rank: int) -> Severity:
    member = object.__new__(Severity)
    for attr, val in (("name", name), ("value", value), ("rank", rank)):
        object.__setattr__(member, attr, val)
    setattr(Severity, name, member)
    return member


_MEMBERS: tuple[Severity, ...] = (
    _member("ERROR", "error", 4),
    _member("WARNING", "warning", 3),
    _member("INFO", "info", 2),
    _member("STYLE", "style", 1),
    _member("IGNORE", "ignore", 0),
)

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
