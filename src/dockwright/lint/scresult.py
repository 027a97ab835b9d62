"""What ShellCheck said about one script: its comments, or why it could not say."""

from __future__ import annotations

from dockwright.record import Record


class ScComment(Record):
    """One ShellCheck comment. ``level`` is error, warning, info or style."""

    __slots__ = ("code", "column", "level", "line", "message")

    code: int
    level: str
    message: str
    line: int
    column: int

    def __init__(self, code: int, level: str, message: str, line: int, column: int) -> None:
        Record.__init__(self, code=code, level=level, message=message, line=line, column=column)


class ScFailure(Record):
    """ShellCheck gave no usable answer for a script: it timed out, crashed or failed."""

    __slots__ = ("message", "timed_out")

    message: str  # e.g. "timed out after 60 s and was killed"
    timed_out: bool

    def __init__(self, message: str, timed_out: bool = False) -> None:
        Record.__init__(self, message=message, timed_out=timed_out)
