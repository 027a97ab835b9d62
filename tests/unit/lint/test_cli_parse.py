"""``dockwright lint``'s command line parsed without argparse gives argparse's namespace."""

from __future__ import annotations

import argparse
import contextlib
import io
import random

from dockwright.cli import lint as lint_command
from dockwright.cli.main import help_formatter

TOKENS = [
    "Dockerfile", "a/Dockerfile", "-", "", "x y", "-x y", "-1", "--", "-h", "--help",
    "-f", "--format", "json", "tty", "sarif", "bogus", "--format=json", "--format=", "-fjson",
    "-c", "--config", "cfg.yaml", "--config=c.yaml", "-o", "--output", "out.txt",
    "--file-path-in-report", "--file-path-in-report=p", "--ignore", "--ignore=DL3008",
    "DL3008", "SC2086", "--error", "--warning", "--info", "--style", "--warning=DL3015",
    "--trusted-registry", "docker.io", "--require-label", "maintainer:text", "version:semver",
    "bad", "x:nope", "--require-label=a:", "-t", "--failure-threshold", "error", "none",
    "--failure-threshold=style", "-t=error", "--strict-labels", "--disable-ignore-pragma",
    "--no-fail", "--no-color", "-V", "--verbose", "--no-f", "--verb", "-Vt", "--fix", "--diff",
    "--unsafe-fixes", "--no-fail=1", "--ignore=a=b",
]  # fmt: skip
COMMON = [
    [], ["Dockerfile"], ["-"], ["--no-fail", "-f", "json", "Dockerfile"],
    ["-f", "tty", "-f", "json", "-o", "-", "-o", "out.json", "a", "b"],
    ["a", "b", "--no-color", "--ignore", "DL3008", "--ignore=DL3015", "-t", "warning"],
    ["--require-label", "maintainer:text", "--strict-labels", "-c", "x.yaml", "-V"],
    ["--trusted-registry", "r.example", "--error", "DL3026", "--format=sarif", "Dockerfile"],
]  # fmt: skip


def _argparse(argv: list[str]) -> argparse.Namespace | None:
    parser = argparse.ArgumentParser(prog="dockwright lint", formatter_class=help_formatter())
    lint_command.configure(parser)
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            return parser.parse_args(argv)
        except SystemExit:
            return None


def test_common_command_lines_need_no_argparse() -> None:
    for argv in COMMON:
        fast = lint_command.parse_simple(argv)
        assert fast is not None, argv
        assert vars(fast) == vars(_argparse(argv)), argv


def test_parse_simple_agrees_with_argparse_or_declines() -> None:
    rng = random.Random(1234)
    accepted = 0
    for _ in range(4000):
        argv = [rng.choice(TOKENS) for _ in range(rng.randint(0, 7))]
        fast = lint_command.parse_simple(argv)
        if fast is None:
            continue
        accepted += 1
        slow = _argparse(argv)
        assert slow is not None, argv
        assert vars(fast) == vars(slow), argv
    assert accepted > 200
