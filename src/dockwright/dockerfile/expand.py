"""Variable expansion as BuildKit's shell lexer does it for ADD, COPY, ENV, EXPOSE, FROM,
LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR and ARG.

Supported: ``$VAR``, ``${VAR}``, ``${VAR:-d}``, ``${VAR-d}``, ``${VAR:+a}``, ``${VAR+a}``,
``${VAR:?m}``, ``${VAR?m}``; the escape character (backslash or backtick) escapes ``$``;
single quotes stop expansion; double quotes allow it. Quotes are removed.

Expansion never raises: an unterminated quote or a ``${`` without ``}`` keeps the rest of
the text as it is, and ``${VAR:?m}`` with VAR unset gives the empty string.
"""

from __future__ import annotations

from dockwright.dockerfile.words import is_space

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Mapping


def expand(word: str, env: Mapping[str, str], escape: str = "\\") -> str:
    """Expand one word (quotes removed), as BuildKit's ``ProcessWord``."""
    try:
        return _Lexer(word, env, escape).word()
    except RecursionError:  # thousands of nested ${...}: leave the word alone
        return word


def expand_words(text: str, env: Mapping[str, str], escape: str = "\\") -> list[str]:
    """Split and expand, as BuildKit's ``ProcessWords`` (used for several values at once)."""
    try:
        return _Lexer(text, env, escape).words()
    except RecursionError:
        return text.split()


def lex_words(text: str, *, raw: bool, escape: str = "\\") -> list[str]:
    """Split without an environment. ``raw`` keeps quotes and escapes; unset ``$X`` is
    empty when raw, kept as written otherwise (how BuildKit finds heredoc markers).
    Text BuildKit's lexer rejects (an unterminated quote, a bad ``${}``) gives no words."""
    try:
        return _Lexer(text, {}, escape, raw=raw, skip_unset=not raw, strict=True).words()
    except (_LexError, RecursionError):
        return []


class _LexError(Exception):
    pass


def _is_name_char(ch: str) -> bool:
    return ch == "_" or (ch.isascii() and ch.isalnum())


def name_end(text: str, start: int) -> int:
    """Where the variable name that starts at ``text[start]`` (after ``$`` or ``${``) ends, as
    BuildKit's shell lexer reads it: digits, one special character (``@*#?-$!``), or letters,
    digits and underscores."""
    i = start
    ch = text[i] if i < len(text) else ""
    if ch.isascii() and ch.isdigit():
        while i < len(text) and text[i].isascii() and text[i].isdigit():
            i += 1
        return i
    if ch and ch in "@*#?-$!":
        return i + 1
    while i < len(text) and _is_name_char(text[i]):
        i += 1
    return i


class _Lexer:
    def __init__(
        self,
        text: str,
        env: Mapping[str, str],
        escape: str,
        *,
        raw: bool = False,
        skip_unset: bool = False,
        strict: bool = False,
    ) -> None:
        self.strict = strict
        self.s = text
        self.i = 0
        self.env = env
        self.esc = escape
        self.raw = raw
        self.skip_unset = skip_unset

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def next(self) -> str:
        ch = self.peek()
        self.i += 1
        return ch

    def word(self) -> str:
        return self._until("")

    def words(self) -> list[str]:
        out: list[str] = []
        cur: list[str] = []
        started = False
        while self.i < len(self.s):
            ch = self.peek()
            if is_space(ch):
                self.i += 1
                if started:
                    out.append("".join(cur))
                    cur, started = [], False
                continue
            started = True
            if ch == "'":
                cur.append(self._single())
            elif ch == '"':
                cur.append(self._double())
            elif ch == "$":
                cur.append(self._dollar())
            elif ch == self.esc:
                self.i += 1
                if self.raw:
                    cur.append(ch)
                if self.i < len(self.s):
                    cur.append(self.next())
            else:
                cur.append(self.next())
        if started:
            out.append("".join(cur))
        return out

    def _until(self, stop: str) -> str:
        out: list[str] = []
        while self.i < len(self.s):
            ch = self.peek()
            if stop and ch == stop:
                break
            if ch == "'":
                out.append(self._single())
            elif ch == '"':
                out.append(self._double())
            elif ch == "$":
                out.append(self._dollar())
            elif ch == self.esc:
                self.i += 1
                if self.raw:
                    out.append(ch)
                if self.i < len(self.s):
                    out.append(self.next())
            else:
                out.append(self.next())
        return "".join(out)

    def _single(self) -> str:
        self.i += 1
        end = self.s.find("'", self.i)
        if end < 0:
            if self.strict:
                raise _LexError(
                    "unexpected end of statement while looking for matching single-quote"
                )
            body = self.s[self.i :]
            self.i = len(self.s)
            return ("'" if self.raw else "") + body
        body = self.s[self.i : end]
        self.i = end + 1
        return f"'{body}'" if self.raw else body

    def _double(self) -> str:
        self.i += 1
        out: list[str] = ['"'] if self.raw else []
        while self.i < len(self.s):
            ch = self.peek()
            if ch == '"':
                self.i += 1
                if self.raw:
                    out.append('"')
                return "".join(out)
            if ch == "$":
                out.append(self._dollar())
                continue
            self.i += 1
            if ch == self.esc:
                nxt = self.peek()
                if nxt == "":
                    continue
                if nxt in ('"', "$", self.esc):
                    if self.raw:
                        out.append(ch)
                    ch = self.next()
            out.append(ch)
        if self.strict:
            raise _LexError("unexpected end of statement while looking for matching double-quote")
        return "".join(out)

    def _lookup(self, name: str) -> str | None:
        return self.env.get(name)

    def _dollar(self) -> str:
        self.i += 1  # the "$"
        if self.peek() != "{":
            name = self._name()
            if name == "":
                return "$"
            value = self._lookup(name)
            if value is None:
                return f"${name}" if self.skip_unset else ""
            return value
        self.i += 1  # "{"
        name = self._name()
        ch = self.peek()
        if ch == "}":
            self.i += 1
            value = self._lookup(name)
            if value is None:
                return f"${{{name}}}" if self.skip_unset else ""
            return value
        if ch == ":" or ch in "-+?":
            colon = ch == ":"
            if colon:
                self.i += 1
            op = self.next()
            if op not in ("-", "+", "?"):
                return self._bad_brace(name)
            word = self._until("}")
            if self.peek() != "}":
                return self._bad_brace(name)
            self.i += 1
            value = self._lookup(name)
            missing = value is None or (colon and value == "")
            if op == "-":
                if self.skip_unset and value is None:
                    return f"${{{name}{':' if colon else ''}-{word}}}"
                return word if missing else (value or "")
            if op == "+":
                return "" if missing else word
            if missing and self.strict:
                raise _LexError(f"{name}: {word or 'is not allowed to be empty'}")
            return "" if missing else (value or "")
        return self._bad_brace(name)

    def _bad_brace(self, name: str) -> str:
        if self.strict:
            raise _LexError("bad substitution")
        # BuildKit rejects these; for linting we keep the remaining text literally.
        rest = self.s[self.i :]
        self.i = len(self.s)
        return "${" + name + rest

    def _name(self) -> str:
        start, self.i = self.i, name_end(self.s, self.i)
        return self.s[start : self.i]
