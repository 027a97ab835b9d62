"""A shell-command view of RUN text, for lint rules.

``parse_shell(text)`` splits a POSIX shell script into simple commands on ``&&``, ``||``,
``;``, ``|``, ``&`` and newlines, also looking inside ``( )``, ``{ }``, ``$( )``, backticks
and ``if``/``for``/``while`` bodies. Each command is its name plus its argument words with
quotes removed; redirections are dropped. Like ShellCheck (which hadolint uses), ``$X``
and ``${X}`` both read ``${X}``, ``command``/``exec``/``builtin``/``busybox``/``run``
are looked through for the name, and assignments before the name are skipped.

It is written to never raise: unbalanced quotes or brackets end at the end of the text.
"""

from __future__ import annotations

from dockwright.record import Record

_RESERVED_PREFIX = frozenset(
    {"!", "{", "then", "else", "do", "if", "elif", "while", "until", "time"}
)
_RESERVED_ALONE = frozenset({"fi", "done", "esac", "}", "then", "else", "do", ";;"})
_WRAPPERS = frozenset({"busybox", "builtin", "command", "run", "exec"})
_OPERATOR_CHARS = "&|;()\n"


class ShellCommand(Record):
    """One simple command: ``name`` and the words after the first word."""

    __slots__ = ("args", "name")

    name: str
    args: tuple[str, ...]

    def __init__(self, name: str, args: tuple[str, ...]) -> None:
        Record.__init__(self, name=name, args=args)

    @property
    def flags(self) -> frozenset[str]:
        """``--name[=v]`` gives ``name``; ``-abc`` gives ``a``, ``b``, ``c``. As in hadolint,
        a bare ``--`` does not end the flags: every ``-`` word anywhere counts."""
        return frozenset(f for a in self.args for f in _word_flags(a))

    def count_flag(self, name: str) -> int:
        """How often flag ``name`` is given (``-qq`` counts ``q`` twice)."""
        return sum(_word_flags(a).count(name) for a in self.args)

    def has_flag(self, *names: str) -> bool:
        f = self.flags
        return any(n in f for n in names)

    def has_arg(self, *values: str) -> bool:
        return any(a in values for a in self.args)

    def args_no_flags(self) -> list[str]:
        return [a for a in self.args if a in ("-", "--") or not a.startswith("-")]

    def drop_flag_arg(self, names: tuple[str, ...]) -> ShellCommand:
        """Remove the word after each flag in ``names`` unless the flag word holds ``=``."""
        drop = {
            i + 1
            for i, a in enumerate(self.args)
            if "=" not in a and not set(_word_flags(a)).isdisjoint(names)
        }
        return ShellCommand(self.name, tuple(a for i, a in enumerate(self.args) if i not in drop))


def _word_flags(word: str) -> list[str]:
    if word in ("-", "--") or not word.startswith("-"):
        return []
    if word.startswith("--"):
        return [word[2:].split("=", 1)[0]]
    return list(word[1:])


class ShellScript(Record):
    __slots__ = ("commands", "has_pipe")

    commands: tuple[ShellCommand, ...]
    has_pipe: bool

    def __init__(self, commands: tuple[ShellCommand, ...], has_pipe: bool) -> None:
        Record.__init__(self, commands=commands, has_pipe=has_pipe)

    def named(self, *names: str) -> list[ShellCommand]:
        return [c for c in self.commands if c.name in names]


def parse_shell(text: str) -> ShellScript:
    """Split shell text into simple commands (never raises)."""
    lexer = _Lexer(text)
    try:  # noqa: SIM105 - contextlib.suppress would import contextlib at start-up
        lexer.run()
    except RecursionError:  # absurd nesting: keep what was found
        pass
    return ShellScript(tuple(lexer.commands), lexer.has_pipe)


def _command_from_words(words: list[str], dynamic: set[int]) -> ShellCommand | None:
    """``dynamic`` holds the indexes of words with an expansion: such a word cannot be
    read as a command name (ShellCheck's ``getLiteralString``), so there is no command."""
    skipped = 0
    while skipped < len(words) and words[skipped] in _RESERVED_PREFIX:
        skipped += 1
    words = words[skipped:]
    if words and words[0] in ("for", "case", "select", "function"):
        return None
    if len(words) == 1 and words[0] in _RESERVED_ALONE:
        return None
    i = 0
    while i < len(words) and _is_assignment(words[i]):
        i += 1
    words = words[i:]
    skipped += i
    if not words or skipped in dynamic:
        return None
    name = words[0]
    if name in _WRAPPERS:
        inner = _exec_target(words) if name == "exec" else 1
        if inner is not None and inner < len(words) and not words[inner].startswith("-"):
            if skipped + inner in dynamic:
                return None
            name = words[inner]
    return ShellCommand(name, tuple(words[1:]))


def _exec_target(words: list[str]) -> int | None:
    """Index of the command ``exec [-cl] [-a name]`` runs; None for an unknown option."""
    i = 1
    while i < len(words) and words[i].startswith("-") and words[i] != "-":
        if words[i] == "--":
            return i + 1
        opts = words[i][1:]
        for j, c in enumerate(opts):
            if c == "a":
                i += 0 if opts[j + 1 :] else 1  # the name is the rest of the word or the next
                break
            if c not in "cl":
                return None
        i += 1
    return i


def _is_assignment(word: str) -> bool:
    name, eq, _ = word.partition("=")
    return (
        bool(eq)
        and name != ""
        and (name[0].isalpha() or name[0] == "_")
        and all(c.isalnum() or c == "_" for c in name)
    )


class _Lexer:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.commands: list[ShellCommand] = []
        self.has_pipe = False
        self.pending_heredocs: list[tuple[str, bool]] = []
        self.dynamic = False  # the word being read holds an expansion

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def run(self) -> None:
        words: list[str] = []
        dynamic: set[int] = set()
        nested: list[ShellCommand] = []
        skip_next_word = False
        while self.i < len(self.s):
            ch = self.peek()
            if ch == "\\" and self.peek(1) == "\n":
                self.i += 2
                continue
            if ch in " \t\r":
                self.i += 1
                continue
            if ch == "#":
                while self.i < len(self.s) and self.s[self.i] != "\n":
                    self.i += 1
                continue
            if ch in _OPERATOR_CHARS and not self.s.startswith("&>", self.i):
                self._flush(words, dynamic, nested)
                words, dynamic, nested = [], set(), []
                if ch == "|" and self.peek(1) != "|":
                    self.has_pipe = True
                if ch == "\n":
                    self.i += 1
                    self._skip_heredoc_bodies()
                    continue
                two = self.s[self.i : self.i + 2]
                self.i += 2 if two in ("&&", "||", ";;", "|&") else 1
                continue
            redirect = self._redirect()
            if redirect is not None:
                if redirect in ("<<", "<<-"):
                    delim = self._word(nested)
                    if delim is not None:
                        self.pending_heredocs.append((delim, redirect == "<<-"))
                elif redirect:
                    skip_next_word = True
                continue
            self.dynamic = False
            word = self._word(nested)
            if word is None:
                continue
            if skip_next_word:
                skip_next_word = False
                continue
            if self.dynamic:
                dynamic.add(len(words))
            words.append(word)
        self._flush(words, dynamic, nested)

    def _flush(self, words: list[str], dynamic: set[int], nested: list[ShellCommand]) -> None:
        cmd = _command_from_words(words, dynamic)
        if cmd is not None:
            self.commands.append(cmd)
        self.commands.extend(nested)

    def _skip_heredoc_bodies(self) -> None:
        for delim, strip in self.pending_heredocs:
            while self.i < len(self.s):
                end = self.s.find("\n", self.i)
                line = self.s[self.i : end if end >= 0 else len(self.s)]
                self.i = end + 1 if end >= 0 else len(self.s)
                if (line.lstrip("\t") if strip else line).rstrip("\r") == delim:
                    break
        self.pending_heredocs = []

    def _redirect(self) -> str | None:
        """Consume a redirection operator; return it ("" when it needs no target word)."""
        j = self.i
        while j < len(self.s) and self.s[j].isdigit():
            j += 1
        if j == self.i and self.s.startswith("&>", j):
            j += 1
        if j >= len(self.s) or self.s[j] not in "<>":
            return None
        for op in ("<<<", "<<-", "<<", ">>", ">&", "<&", ">|", "<>", ">", "<"):
            if self.s.startswith(op, j):
                end = j + len(op)
                self.i = end
                if (
                    op in (">&", "<&")
                    and end < len(self.s)
                    and (self.s[end].isdigit() or self.s[end] == "-")
                ):
                    while self.i < len(self.s) and (
                        self.s[self.i].isdigit() or self.s[self.i] == "-"
                    ):
                        self.i += 1
                    return ""
                return op
        return None

    def _word(self, nested: list[ShellCommand]) -> str | None:
        out: list[str] = []
        start = self.i
        while self.i < len(self.s):
            ch = self.peek()
            if ch in " \t\r" or ch in _OPERATOR_CHARS:
                break
            if ch in "<>":
                break
            if ch == "\\":
                nxt = self.peek(1)
                self.i += 2
                if nxt == "\n" or nxt == "":
                    continue
                out.append(nxt)
            elif ch == "'":
                end = self.s.find("'", self.i + 1)
                end = len(self.s) if end < 0 else end
                out.append(self.s[self.i + 1 : end])
                self.i = end + 1
            elif ch == '"':
                self.i += 1
                while self.i < len(self.s) and self.peek() != '"':
                    c = self.peek()
                    if c == "\\" and self.peek(1) in ('"', "\\", "$", "`", "\n"):
                        if self.peek(1) != "\n":
                            out.append(self.peek(1))
                        self.i += 2
                    elif c == "$":
                        out.append(self._dollar(nested))
                    elif c == "`":
                        out.append(self._backtick(nested))
                    else:
                        out.append(c)
                        self.i += 1
                self.i += 1
            elif ch == "$":
                out.append(self._dollar(nested))
            elif ch == "`":
                out.append(self._backtick(nested))
            else:
                out.append(ch)
                self.i += 1
        if self.i == start:
            return None
        return "".join(out)

    def _balanced(self, open_: str, close: str) -> str:
        """Text up to the matching ``close`` (self.i just after ``open_``)."""
        depth = 1
        start = self.i
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == "\\":
                self.i += 2
                continue
            if c == "'" and open_ == "(":
                end = self.s.find("'", self.i + 1)
                self.i = len(self.s) if end < 0 else end + 1
                continue
            if c == open_:
                depth += 1
            elif c == close:
                depth -= 1
                if depth == 0:
                    body = self.s[start : self.i]
                    self.i += 1
                    return body
            self.i += 1
        return self.s[start:]

    def _dollar(self, nested: list[ShellCommand]) -> str:
        self.i += 1
        ch = self.peek()
        if ch == "(":
            arith = self.peek(1) == "("
            self.i += 1
            body = self._balanced("(", ")")
            self.dynamic = True
            if arith:
                return "${VAR}"
            nested.extend(parse_shell(body).commands)
            return "${…}"
        if ch == "{":
            self.i += 1
            self.dynamic = True
            body = self._balanced("{", "}")
            return "${" + body + "}"
        j = self.i
        if j < len(self.s) and (self.s[j] in "@*#?-$!" or self.s[j].isdigit()):
            self.i += 1
            self.dynamic = True
            return "${" + self.s[j] + "}"
        while j < len(self.s) and (self.s[j].isalnum() or self.s[j] == "_"):
            j += 1
        if j == self.i:
            return "$"
        name = self.s[self.i : j]
        self.i = j
        self.dynamic = True
        return "${" + name + "}"

    def _backtick(self, nested: list[ShellCommand]) -> str:
        self.i += 1
        self.dynamic = True
        end = self.s.find("`", self.i)
        end = len(self.s) if end < 0 else end
        nested.extend(parse_shell(self.s[self.i : end]).commands)
        self.i = end + 1
        return "${VAR}"
