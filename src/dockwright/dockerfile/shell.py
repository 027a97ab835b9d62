"""A shell-command view of RUN text, for lint rules.

``parse_shell(text)`` gives the simple commands of a shell script and whether it has a pipe,
the way hadolint reads them from ShellCheck's parse (see ``shellsyntax``): every simple
command anywhere (inside ``&&``/``||``/``;`` lists, pipelines, subshells, ``$( )``,
backticks, ``if``/``for``/``while``/``case`` bodies), outer before inner, but no ``[ ]`` or
``[[ ]]`` test, assignment or case pattern. Each command is its name plus its argument words,
simplified as hadolint does (quotes removed, ``$X`` and ``${X}`` both ``${X}``);
redirections are dropped. Like ShellCheck, ``command``/``exec``/``builtin``/``busybox``/
``run`` are looked through for the name, and a word with an expansion cannot be a name.
A script ShellCheck cannot parse has no command and no pipe.

It never raises.
"""

from __future__ import annotations

from dockwright.dockerfile.shellsyntax import parse
from dockwright.record import Record

_WRAPPERS = frozenset({"busybox", "builtin", "command", "run", "exec"})


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
    """The simple commands of shell text and whether it has a pipe (never raises)."""
    parsed = parse(text)
    if parsed is None:
        return ShellScript((), False)
    found, has_pipe = parsed
    commands = []
    for words, dynamic in found:
        cmd = _command_from_words(words, dynamic)
        if cmd is not None:
            commands.append(cmd)
    return ShellScript(tuple(commands), has_pipe)


def _command_from_words(words: list[str], dynamic: set[int]) -> ShellCommand | None:
    """``dynamic`` holds the indexes of words that are not plain literals: such a word
    cannot be read as a command name (ShellCheck's ``getLiteralString``): no command."""
    if 0 in dynamic:
        return None
    name = words[0]
    if name in _WRAPPERS:
        inner = _exec_target(words) if name == "exec" else 1
        if inner is not None and inner < len(words) and not words[inner].startswith("-"):
            if inner in dynamic:
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
