"""String order as JavaScript's ``String.prototype.localeCompare`` gives it (ICU's root
collation), for the ASCII text found in image tags.

Punctuation sorts before digits, digits before letters; letters compare without case first,
then lower case before upper case. Characters beyond ASCII follow the letters, by code point.
"""

from __future__ import annotations

# ICU root order of ASCII punctuation and symbols (all before digits).
_PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_RANK = {ch: i for i, ch in enumerate(_PUNCTUATION)}
_DIGITS = len(_PUNCTUATION)
_LETTERS = _DIGITS + 10
_OTHER = _LETTERS + 26


def _primary(ch: str) -> int:
    if ch in _RANK:
        return _RANK[ch]
    if "0" <= ch <= "9":
        return _DIGITS + ord(ch) - ord("0")
    low = ch.lower()
    if ch.isascii() and "a" <= low <= "z":
        return _LETTERS + ord(low) - ord("a")
    return _OTHER + ord(ch)


def collate_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """A sort key: primary ranks, then case (lower first), then the text itself."""
    return (
        tuple(_primary(ch) for ch in text),
        tuple(1 if ch.isupper() else 0 for ch in text),
        text,
    )


def locale_compare(a: str, b: str) -> int:
    ka, kb = collate_key(a), collate_key(b)
    return (ka > kb) - (ka < kb)
