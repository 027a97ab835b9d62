"""Go's ``os.Expand`` and ``os.FileMode.String``, which CST's users write their configs against."""

from __future__ import annotations

from collections.abc import Callable

_SPECIAL = set("*#$@!?-0123456789")

# Go FileMode type letters in Go's bit order ("dalTLDpSugct?"); we only produce these.
_TYPE_LETTERS = {"dir": "d", "symlink": "L", "device": "D", "pipe": "p", "socket": "S"}


def _shell_name(s: str) -> tuple[str, int]:
    if s[0] == "{":
        if len(s) > 2 and s[1] in _SPECIAL and s[2] == "}":
            return s[1:2], 3
        for i in range(1, len(s)):
            if s[i] == "}":
                return ("", 2) if i == 1 else (s[1:i], i + 1)
        return "", 1  # no closing brace: bad syntax, eat the '{'
    if s[0] in _SPECIAL:
        return s[0:1], 1
    i = 0
    while i < len(s) and (s[i] == "_" or (s[i].isascii() and s[i].isalnum())):
        i += 1
    return s[:i], i


def expand(s: str, mapping: Callable[[str], str]) -> str:
    """Replace ``$var`` and ``${var}`` like Go's os.Expand (no escapes; ``$$`` is a variable)."""
    out: list[str] = []
    i = 0
    j = 0
    while j < len(s):
        if s[j] == "$" and j + 1 < len(s):
            out.append(s[i:j])
            name, width = _shell_name(s[j + 1 :])
            if name == "" and width > 0:
                pass  # bad syntax: drop it
            elif name == "":
                out.append("$")  # a '$' not followed by a name stays
            else:
                out.append(mapping(name))
            j += width
            i = j + 1
        j += 1
    out.append(s[i:])
    return "".join(out)


def expand_env(s: str, env: dict[str, str]) -> str:
    return expand(s, lambda name: env.get(name, ""))


def file_mode_string(kind: str, mode: int) -> str:
    """Go's FileMode.String() for a tar entry: ``-rwxr-xr-x``, ``dtrwxrwxrwx``, ``urwxr-xr-x``."""
    letters = _TYPE_LETTERS.get(kind, "D" if kind == "chardev" else "")
    if mode & 0o4000:
        letters += "u"
    if mode & 0o2000:
        letters += "g"
    if kind == "chardev":
        letters += "c"
    if mode & 0o1000:
        letters += "t"
    perms = "".join(ch if mode & (1 << (8 - i)) else "-" for i, ch in enumerate("rwxrwxrwx"))
    return (letters or "-") + perms
