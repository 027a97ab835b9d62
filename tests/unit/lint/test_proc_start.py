"""``proc.start`` (posix_spawn, how `dockwright lint` starts ShellCheck) behaves as ``proc.run``,
and the CLI's help formatter prints what argparse's prints."""

from __future__ import annotations

import argparse
import sys

import pytest

from dockwright import proc
from dockwright.cli import lint as lint_command
from dockwright.cli.main import _top_parser, help_formatter
from dockwright.errors import CommandError

PY = sys.executable
CASES = [
    ([PY, "-c", "import sys; print('out'); print('err', file=sys.stderr)"], b""),
    ([PY, "-c", "import sys; sys.stdout.write(sys.stdin.read().upper())"], b"abc\xc3\xa9"),
    ([PY, "-c", "import sys; sys.exit(3)"], b""),
    ([PY, "-c", "pass"], b"not read" * 50_000),  # exits without reading its input
    # more in and out than a pipe holds: neither side may block the other
    ([PY, "-c", "import sys; d = sys.stdin.read(); print(d * 2); print(d, file=sys.stderr)"],
     b"x" * 300_000),
    (["sh", "-c", "yes | head -c 4"], b""),  # SIGPIPE at its default, as subprocess sets it
]  # fmt: skip


@pytest.mark.parametrize("argv,data", CASES)
def test_start_gives_what_run_gives(argv: list[str], data: bytes) -> None:
    assert proc.start(argv, input=data).wait(check=False) == proc.run(argv, input=data, check=False)


def test_start_errors_are_run_errors() -> None:
    failing = [PY, "-c", "import sys; print('why', file=sys.stderr); sys.exit(4)"]
    with pytest.raises(CommandError) as started:
        proc.start(failing).wait()
    with pytest.raises(CommandError) as ran:
        proc.run(failing)
    assert str(started.value) == str(ran.value)
    for missing in (["/nonexistent/dockwright-x"], ["dockwright-no-such-command"]):
        with pytest.raises(CommandError) as started:
            proc.start(missing)
        with pytest.raises(CommandError) as ran:
            proc.run(missing)
        assert str(started.value) == str(ran.value)
        assert started.value.returncode == 127


def _help(formatter: type[argparse.HelpFormatter]) -> str:
    parser = argparse.ArgumentParser(
        prog="dockwright lint", description=lint_command.HELP, formatter_class=formatter
    )
    lint_command.configure(parser)
    return parser.format_help()


@pytest.mark.parametrize("columns", ["", "0", "abc", "30", "72", "200"])
def test_help_formatter_matches_argparse(monkeypatch: pytest.MonkeyPatch, columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    assert _help(help_formatter()) == _help(argparse.HelpFormatter)
    top = _top_parser()
    mine = top.format_help()
    top.formatter_class = argparse.RawDescriptionHelpFormatter
    assert mine == top.format_help()
    assert issubclass(help_formatter(raw=True), argparse.RawDescriptionHelpFormatter)
