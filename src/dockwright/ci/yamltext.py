"""YAML written as text, line by line: the generators choose the key order, the comments and the
blank lines, as a person writing the file would, and the output is the same every time.

Scalars are written plain where YAML reads them back as the same string, else single-quoted;
commands of several lines as literal blocks (``|``). Tests parse every generated file back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import yaml

INDENT = "  "


def scalar(value: str | int | bool) -> str:
    """``value`` as a YAML scalar that reads back as itself (a string stays a string)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value and "\n" not in value and value == value.strip() and _reads_back(value):
        return value
    if "\n" in value:
        raise ValueError("a string of several lines is written as a block")
    return "'" + value.replace("'", "''") + "'"


def _reads_back(text: str) -> bool:
    try:
        return bool(yaml.safe_load(f"k: {text}\n") == {"k": text})
    except yaml.YAMLError:
        return False


def flow(items: Iterable[str]) -> str:
    """A short list on one line: ``[a, 'b c']``."""
    return "[" + ", ".join(scalar(i) for i in items) + "]"


class Text:
    """A YAML document built line by line; ``level`` counts indentation steps."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def line(self, level: int, text: str) -> None:
        self.lines.append(INDENT * level + text)

    def key(self, level: int, key: str, value: str | int | bool | None = None) -> None:
        """``key:`` opening a mapping or list, or ``key: value``."""
        self.line(level, f"{key}:" if value is None else f"{key}: {scalar(value)}")

    def raw(self, level: int, key: str, text: str) -> None:
        """``key: text`` where ``text`` is already YAML (a flow list, an expression)."""
        self.line(level, f"{key}: {text}")

    def item(self, level: int, text: str) -> None:
        """``- text`` where ``text`` is already YAML."""
        self.line(level, f"- {text}")

    def comment(self, level: int, *lines: str) -> None:
        for text in lines:
            self.line(level, f"# {text}" if text else "#")

    def block(self, level: int, key: str, body: str | Sequence[str], *, item: bool = False) -> None:
        """``key: |`` and the lines of ``body`` below it (``- key: |`` with ``item``). One line
        that needs no quoting stays on the key's line."""
        lines = body.splitlines() if isinstance(body, str) else list(body)
        lead = "- " if item else ""
        if len(lines) == 1 and _reads_back(lines[0]) and lines[0] == lines[0].strip():
            self.line(level, f"{lead}{key}: {lines[0]}")
            return
        self.line(level, f"{lead}{key}: |")
        inner = level + (2 if item else 1)
        for text in lines:
            self.lines.append(INDENT * inner + text if text else "")

    def script(self, level: int, lines: Sequence[str]) -> None:
        """A list item of shell: ``- command``, or ``- |`` and the lines below it."""
        if len(lines) == 1:
            self.item(level, scalar(lines[0]))
            return
        self.item(level, "|")
        for text in lines:
            self.lines.append(INDENT * (level + 1) + text if text else "")

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def render(self) -> str:
        lines = list(self.lines)
        while lines and lines[-1] == "":
            lines.pop()
        return "\n".join(lines) + "\n"
