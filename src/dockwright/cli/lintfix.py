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


def wanted(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "fix", False) or getattr(args, "diff", False))


def run(
    args: argparse.Namespace, files: Sequence[str], config: LintConfig
) -> tuple[int | None, bool]:
    """Apply or show fixes. Returns the exit code when the command is done (``--diff``,
    or ``--fix`` on standard input), None when linting should go on as usual; and whether
    some file could not be fixed (it is reported on standard error and left as it was)."""
    import difflib

    from dockwright.lint.engine import read_dockerfile
    from dockwright.lint.fixer import fix_text

    changed = 0
    fixed = 0
    broken = False
    for file in files:
        data = read_dockerfile(file)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # linting reports it as DL1000
        try:
            result = fix_text(text, file, config, unsafe=args.unsafe_fixes)
        except Exception as exc:  # one file's trouble must not stop the others
            _report_failure(file, exc)
            if file == "-":
                return 3, True  # standard input is read: nothing is left to lint
            broken = True
            continue
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
            return _report_stdin(result.text, config), broken
        if result.changed:
            with open(file, "w", encoding="utf-8", newline="") as out:
                out.write(result.text)
    if args.diff:
        sys.stdout.flush()
        print(
            f"dockwright: {changed} file{'s' if changed != 1 else ''} would be changed",
            file=sys.stderr,
        )
        return (3 if broken else 1 if changed else 0), broken
    print(f"dockwright: applied {fixed} fix{'es' if fixed != 1 else ''}", file=sys.stderr)
    return None, broken


def _report_failure(file: str, exc: Exception) -> None:
    from dockwright.errors import LintIncomplete

    if isinstance(exc, LintIncomplete):
        for line in exc.problems:
            print(f"dockwright: error: {line}; not fixed", file=sys.stderr)
        return
    import traceback

    print(
        f"dockwright: error: {file}: fixing failed: {type(exc).__name__}: {exc}; not fixed\n"
        "dockwright: this is a bug; please report it with this trace:",
        file=sys.stderr,
    )
    traceback.print_exception(exc, file=sys.stderr)


def _report_stdin(text: str, config: LintConfig) -> int:
    from dockwright.lint.engine import failed, lint_bytes
    from dockwright.lint.report import to_tty

    findings = lint_bytes(text.encode("utf-8"), "-", config)
    sys.stderr.write(to_tty(findings, color=False))
    return 1 if failed(findings, config) else 0
