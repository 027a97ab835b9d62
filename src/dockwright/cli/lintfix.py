"""The ``--fix``, ``--unsafe-fixes`` and ``--diff`` options of ``dockwright lint``.

``--fix`` rewrites each file in place (``-``: the fixed text goes to standard output and
the remaining findings to standard error), then linting reports what is left.
``--diff`` prints a unified diff of the fixes and writes nothing; it exits 1 when there
is something to fix, else 0 (as ``ruff check --diff``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from dockwright.lint.config import LintConfig


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fix", action="store_true", help="apply safe fixes in place, then report what is left"
    )
    parser.add_argument(
        "--unsafe-fixes", action="store_true",
        help="also apply fixes that may change behaviour (with --fix or --diff)",
    )  # fmt: skip
    parser.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff; write nothing"
    )


def wanted(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "fix", False) or getattr(args, "diff", False))


def run(args: argparse.Namespace, files: Sequence[str], config: LintConfig) -> int | None:
    """Apply or show fixes. Returns the exit code when the command is done (``--diff``,
    or ``--fix`` on standard input), None when linting should go on as usual."""
    import difflib

    from dockwright.lint.engine import read_dockerfile
    from dockwright.lint.fixer import fix_text

    changed = 0
    fixed = 0
    for file in files:
        data = read_dockerfile(file)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # linting reports it as DL1000
        result = fix_text(text, file, config, unsafe=args.unsafe_fixes)
        if args.diff:
            if result.changed:
                changed += 1
                sys.stdout.writelines(
                    difflib.unified_diff(
                        text.splitlines(keepends=True),
                        result.text.splitlines(keepends=True),
                        fromfile=file,
                        tofile=file,
                    )
                )
            continue
        fixed += len(result.applied)
        if file == "-":
            sys.stdout.write(result.text)
            return _report_stdin(result.text, config)
        if result.changed:
            with open(file, "w", encoding="utf-8", newline="") as out:
                out.write(result.text)
    if args.diff:
        sys.stdout.flush()
        print(
            f"dockwright: {changed} file{'s' if changed != 1 else ''} would be changed",
            file=sys.stderr,
        )
        return 1 if changed else 0
    print(f"dockwright: applied {fixed} fix{'es' if fixed != 1 else ''}", file=sys.stderr)
    return None


def _report_stdin(text: str, config: LintConfig) -> int:
    from dockwright.lint.engine import failed, lint_bytes
    from dockwright.lint.report import to_tty

    findings = lint_bytes(text.encode("utf-8"), "-", config)
    sys.stderr.write(to_tty(findings, color=False))
    return 1 if failed(findings, config) else 0
