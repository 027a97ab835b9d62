"""Word splitting exactly as BuildKit's Dockerfile parser does it (before variable expansion).

BuildKit works on the logical line (continuations joined). These functions mirror its
``parseWords``, ``extractBuilderFlags``, whitespace splitting and JSON-array detection, so
that the ``args`` we report equal BuildKit's node values.
"""

from __future__ import annotations

import json

from dockwright.record import Record

# Go's unicode.IsSpace differs from str.isspace (Python also counts \x1c-\x1f).
_GO_SPACE = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | frozenset(
    chr(c) for c in range(0x2000, 0x200B)
)
# BuildKit's reWhitespace ([\t\v\f\r ]+): the separator for whitespace-delimited
# instructions. Matched with string methods: every file needs it, and `re` costs start-up.
_SEPARATORS = "\t\v\f\r "
_TO_SPACE = str.maketrans("\t\v\f\r", "    ")


def is_space(ch: str) -> bool:
    return ch in _GO_SPACE


def lstrip_space(s: str) -> str:
    i = 0
    while i < len(s) and s[i] in _GO_SPACE:
        i += 1
    return s[i:]


def strip_space(s: str) -> str:
    s = lstrip_space(s)
    j = len(s)
    while j > 0 and s[j - 1] in _GO_SPACE:
        j -= 1
    return s[:j]


def find_whitespace(s: str) -> tuple[int, int] | None:
    """Start and end of the first run of reWhitespace characters in ``s``, or None."""
    n = len(s)
    i = 0
    while i < n and s[i] not in _SEPARATORS:
        i += 1
    if i == n:
        return None
    j = i + 1
    while j < n and s[j] in _SEPARATORS:
        j += 1
    return i, j


def split_whitespace(rest: str) -> list[str]:
    """``reWhitespace.Split(rest, -1)``; empty input gives no words."""
    if rest == "":
        return []
    # Every separator becomes a space; a run of them gives empty parts between its spaces,
    # which the regular expression would not (it keeps only a leading and a trailing one).
    parts = rest.translate(_TO_SPACE).split(" ")
    if len(parts) <= 2:
        return parts
    return [parts[0], *(p for p in parts[1:-1] if p), parts[-1]]


def split_whitespace_once(rest: str) -> list[str]:
    """``reWhitespace.Split(rest, 2)``: the first word and the rest, verbatim."""
    found = find_whitespace(rest)
    if found is None:
        return [rest]
    return [rest[: found[0]], rest[found[1] :]]


class FlagWord(Record):
    """One ``--flag`` word: its text with quotes/escapes removed, and offset in the line."""

    __slots__ = ("offset", "text")

    text: str
    offset: int

    def __init__(self, text: str, offset: int) -> None:
        Record.__init__(self, text=text, offset=offset)


def extract_flags(line: str) -> tuple[list[FlagWord], int]:
    """Leading ``--flag`` words of ``line`` and the offset where the arguments start.

    Mirrors BuildKit's ``extractBuilderFlags``: quotes group, backslash escapes, a bare
    ``--`` ends the flags and is dropped. It never fails.
    """
    words: list[FlagWord] = []
    in_spaces, in_word, in_quote = 0, 1, 2
    phase = in_spaces
    word: list[str] = []
    start = 0
    quote = ""
    blank_ok = False
    pos = 0
    n = len(line)
    while pos <= n:
        ch = line[pos] if pos < n else ""
        if phase == in_spaces:
            if pos == n:
                break
            if is_space(ch):
                pos += 1
                continue
            if ch != "-" or pos + 1 == n or line[pos + 1] != "-":
                return words, pos
            phase = in_word
            start = pos
        if phase in (in_word, in_quote) and pos == n:
            text = "".join(word)
            if text != "--" and (blank_ok or text):
                words.append(FlagWord(text, start))
            break
        if phase == in_word:
            if is_space(ch):
                phase = in_spaces
                text = "".join(word)
                if text == "--":
                    return words, _skip_spaces(line, pos)
                if blank_ok or text:
                    words.append(FlagWord(text, start))
                word = []
                blank_ok = False
                pos += 1
                continue
            if ch in "'\"":
                quote = ch
                blank_ok = True
                phase = in_quote
                pos += 1
                continue
            if ch == "\\":
                if pos + 1 == n:
                    pos += 1
                    continue
                pos += 1
                ch = line[pos]
            word.append(ch)
            pos += 1
            continue
        # in_quote
        if ch == quote:
            phase = in_word
            pos += 1
            continue
        if ch == "\\":
            if pos + 1 == n:
                phase = in_word
                pos += 1
                continue
            pos += 1
            ch = line[pos]
        word.append(ch)
        pos += 1
    return words, n


def _skip_spaces(line: str, pos: int) -> int:
    # BuildKit returns line[pos:] after "--"; the later TrimSpace-free parsers skip it anyway.
    while pos < len(line) and is_space(line[pos]):
        pos += 1
    return pos


def parse_words(rest: str, escape: str) -> list[str]:
    """BuildKit's ``parseWords``: split on whitespace, quotes group but are kept."""
    words: list[str] = []
    in_spaces, in_word, in_quote = 0, 1, 2
    phase = in_spaces
    word: list[str] = []
    quote = ""
    blank_ok = False
    pos = 0
    n = len(rest)
    while pos <= n:
        ch = rest[pos] if pos < n else ""
        if phase == in_spaces:
            if pos == n:
                break
            if is_space(ch):
                pos += 1
                continue
            phase = in_word
        if phase in (in_word, in_quote) and pos == n:
            if blank_ok or word:
                words.append("".join(word))
            break
        if phase == in_word:
            if is_space(ch):
                phase = in_spaces
                if blank_ok or word:
                    words.append("".join(word))
                word = []
                blank_ok = False
                pos += 1
                continue
            if ch in "'\"":
                quote = ch
                blank_ok = True
                phase = in_quote
            if ch == escape:
                if pos + 1 == n:
                    pos += 1
                    continue
                word.append(ch)
                pos += 1
                ch = rest[pos]
            word.append(ch)
            pos += 1
            continue
        # in_quote
        if ch == quote:
            phase = in_word
        if ch == escape and quote != "'":
            if pos + 1 == n:
                phase = in_word
                pos += 1
                continue
            word.append(ch)
            pos += 1
            ch = rest[pos]
        word.append(ch)
        pos += 1
    return words


class NotStringArray(Exception):
    """A JSON array with a non-string item: BuildKit rejects the instruction."""


def _reject_constant(name: str) -> object:
    raise ValueError(name)


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def parse_json_array(rest: str) -> list[str] | None:
    """The exec-form items, or None when ``rest`` is not a JSON array (shell form).

    Like BuildKit, only the first JSON value is decoded: text after the closing
    bracket is ignored. Raises NotStringArray for ``[1]`` and the like.
    """
    rest = lstrip_space(rest)
    if not rest.startswith("["):
        return None
    try:
        value, _ = _DECODER.raw_decode(rest)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return None
    if not isinstance(value, list):
        return None
    items: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise NotStringArray
        items.append(item)
    return items
