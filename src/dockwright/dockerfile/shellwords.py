"""Reading shell words as ShellCheck's parser does, for the shell-command view of RUN.

``WordReader`` reads words and their parts (quotes, ``$`` expansions, backticks, globs,
brace expansions), blanks, comments, line feeds and here-documents, and simplifies words
the way hadolint does: quotes removed, ``$X`` and ``${X}`` read ``${X}``, ``$(cmd args)``
reads ``${cmdargs}``, backticks and arithmetic read ``${VAR}``, brace expansions and
extglobs vanish. A word that is not a plain literal (an expansion, a glob) is marked, as it
cannot name a command. What a word holds (``$( )``, backticks, process substitutions,
here-document bodies) is parsed by the grammar (``shellsyntax``), which subclasses it.
"""

from __future__ import annotations

_BLANK = frozenset(" \t\r\xa0")
_WORD_END = frozenset("[{}|&;<>()\\ '\t\n\r\xa0\"$`?*@!+\u201c\u201d\u2033\u2036\u2018\u2019")
_UNICODE_QUOTES = frozenset("\u201c\u201d\u2033\u2036\u2018\u2019")
_SPECIAL_VARIABLES = frozenset("$?!#-@*")

Words = tuple[list[str], set[int]]  # simplified words, indexes of the dynamic ones


class ShellSyntaxError(Exception):
    """ShellCheck's parser gives up on the whole script."""


def is_name_start(c: str) -> bool:
    return c == "_" or ("a" <= c <= "z") or ("A" <= c <= "Z")


def is_name_char(c: str) -> bool:
    return is_name_start(c) or "0" <= c <= "9"


class WordReader:
    """The position in a script, what was found so far, and the reading of words."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.n = len(text)
        self.i = 0
        self.commands: list[Words | None] = []
        self.pipe = False
        self.heredocs: list[tuple[str, bool, bool]] = []  # end token, dashed, quoted

    # The grammar (shellsyntax) reads what words hold.
    def script(self) -> None:
        raise NotImplementedError

    def term(self) -> list[str | None]:
        raise NotImplementedError

    def compound_list_or_empty(self) -> list[str | None]:
        raise NotImplementedError

    def at(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < self.n else ""

    def starts(self, text: str) -> bool:
        return self.s.startswith(text, self.i)

    def fail_unless(self, text: str) -> None:
        if not self.starts(text):
            raise ShellSyntaxError(f"expected {text!r} at {self.i}")
        self.i += len(text)

    # --- blanks, comments, line feeds, here-documents --------------------------------

    def spacing(self) -> None:
        """Blanks and line continuations, then a comment."""
        while self.i < self.n:
            c = self.s[self.i]
            if c in _BLANK:
                self.i += 1
            elif c == "\\" and self.at(1) == "\n":
                self.i += 2
            else:
                break
        if self.at() == "#":
            end = self.s.find("\n", self.i)
            self.i = self.n if end < 0 else end

    def newline(self) -> bool:
        if self.at() != "\n":
            return False
        self.i += 1
        self.read_heredocs()
        return True

    def allspacing(self) -> None:
        self.spacing()
        while self.newline():
            self.spacing()

    # readLineBreak (line feeds, each followed by blanks): blanks before them do no harm
    linebreak = allspacing

    def read_heredocs(self) -> None:
        docs, self.heredocs = self.heredocs, []
        for token, dashed, quoted in docs:
            start = body_end = self.i
            while True:
                if self.i >= self.n:
                    raise ShellSyntaxError("here-document not terminated")
                body_end = self.i
                end = self.s.find("\n", self.i)
                line = self.s[self.i : self.n if end < 0 else end]
                self.i = self.n if end < 0 else end + 1
                lead = line[: len(line) - len(line.lstrip(" \t"))]
                rest = line[len(lead) :]
                if (
                    rest.startswith(token)
                    and not rest[len(token) :].strip(" \t")
                    and (not lead or (dashed and not lead.strip("\t")))
                ):
                    break
                if end < 0:
                    raise ShellSyntaxError("here-document not terminated")
            if not quoted:
                body = type(self)(self.s[start:body_end])
                body.double_quoted(None)
                self.commands.extend(body.commands)
                self.pipe |= body.pipe

    def arithmetic(self, skip: int) -> bool:
        """``((...))`` (``skip`` = 2) or ``$((...))`` (3) read up to its ``))``; False, with
        nothing read, when the parentheses close otherwise (it is then a subshell or
        ``$( (...) )``)."""
        depth, j = 0, self.i + skip
        while j < self.n:
            c = self.s[j]
            if c == "\\":
                j += 1
            elif c in "'\"":
                end = self.s.find(c, j + 1)
                if end < 0:
                    return False
                j = end
            elif c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    if self.s[j + 1 : j + 2] != ")":
                        return False
                    self.i = j + 2
                    return True
                depth -= 1
            j += 1
        return False

    # --- words ---------------------------------------------------------------------

    def word(self) -> tuple[str, bool] | None:
        """A word: its simplified text and whether it is a plain literal; None when no
        word starts here."""
        parts: list[str] = []
        literal = True
        start = self.i
        while self.i < self.n:
            c = self.s[self.i]
            if c not in _WORD_END or c == "\\":
                if c == "\\":
                    nxt = self.at(1)
                    self.i += 2
                    if nxt != "\n":
                        parts.append(nxt)
                    continue
                j = self.i + 1
                while j < self.n and self.s[j] not in _WORD_END:
                    j += 1
                parts.append(self.s[self.i : j])
                self.i = j
                continue
            part = self.word_part(c)
            if part is None:
                break
            parts.append(part[0])
            literal = literal and part[1]
        if self.i == start:
            return None
        return "".join(parts), literal

    def word_part(self, c: str) -> tuple[str, bool] | None:
        """One part of a word starting with the special character ``c``; None when ``c``
        ends the word."""
        if c == "'":
            end = self.s.find("'", self.i + 1)
            if end < 0:
                raise ShellSyntaxError("unterminated single quote")
            text = self.s[self.i + 1 : end]
            self.i = end + 1
            return text, True
        if c == '"':
            self.i += 1
            return self.double_quoted('"')
        if c in "?*@!+" and self.at(1) == "(":
            self.extglob()
            return "", False
        if c in "*?":
            self.i += 1
            return c, False
        if c == "[":
            glob = self.glob_class()
            if glob is not None:
                return glob, False
            self.i += 1
            return c, True
        if c == "$":
            return self.dollar(quoted=False)
        if c == "{" and self.brace_expansion():
            return "", False
        if c == "`":
            return self.backtick(quoted=False), False
        if c in "<>" and self.at(1) == "(":
            self.i += 2
            self.compound_list_or_empty()
            self.allspacing()
            self.fail_unless(")")
            return "", False
        if c in "{}@!+" or c in _UNICODE_QUOTES:
            self.i += 1
            return c, True
        return None

    def glob_class(self) -> str | None:
        s, j = self.s, self.i + 1
        if j < self.n and s[j] in "!^":
            j += 1
        lead = j < self.n and s[j] == "]"
        j += lead
        first = j
        while j < self.n and s[j] != "]":
            if s.startswith("[:", j) and (end := s.find(":]", j + 2)) > j + 2:
                j = end + 2
            elif s[j] == "\\":
                j += 2
            elif s[j] in _WORD_END and s[j] not in "![?*@+":
                return None
            else:
                j += 1
        if j >= self.n or (j == first and not lead):
            return None
        text = s[self.i : j + 1]
        self.i = j + 1
        return text

    def extglob(self) -> None:
        self.i += 2
        depth = 1
        while depth:
            c = self.at()
            if c == "":
                raise ShellSyntaxError("unterminated extglob")
            if c in "'\"$`\\":
                if self.word_part(c) is None:
                    self.i += 2 if c == "\\" else 1
                continue
            depth += (c == "(") - (c == ")")
            self.i += 1

    def brace_expansion(self) -> bool:
        """``{a,b}`` or ``{1..3}``; False, with nothing read, for a literal ``{``."""
        saved = (self.i, len(self.commands), self.pipe)
        try:
            self.i += 1
            elements, dots = 0, False
            while True:
                literal: list[str] = []
                while (c := self.at()) and c not in ",}" and c not in _BLANK and c != "\n":
                    if c == "{":
                        if not self.brace_expansion():
                            break
                    elif c in "'\"$":
                        self.word_part(c)
                    else:
                        literal.append(self.s[self.i : self.i + 1 + (c == "\\")])
                        self.i += 1 + (c == "\\")
                dots = dots or ".." in "".join(literal)
                elements += 1
                if self.at() != ",":
                    break
                self.i += 1
            if self.at() == "}" and (elements > 1 or dots):
                self.i += 1
                return True
        except ShellSyntaxError:
            pass
        self.i = saved[0]
        del self.commands[saved[1] :]
        self.pipe = saved[2]
        return False

    def double_quoted(self, end: str | None) -> tuple[str, bool]:
        """Text up to ``end`` (``"``; None: a here-document body, to the end)."""
        parts: list[str] = []
        literal = True
        stops = '\\$`"' if end else "\\$`"
        while True:
            c = self.at()
            if c == "":
                if end is None:
                    break
                raise ShellSyntaxError("unterminated double quote")
            if c == end:
                self.i += 1
                break
            if c == "\\":
                nxt = self.at(1)
                self.i += 2
                if nxt in '\\"$`':
                    parts.append(nxt)
                elif nxt != "\n":
                    parts.append(c + nxt)
            elif c == "$":
                text, lit = self.dollar(quoted=True)
                parts.append(text)
                literal = literal and lit
            elif c == "`":
                parts.append(self.backtick(quoted=True))
                literal = False
            else:
                j = self.i + 1
                while j < self.n and self.s[j] not in stops:
                    j += 1
                parts.append(self.s[self.i : j])
                self.i = j
        return "".join(parts), literal

    def dollar(self, quoted: bool) -> tuple[str, bool]:
        nxt = self.at(1)
        if nxt == "(":
            if self.at(2) == "(" and self.arithmetic(3):
                return "${VAR}", False
            self.i += 2
            items = self.compound_list_or_empty()
            self.fail_unless(")")
            return "${" + "".join(t for t in items if t) + "}", False
        if nxt == "[":
            self.i += 2
            end = self.s.find("]", self.i)
            if end < 0:
                raise ShellSyntaxError("unterminated $[")
            self.i = end + 1
            return "", False
        if nxt == "{":
            if self.at(2) in (" ", "\t", "\n", "|"):  # ksh's ${ cmd; }
                self.i += 3
                self.term()
                self.fail_unless("}")
                return "", False
            self.i += 2
            return "${" + self.braced() + "}", False
        if not quoted and nxt == "'":
            j = self.i + 2
            while j < self.n and self.s[j] != "'":
                j += 2 if self.s[j] == "\\" else 1
            if j >= self.n:
                raise ShellSyntaxError("unterminated $'")
            text = self.s[self.i + 2 : j]
            self.i = j + 1
            return text, True
        if not quoted and nxt == '"':
            self.i += 2
            return "", self.double_quoted('"')[1]
        if nxt and (nxt.isdigit() or nxt in _SPECIAL_VARIABLES):
            self.i += 2
            return "${" + nxt + "}", False
        if is_name_start(nxt):
            j = self.i + 2
            while j < self.n and is_name_char(self.s[j]):
                j += 1
            name = self.s[self.i + 1 : j]
            self.i = j
            return "${" + name + "}", False
        self.i += 1
        return "$", True

    def braced(self) -> str:
        """The inside of ``${...}`` (after ``${``), simplified; the ``}`` is read."""
        parts: list[str] = []
        while True:
            c = self.at()
            if c == "":
                raise ShellSyntaxError("unterminated ${")
            if c == "}":
                self.i += 1
                return "".join(parts)
            if c == "\\":
                nxt = self.at(1)
                self.i += 2
                if nxt in "}\"$`'":
                    parts.append(nxt)
                elif nxt != "\n":
                    parts.append(c + nxt)
            elif c in "'\"$`" or (c in "?*@!+" and self.at(1) == "("):
                part = self.word_part(c)
                parts.append(part[0] if part else "")
            else:
                parts.append(c)
                self.i += 1

    def backtick(self, quoted: bool) -> str:
        """A backtick expansion; its commands count, but a syntax error inside only loses
        them (ShellCheck parses it apart)."""
        raw: list[str] = []
        j = self.i + 1
        while True:
            if j >= self.n:
                raise ShellSyntaxError("unterminated backtick")
            c = self.s[j]
            if c in "`\u00b4":
                break
            if c == "\\" and j + 1 < self.n:
                nxt = self.s[j + 1]
                if nxt in "$`\\" or (quoted and nxt == '"'):
                    raw.append(nxt)
                elif nxt != "\n":
                    raw.append(c + nxt)
                j += 2
                continue
            raw.append(c)
            j += 1
        self.i = j + 1
        inner = type(self)("".join(raw))
        try:
            inner.script()
        except ShellSyntaxError:
            return "${VAR}"
        self.commands.extend(inner.commands)
        self.pipe |= inner.pipe
        return "${VAR}"

    def assignment(self) -> bool:
        """``NAME[idx]=value`` or ``+=``, arrays included; False with nothing read."""
        s, j = self.s, self.i
        if not is_name_start(self.at()):
            return False
        while j < self.n and is_name_char(s[j]):
            j += 1
        while j < self.n and s[j] == "[":
            close = s.find("]", j)
            if close < 0:
                return False
            j = close + 1
        if s.startswith("+=", j):
            j += 2
        elif s.startswith("=", j) and not s.startswith("===", j):
            j += 1
        else:
            return False
        self.i = j
        c = self.at()
        if c == "" or c in _BLANK or c in "\n;&|)":
            self.spacing()
            return True
        if c == "(":
            self.array()
        elif self.word() is None:
            raise ShellSyntaxError(f"expected a value at {self.i}")
        self.spacing()
        return True

    def array(self) -> None:
        self.i += 1
        while True:
            self.allspacing()
            c = self.at()
            if c == ")":
                self.i += 1
                return
            if c == "(":
                self.array()
                continue
            if (
                c == "["
                and (close := self.s.find("]", self.i)) > 0
                and self.s[close + 1 :][:1] == "="
            ):
                self.i = close + 2
                if self.at() == "(":
                    self.array()
                else:
                    self.word()
                continue
            if self.word() is None:
                raise ShellSyntaxError(f"expected ) closing the array at {self.i}")
