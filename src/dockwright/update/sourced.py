"""Text that remembers where each character was written, and variable expansion that keeps
it: ``FROM alpine:${TAG}`` with ``ARG TAG=3.19`` expands to ``alpine:3.19`` whose last four
characters sit in the ARG line, so an update writes there.

A location is ``(file, offset)``: the file as named by the caller, the character offset in
its text. Characters that were not written anywhere one could edit (a default that came from
an expansion operator) have no location.

:func:`expand` follows BuildKit's word expansion (``dockwright.dockerfile.expand``) for
``$V``, ``${V}``, ``${V:-w}``, ``${V-w}``, ``${V:+w}``, ``${V+w}``, ``${V:?m}``, ``${V?m}``,
quotes and the escape character; it gives the same text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dockwright.dockerfile.expand import name_end

Loc = tuple[str, int]


@dataclass(frozen=True)
class Sourced:
    text: str
    locs: tuple[Loc | None, ...]
    # a variable without a value was expanded (to nothing, as BuildKit does)
    unresolved: bool = False

    @staticmethod
    def at(text: str, file: str, offset: int) -> Sourced:
        return Sourced(text, tuple((file, offset + i) for i in range(len(text))))

    @staticmethod
    def nowhere(text: str, unresolved: bool = False) -> Sourced:
        return Sourced(text, (None,) * len(text), unresolved)

    def __add__(self, other: Sourced) -> Sourced:
        return Sourced(
            self.text + other.text, self.locs + other.locs, self.unresolved or other.unresolved
        )

    def __getitem__(self, index: slice) -> Sourced:
        return Sourced(self.text[index], self.locs[index], self.unresolved)

    def span(self) -> tuple[str, int, int] | None:
        """(file, start, end) when the characters are written one after the other in one
        file, else None. Empty text has no span."""
        if not self.locs or self.locs[0] is None:
            return None
        file, start = self.locs[0]
        for i, loc in enumerate(self.locs):
            if loc != (file, start + i):
                return None
        return file, start, start + len(self.locs)

    def end(self) -> tuple[str, int] | None:
        """Where a character written right after this text would go, when known."""
        if not self.locs or self.locs[-1] is None:
            return None
        file, offset = self.locs[-1]
        return file, offset + 1


_EMPTY = Sourced("", ())


def expand(word: Sourced, env: Mapping[str, Sourced], escape: str = "\\") -> Sourced:
    try:
        return _Lexer(word, env, escape).until("")
    except RecursionError:
        return word


class _Lexer:
    def __init__(self, word: Sourced, env: Mapping[str, Sourced], escape: str) -> None:
        self.w = word
        self.s = word.text
        self.i = 0
        self.env = env
        self.esc = escape

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def take(self) -> Sourced:
        piece = self.w[self.i : self.i + 1]
        self.i += 1
        return piece

    def until(self, stop: str) -> Sourced:
        out = _EMPTY
        while self.i < len(self.s):
            ch = self.peek()
            if stop and ch == stop:
                break
            if ch == "'":
                out += self._single()
            elif ch == '"':
                out += self._double()
            elif ch == "$":
                out += self._dollar()
            elif ch == self.esc:
                self.i += 1
                if self.i < len(self.s):
                    out += self.take()
            else:
                out += self._plain(stop)
        return out

    def _plain(self, stop: str) -> Sourced:
        """A run of characters with no quote, ``$``, escape or ``stop`` in it."""
        end = self.i + 1
        special = "'\"$" + self.esc + stop
        while end < len(self.s) and self.s[end] not in special:
            end += 1
        piece = self.w[self.i : end]
        self.i = end
        return piece

    def _single(self) -> Sourced:
        self.i += 1
        end = self.s.find("'", self.i)
        if end < 0:
            body = self.w[self.i :]
            self.i = len(self.s)
            return body
        body = self.w[self.i : end]
        self.i = end + 1
        return body

    def _double(self) -> Sourced:
        self.i += 1
        out = _EMPTY
        while self.i < len(self.s):
            ch = self.peek()
            if ch == '"':
                self.i += 1
                return out
            if ch == "$":
                out += self._dollar()
                continue
            if ch == self.esc:
                nxt = self.s[self.i + 1] if self.i + 1 < len(self.s) else ""
                if nxt == "":
                    self.i += 1
                    continue
                if nxt in ('"', "$", self.esc):
                    self.i += 1
            out += self.take()
        return out

    def _value(self, name: str) -> Sourced | None:
        return self.env.get(name)

    def _dollar(self) -> Sourced:
        dollar = self.take()
        if self.peek() != "{":
            name = self._name()
            if name == "":
                return dollar
            value = self._value(name)
            return value if value is not None else Sourced.nowhere("", unresolved=True)
        self.i += 1  # "{"
        name = self._name()
        ch = self.peek()
        if ch == "}":
            self.i += 1
            value = self._value(name)
            return value if value is not None else Sourced.nowhere("", unresolved=True)
        if ch == ":" or ch in "-+?":
            colon = ch == ":"
            if colon:
                self.i += 1
            op = self.peek()
            self.i += 1
            if op not in ("-", "+", "?"):
                return self._bad_brace(name)
            word = self.until("}")
            if self.peek() != "}":
                return self._bad_brace(name)
            self.i += 1
            value = self._value(name)
            missing = value is None or (colon and value.text == "")
            if op == "-":
                return word if missing or value is None else value
            if op == "+":
                return _EMPTY if missing else word
            if missing or value is None:
                return Sourced.nowhere("", unresolved=True)
            return value
        return self._bad_brace(name)

    def _bad_brace(self, name: str) -> Sourced:
        # BuildKit rejects these; the rest of the text is kept as it is, as expand() does.
        rest = self.w[self.i :]
        self.i = len(self.s)
        return Sourced.nowhere("${" + name, unresolved=True) + rest

    def _name(self) -> str:
        start, self.i = self.i, name_end(self.s, self.i)
        return self.s[start : self.i]
