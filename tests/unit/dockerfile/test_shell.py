from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # tests, case patterns, function names, for lists and assignments are no commands
        ("[ -e f ] && grep x f", ["grep"]),
        ("[[ $x =~ ^(a|b)$ ]] || a", ["a"]),
        ('case "$x" in a|b) c ;; *) d ;; esac', ["c", "d"]),
        ("f() { a; }; f", ["a", "f"]),
        ("for x in $(ls) y; do a $x; done", ["ls", "a"]),
        ("x=$(a) b", ["b", "a"]),
        ("declare -a x=(a $(b))", ["declare", "b"]),
        ("time a b", ["time", "a"]),
        ("! a | b", ["a", "b"]),
        ("(( x++ )) && a; ((b) && c)", ["a", "b", "c"]),
        ("cat <<EOF\n$(a)\nEOF\ncat <<'EOF'\n$(b)\nEOF\nc", ["cat", "a", "cat", "c"]),
        # where ShellCheck stops at the top level, what came before counts
        ("a; then b", ["a"]),
        ("a; ) b", ["a"]),
        # where it gives up inside a construct, nothing counts
        ('a && echo "unclosed', []),
        ("a; echo $(b", []),
        ("a; echo (b)", []),
        ("if a; then b; c fi", []),
        ("for x in y; do a; don", []),
        ("a; cat <<EOF", []),
        ("a; `b; ( c`", ["a"]),  # a backtick's syntax error only loses its own commands
    ],
)
def test_commands_as_shellcheck_parses_them(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('echo "$(id -u)" $((1 + 2)) `date`', ("${id-u}", "${VAR}", "${VAR}")),
        ('echo ${x:-"d"} $1 $@ "$" a\\ b', ("${x:-d}", "${1}", "${@}", "$", "a b")),
        ("echo a{b,c} x@(y|z) *.txt [ab]", ("a", "x", "*.txt", "[ab]")),
        ("echo $'a\\tb' \"$(a && b)\"", ("a\\tb", "${}")),
    ],
)
def test_words_are_simplified_as_hadolint_does(text: str, expected: tuple[str, ...]) -> None:
    assert parse_shell(text).commands[0].args == expected


@pytest.mark.parametrize(
    "text",
    [
        'for s in a b; do d="$(echo $s | tr -d 3)"; done',
        "echo `a | b`",
        '[ -n "$(a | b)" ] && c',
        "cat <<EOF\n$(a | b)\nEOF",
        "a | b; then c",
        "a |\n b",
    ],
)
def test_pipes_anywhere(text: str) -> None:
    assert parse_shell(text).has_pipe


@pytest.mark.parametrize(
    "text",
    [
        "case x in s390x|riscv64) a ;; esac",
        "echo $(( 1 | 2 )) 'a|b' \"a|b\" a\\|b",
        "cat <<'EOF'\n$(a | b)\nEOF",
        "a | b; echo (c)",
        "a; ) b | c",
    ],
)
def test_no_pipe(text: str) -> None:
    assert not parse_shell(text).has_pipe


def test_absurd_nesting_gives_no_command() -> None:
    assert parse_shell("$(" * 5000 + "a" + ")" * 5000).commands == ()


@settings(max_examples=1000, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab =$(){}[]|&;<>'\"`\\\n\t#!*?@+-,.:0_~%/^")), max_size=40
    )
)
def test_never_raises(text: str) -> None:
    script = parse_shell(text)
    assert isinstance(script.has_pipe, bool)
