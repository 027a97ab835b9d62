"""Words of an instruction's source text with their offsets, for minimal text edits.

The Dockerfile parser gives the logical line (continuations joined, comment lines
dropped); fixes need the opposite: where each word sits in the exact source, so an edit
touches only that word and every comment, blank and continuation stays as written.

``shell_commands(ins)`` reads a RUN the way a POSIX shell splits it into simple commands
(on ``&&``, ``||``, ``|``, ``;``, ``&``, parentheses and unescaped newlines), good enough
to locate a command and its words. It returns None where an edit could not be placed
with certainty: exec form, a non-backslash escape character, a heredoc that is not the
script itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dockwright.dockerfile import Instruction

_OPERATORS = ("&&", "||", ";;", "|", ";", "&", "(", ")")
_RESERVED = frozenset({"!", "{", "}", "then", "else", "do", "if", "elif", "while", "until", "time"})
_WRAPPERS = frozenset({"busybox", "builtin", "command", "run", "exec"})


@dataclass(frozen=True)
class Word:
    """A word as written (quotes kept) and its ``[start, end)`` offsets in the source."""

    raw: str
    start: int
    end: int

    @property
    def value(self) -> str:
        """The word with quotes and backslash escapes removed."""
        out: list[str] = []
        quote = ""
        i = 0
        s = self.raw
        while i < len(s):
            c = s[i]
            if quote == "'":
                if c == "'":
                    quote = ""
                else:
                    out.append(c)
            elif c == "\\" and i + 1 < len(s) and quote != "'":
                i += 1
                out.append(s[i])
            elif c in "'\"" and (not quote or quote == c):
                quote = "" if quote else c
            else:
                out.append(c)
            i += 1
        return "".join(out)


@dataclass(frozen=True)
class Command:
    """One simple command: ``words[name]`` is the command name (after assignments)."""

    words: tuple[Word, ...]
    name: int

    @property
    def name_word(self) -> Word:
        return self.words[self.name]

    @property
    def args(self) -> tuple[Word, ...]:
        return self.words[self.name + 1 :]


@dataclass(frozen=True)
class Scan:
    """Words and separators of a source region; ``comment`` when a shell comment was seen."""

    items: tuple[Word | str, ...]  # str items are operators or "\n"
    comment: bool
    end: int  # offset just after the last word or operator


def scan(source: str, start: int, stop: int, *, continuation: bool) -> Scan:
    """Split ``source[start:stop]`` into words and operators.

    ``continuation``: the Dockerfile's line joining applies (backslash-newline joins lines,
    then comment and blank lines are skipped); otherwise a newline separates commands.
    """
    items: list[Word | str] = []
    comment = False
    end = start
    i = start
    word_start = -1
    quote = ""

    def close(at: int) -> None:
        nonlocal word_start, end
        if word_start >= 0:
            items.append(Word(source[word_start:at], word_start, at))
            end = at
            word_start = -1

    while i < stop:
        c = source[i]
        if quote:
            if c == quote:
                quote = ""
            elif c == "\\" and quote == '"' and i + 1 < stop:
                i += 1
            i += 1
            continue
        if c == "\\" and i + 1 < stop:
            j = i + 1
            while j < stop and source[j] in " \t\r":
                j += 1
            if continuation and j < stop and source[j] == "\n":
                close(i)
                i = _skip_ignored_lines(source, j + 1, stop)
                continue
            if source[i + 1] == "\n" and not continuation:
                close(i)  # shell line continuation inside a heredoc script
                i += 2
                continue
            if word_start < 0:
                word_start = i
            i += 2
            continue
        if c in " \t\r":
            close(i)
            i += 1
            continue
        if c == "\n":
            close(i)
            if continuation:
                break
            items.append("\n")
            i += 1
            continue
        if c == "#" and word_start < 0:
            comment = True
            nl = source.find("\n", i, stop)
            i = stop if nl < 0 else nl
            continue
        op = next((o for o in _OPERATORS if source.startswith(o, i)), None)
        if op is not None and not (op in "()" and word_start >= 0 and source[i - 1] == "$"):
            close(i)
            items.append(op)
            i += len(op)
            end = i
            continue
        if c in "'\"":
            quote = c
        if word_start < 0:
            word_start = i
        i += 1
    close(min(i, stop))
    return Scan(tuple(items), comment, end)


def _skip_ignored_lines(source: str, i: int, stop: int) -> int:
    """After a continuation: skip lines that are blank or comments (BuildKit drops them)."""
    while i < stop:
        nl = source.find("\n", i, stop)
        line = source[i : stop if nl < 0 else nl]
        stripped = line.strip(" \t\r")
        if stripped and not stripped.startswith("#"):
            return i
        if nl < 0:
            return stop
        i = nl + 1
    return i


def first_line_end(ins: Instruction) -> int:
    """Offset where the instruction's logical line ends (heredoc bodies follow it)."""
    source = ins.source
    i = 0
    while True:
        nl = source.find("\n", i)
        if nl < 0:
            return len(source)
        line = source[i:nl].rstrip(" \t\r")
        if not line.endswith("\\") or line.endswith("\\\\"):
            return nl
        i = _skip_ignored_lines(source, nl + 1, len(source))
        if i >= len(source):
            return len(source)


def leading_words(ins: Instruction) -> Scan:
    """The words of the logical line (keyword, ONBUILD's inner keyword, flags, arguments)."""
    return scan(ins.source, 0, first_line_end(ins), continuation=True)


def argument_words(ins: Instruction) -> list[Word] | None:
    """The argument words after keyword(s) and flags; None where operators or comments
    make the split uncertain."""
    if ins.escape != "\\":
        return None
    sc = leading_words(ins)
    if sc.comment or any(isinstance(x, str) for x in sc.items):
        return None
    words = [x for x in sc.items if isinstance(x, Word)]
    skip = 2 + len(ins.effective.flags) if ins.inner is not None else 1 + len(ins.flags)
    return words[skip:]


def shell_commands(ins: Instruction) -> tuple[list[Command], Scan] | None:
    """The simple commands of a shell-form RUN (or ONBUILD RUN), with the scan they come
    from; None when the text cannot be edited with certainty."""
    eff = ins.effective
    if eff.keyword != "RUN" or eff.json or ins.escape != "\\":
        return None
    head = leading_words(ins)
    words = [x for x in head.items if isinstance(x, Word)]
    skip = (2 if ins.inner is not None else 1) + len(eff.flags)
    if len(words) < skip:
        return None
    if eff.heredocs:
        marker = words[skip].value if len(words) > skip else ""
        if len(eff.heredocs) != 1 or not marker.lstrip("0123456789").startswith("<<"):
            return None
        if len(head.items) != skip + 1:
            return None  # `RUN <<EOF bash`: the body is input to another program
        body_start = first_line_end(ins) + 1
        lines = ins.source[body_start:].splitlines(keepends=True)
        body_stop = body_start + sum(len(x) for x in lines[:-1])
        sc = scan(ins.source, body_start, body_stop, continuation=False)
        return _commands(list(sc.items)), sc
    first = words[skip - 1] if skip else None
    start = first.end if first is not None else 0
    sc = scan(ins.source, start, first_line_end(ins), continuation=True)
    return _commands(list(sc.items)), sc


def _commands(items: list[Word | str]) -> list[Command]:
    out: list[Command] = []
    current: list[Word] = []
    for item in [*items, "\n"]:
        if isinstance(item, Word):
            current.append(item)
            continue
        cmd = _command(current)
        if cmd is not None:
            out.append(cmd)
        current = []
    return out


def _command(words: list[Word]) -> Command | None:
    i = 0
    while i < len(words) and words[i].raw in _RESERVED:
        i += 1
    while i < len(words) and _is_assignment(words[i].raw):
        i += 1
    if i >= len(words):
        return None
    if words[i].raw in _WRAPPERS and i + 1 < len(words):
        i += 1
    return Command(tuple(words), i)


def _is_assignment(word: str) -> bool:
    name, eq, _ = word.partition("=")
    return bool(eq) and name.isidentifier()


def subcommand(cmd: Command, names: tuple[str, ...], verb: str) -> Word | None:
    """The ``verb`` word of a command named one of ``names`` (``apt-get … install``)."""
    if cmd.name_word.value not in names:
        return None
    return next((w for w in cmd.args if w.value == verb), None)


def has_flag(cmd: Command, *names: str) -> bool:
    """A ``--name[=v]`` word, or a ``-abc`` word holding a one-letter name."""
    for w in cmd.args:
        v = w.value
        if v == "--":
            return False
        if v.startswith("--") and v[2:].split("=", 1)[0] in names:
            return True
        if v.startswith("-") and not v.startswith("--") and any(c in names for c in v[1:]):
            return True
    return False


def flag_after_verb(
    ins: Instruction, verb_of: Callable[[Command], Word | None], flag: str
) -> list[tuple[int, str]]:
    """Where to insert `` flag``: right after the verb word ``verb_of`` finds in each command
    of a RUN that does not pass the flag yet (None from ``verb_of``: not such a command)."""
    found = shell_commands(ins)
    if found is None:
        return []
    return [(verb.end, f" {flag}") for cmd in found[0] if (verb := verb_of(cmd)) is not None]
