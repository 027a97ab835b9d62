from __future__ import annotations

import pytest

from dockwright.dockerfile.shell import ShellCommand, parse_shell


def names(text: str) -> list[str]:
    return [c.name for c in parse_shell(text).commands]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a && b || c; d | e & f\ng", ["a", "b", "c", "d", "e", "f", "g"]),
        ("(a; b) && { c; }", ["a", "b", "c"]),
        ("if a; then b; elif c; then d; else e; fi", ["a", "b", "c", "d", "e"]),
        ("for x in 1 2; do a $x; done", ["a"]),
        ("while a; do b; done", ["a", "b"]),
        ("X=1 Y=2 a arg", ["a"]),
        ("X=1", []),
        ('echo "$(id -u)" `whoami`', ["echo", "id", "whoami"]),
        ("command apt-get install x", ["apt-get"]),
        ("sudo apt-get install x", ["sudo"]),
        ("cat <<EOF > f\na | b && c\nEOF\nd", ["cat", "d"]),
        ("a # comment | b\nc", ["a", "c"]),
        ("a \\\n  b", ["a"]),
    ],
)
def test_command_names(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_words_are_unquoted_and_redirections_dropped() -> None:
    (cmd,) = parse_shell("apt-get install -y 'a b' \"c\"d e\\ f >/dev/null 2>&1 $V ${W}").commands
    assert cmd == ShellCommand("apt-get", ("install", "-y", "a b", "cd", "e f", "${V}", "${W}"))


def test_flags() -> None:
    (cmd,) = parse_shell("apt-get -qq --no-install-recommends -o=x - -- -y install").commands
    # hadolint (unlike getopt) keeps reading flags after a bare ``--``.
    assert cmd.flags == frozenset({"q", "no-install-recommends", "o", "=", "x", "y"})
    assert cmd.has_flag("q") and cmd.has_flag("y")
    assert cmd.count_flag("q") == 2 and cmd.count_flag("y") == 1
    assert cmd.args_no_flags() == ["-", "--", "install"]


def test_drop_flag_arg() -> None:
    (cmd,) = parse_shell("apt-get install -t bookworm a --target-release=x b").commands
    assert cmd.drop_flag_arg(("t", "target-release")).args_no_flags() == ["install", "a", "b"]


def test_drop_flag_arg_chained() -> None:
    # The dropped word may itself be a flag whose value is dropped in turn.
    (cmd,) = parse_shell("apk add -t -t x y").commands
    assert cmd.drop_flag_arg(("t",)).args == ("add", "-t", "y")


def test_expansion_as_name_is_no_command() -> None:
    script = parse_shell('$PIP install x && "${PY}" -m pip install y && pip$V install z; ok')
    assert [c.name for c in script.commands] == ["ok"]


def test_wrapper_followed_by_flag_keeps_its_name() -> None:
    script = parse_shell("command -v apt && command apt list && exec $X")
    assert [c.name for c in script.commands] == ["command", "apt"]


def test_exec_options_are_skipped() -> None:
    script = parse_shell("exec -a x apt list; exec -cl -- apk add; exec -z apt; exec")
    assert [c.name for c in script.commands] == ["apt", "apk", "exec", "exec"]


def test_pipes() -> None:
    assert parse_shell("a | b").has_pipe
    assert parse_shell("a |& b").has_pipe
    assert not parse_shell("a || b").has_pipe
    assert not parse_shell("echo 'a | b'").has_pipe
