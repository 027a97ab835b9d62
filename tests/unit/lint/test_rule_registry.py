"""Invariants over every registered rule, and `dockwright rule CODE`."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from dockwright.cli.main import main
from dockwright.lint import codes, fixes
from dockwright.lint.model import Severity
from dockwright.lint.rule import Rule

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lint"
SECTIONS = ("What:", "Why:", "Bad::", "Good::")


RULES_DIR = Path(codes.__file__).parent / "rules"


def test_table_is_sorted_and_has_one_entry_per_rule_module() -> None:
    listed = [entry.code for entry in codes.ENTRIES]
    assert listed == sorted(set(listed)) == list(codes.RULES)
    # one module per rule, named for its code, and nothing else (shared helpers live in lint/)
    modules = {p.name for p in RULES_DIR.glob("*.py")}
    assert modules == {"__init__.py"} | {f"{code.lower()}.py" for code in codes.RULES}
    assert set(fixes.FIXES) <= set(codes.RULES)
    assert not set(codes.RETIRED) & set(codes.RULES), "a retired code is never reused"


@pytest.mark.parametrize("code", sorted(codes.RULES))
def test_registered_rule(code: str) -> None:
    entry = codes.RULES[code]
    mod = importlib.import_module(f"dockwright.lint.rules.{code.lower()}")
    cls = getattr(mod, entry.cls)
    assert issubclass(cls, Rule)
    rule = cls()
    assert rule.code == code
    # the entry and the class agree: off by default is hadolint's severity `ignore`
    assert entry.off == (rule.severity is Severity.IGNORE)
    assert isinstance(rule.severity, Severity)  # DL1001 is off (ignore) by default
    assert rule.message
    doc = inspect.cleandoc(cls.__doc__ or "")
    heads = [line.split()[0] for line in doc.splitlines() if line.strip()]
    missing = [s for s in SECTIONS if s not in heads]
    assert not missing, f"{code}: docstring lacks {missing}"
    assert (FIXTURES / f"{code}.Dockerfile").is_file(), f"{code}: no fixture"


@pytest.mark.parametrize("code", sorted(codes.RULES))
def test_rule_command_shows_everything(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", code.lower()]) == 0
    out = capsys.readouterr().out
    rule = codes.load(code)
    assert out.startswith(f"# {code} ({rule.severity.value})\n")
    assert f"Severity: {rule.severity.value}\n" in out
    assert f"Message: {rule.message}\n" in out
    fix_line = next(line for line in out.splitlines() if line.startswith("Fix: "))
    if code in fixes.FIXES:
        assert fixes.load(code).TITLE in fix_line
    else:
        assert fix_line == "Fix: none"
    assert "Bad::" in out and "Good::" in out


def test_rule_command_unknown_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "DL9999"]) == 2
    assert "unknown rule 'DL9999'" in capsys.readouterr().err
