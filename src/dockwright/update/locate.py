"""Where the words of an instruction are written: its logical line (continuations joined,
comment lines dropped, as the parser builds it) with the file offset of every character.

``FROM`` arguments, ``ARG``/``ENV`` words and flag values come back as
:class:`~dockwright.update.sourced.Sourced` text, ready for variable expansion.
"""

from __future__ import annotations

from dockwright.dockerfile import words as w
from dockwright.dockerfile.model import Flag, Instruction
from dockwright.dockerfile.parser import split_lines
from dockwright.update.sourced import Sourced


def _trim_newline(s: str) -> str:
    return s.rstrip("\r\n")


def _trim_continuation(s: str, escape: str) -> tuple[str, bool]:
    t = s.rstrip(" \t")
    if t.endswith(escape) and not t.endswith(escape + escape):
        return t[:-1], False
    return s, True


def logical_line(ins: Instruction, file: str, start: int) -> Sourced:
    """The instruction's logical line; ``start`` is the offset of its first source line."""
    out = Sourced("", ())
    offset = start
    first = True
    eol = False
    for raw in split_lines(ins.source):
        line_start = offset
        offset += len(raw)
        if not first and eol:
            break  # heredoc bodies follow the logical line
        token = _trim_newline(raw)
        if first:
            stripped = w.lstrip_space(token)
            lead = len(token) - len(stripped)
            piece, eol = _trim_continuation(stripped, ins.escape)
            out += Sourced.at(piece, file, line_start + lead)
            first = False
            continue
        lead_text = w.lstrip_space(token)
        if lead_text.startswith("#") or lead_text == "":
            continue
        piece, eol = _trim_continuation(token, ins.escape)
        out += Sourced.at(piece, file, line_start)
    return out


def _rest(line: Sourced) -> Sourced:
    """The arguments after the keyword and the flags."""
    text = line.text
    lead = len(text) - len(w.lstrip_space(text))
    trimmed = w.strip_space(text)
    found = w.find_whitespace(trimmed)
    if found is None:
        return Sourced("", ())
    args_start = lead + found[1]
    _, rest_off = w.extract_flags(text[args_start : lead + len(trimmed)])
    return line[args_start + rest_off : lead + len(trimmed)]


def words_of(line: Sourced, raw_words: tuple[str, ...] | list[str]) -> list[Sourced | None]:
    """Each of ``raw_words`` (as the parser split the arguments) found in order in the
    arguments; None for a word not written as it reads (a dropped trailing escape)."""
    rest = _rest(line)
    out: list[Sourced | None] = []
    cursor = 0
    for word in raw_words:
        at = rest.text.find(word, cursor)
        if at < 0:
            out.append(None)
            continue
        out.append(rest[at : at + len(word)])
        cursor = at + len(word)
    return out


def flag_value(flag: Flag, text: str, line_starts: list[int], file: str) -> Sourced | None:
    """A ``--name=value`` flag's value where it is written as it reads (no quotes or escapes
    in the word), else None."""
    if flag.value is None:
        return None
    offset = line_starts[flag.line - 1] + flag.column - 1
    written = f"--{flag.name}={flag.value}"
    if text[offset : offset + len(written)] != written:
        return None
    value_at = offset + len(written) - len(flag.value)
    return Sourced.at(flag.value, file, value_at)


def line_starts(text: str) -> list[int]:
    """Offset of the first character of every line."""
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts
