"""``dockwright lint``'s command line: argparse is configured from the option table, and
``parse_simple`` reads plain command lines from the same table into argparse's namespace."""

from __future__ import annotations

import argparse
import contextlib
import io
import random

import pytest

from dockwright.cli import lintargs
from dockwright.cli.main import main

VALUES = [
    "Dockerfile", "a/Dockerfile", "-", "", "x y", "-x y", "-1", "json", "tty", "sarif", "bogus",
    "cfg.yaml", "out.txt", "DL3008", "SC2086", "docker.io", "maintainer:text", "version:semver",
    "bad", "x:nope", "a:", "error", "none", "style", "a=b",
]  # fmt: skip
ODD = ["--", "-h", "--help", "-fjson", "--no-f", "--verb", "-Vt", "--no-fail=1", "-t=error", "-x"]


def _tokens() -> list[str]:
    """Every option name, each with an inline value too, values, files and odd words."""
    out = [*VALUES, *ODD]
    for option in lintargs.OPTIONS:
        out += option.names
        long = option.names[-1]
        out += [f"{long}={value}" for value in ("json", "DL3008", "a:url", "", "error")]
    return out


TOKENS = _tokens()
COMMON = [
    [], ["Dockerfile"], ["-"], ["--no-fail", "-f", "json", "Dockerfile"],
    ["-f", "tty", "-f", "json", "-o", "-", "-o", "out.json", "a", "b"],
    ["a", "b", "--no-color", "--ignore", "DL3008", "--ignore=DL3015", "-t", "warning"],
    ["--require-label", "maintainer:text", "--strict-labels", "-c", "x.yaml", "-V"],
    ["--trusted-registry", "r.example", "--error", "DL3026", "--format=sarif", "Dockerfile"],
    ["--fix", "--unsafe-fixes", "Dockerfile"], ["--diff", "a", "b"],
]  # fmt: skip


def _argparse(argv: list[str]) -> argparse.Namespace | None:
    parser = argparse.ArgumentParser(prog="dockwright lint")
    lintargs.configure(parser)
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            return parser.parse_args(argv)
        except SystemExit:
            return None


def test_common_command_lines_need_no_argparse() -> None:
    for argv in COMMON:
        fast = lintargs.parse_simple(argv)
        assert fast is not None, argv
        assert vars(fast) == vars(_argparse(argv)), argv


@pytest.mark.parametrize("seed", range(4))
def test_parse_simple_agrees_with_argparse_or_declines(seed: int) -> None:
    rng = random.Random(seed)
    accepted = 0
    for _ in range(3000):
        argv = [rng.choice(TOKENS) for _ in range(rng.randint(0, 8))]
        fast = lintargs.parse_simple(argv)
        if fast is None:
            continue
        accepted += 1
        slow = _argparse(argv)
        assert slow is not None, argv
        assert vars(fast) == vars(slow), argv
    assert accepted > 150


def test_every_option_is_understood_by_both() -> None:
    for option in lintargs.OPTIONS:
        for name in option.names:
            if option.metavar is None:
                argv = [name, "Dockerfile"]
            else:
                value = (option.choices or ("maintainer:text",))[0]
                argv = [name, value, "Dockerfile"]
            fast = lintargs.parse_simple(argv)
            assert fast is not None and vars(fast) == vars(_argparse(argv)), argv


def test_help_is_argparse_s(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: dockwright lint [-h] [-f FORMAT]")
    for option in lintargs.OPTIONS:
        assert option.names[-1] in out
    assert main(["--help"]) == 0
    assert "exit codes: 0 ok, 1 findings or failed tests" in capsys.readouterr().out
