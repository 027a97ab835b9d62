"""Reporters with hadolint's exact output shapes: ``json`` and ``tty``."""

from __future__ import annotations

import json
from collections.abc import Sequence

from dockwright.lint.model import Finding, Severity

_COLORS = {
    Severity.ERROR: "\x1b[1m\x1b[91m",
    Severity.WARNING: "\x1b[1m\x1b[93m",
    Severity.INFO: "\x1b[92m",
    Severity.STYLE: "\x1b[96m",
}
FORMATS = ("tty", "json")


def to_json(findings: Sequence[Finding]) -> str:
    """One array for all files, keys in alphabetical order, no trailing newline."""
    return json.dumps(
        [
            {
                "code": f.code,
                "column": f.column,
                "file": f.file,
                "level": f.severity.value,
                "line": f.line,
                "message": f.message,
            }
            for f in findings
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )


def to_tty(findings: Sequence[Finding], *, color: bool) -> str:
    """``FILE:LINE CODE LEVEL: MESSAGE`` lines; a parse error is ``FILE:LINE:COL message``."""
    out = []
    for f in findings:
        if f.code == "DL1000":
            out.append(f"{f.file}:{f.line}:{f.column} {f.message.replace(chr(10), ' ')}\n")
            continue
        level = f.severity.value
        if color:
            level = f"{_COLORS[f.severity]}{level}\x1b[0m"
        out.append(f"{f.file}:{f.line} {f.code} {level}: {f.message}\n")
    return "".join(out)
