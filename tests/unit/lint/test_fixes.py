"""Fixes: golden before/after files, convergence through the engine, parse safety."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockwright.cli.main import main
from dockwright.dockerfile import Comment, Instruction, parse
from dockwright.lint import LintConfig, codes, fixes, lint_dockerfile
from dockwright.lint.fix import Applicability, Edit, FixAvailability, apply_edits
from dockwright.lint.fixer import MAX_PASSES, fix_text
from dockwright.lint.rule import LintContext

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FIX_DIR = FIXTURES / "lint" / "fixes"
CODES = sorted(fixes.FIXES)
CORPUS = sorted(
    [
        *(FIXTURES / "lint").glob("*.Dockerfile"),
        *(FIXTURES / "dockerfiles").glob("*.Dockerfile"),
        *FIX_DIR.glob("*.before.Dockerfile"),
    ]
)


def _before(code: str) -> str:
    return (FIX_DIR / f"{code}.before.Dockerfile").read_text()


def _after(code: str) -> str:
    return (FIX_DIR / f"{code}.after.Dockerfile").read_text()


def _nofix_lines(text: str) -> list[int]:
    """Lines of the instructions marked ``# nofix``."""
    out: list[int] = []
    last: Instruction | None = None
    for node in parse(text).nodes:
        if isinstance(node, Instruction):
            last = node
        elif isinstance(node, Comment) and node.text.strip() == "nofix" and last is not None:
            out.append(last.start_line)
    return out


def test_every_fix_has_golden_files_and_declarations() -> None:
    for code in CODES:
        assert (FIX_DIR / f"{code}.before.Dockerfile").is_file(), code
        assert (FIX_DIR / f"{code}.after.Dockerfile").is_file(), code
        mod = fixes.load(code)
        assert mod.TITLE and isinstance(mod.APPLICABILITY, Applicability)
        assert mod.AVAILABILITY is not FixAvailability.NONE
    assert list(fixes.FIXES) == sorted(fixes.FIXES)


@pytest.mark.parametrize("code", CODES)
def test_golden(code: str) -> None:
    """The fix module applied wherever it offers a fix gives the golden file, byte for byte."""
    df = parse(_before(code))
    ctx = LintContext(df, LintConfig())
    mod = fixes.load(code)
    out = []
    for node in df.nodes:
        fix = mod.fix(node, ctx) if isinstance(node, Instruction) else None
        if fix is not None:
            assert fix.title and fix.edits
        out.append(fix.apply(node.source) if fix is not None else node.source)
    text = "".join(out)
    assert text == _after(code)
    parse(text)  # never a file that fails to parse
    assert [c.text for c in parse(text).comments] == [c.text for c in df.comments]


@pytest.mark.parametrize("code", CODES)
def test_converges_through_the_engine(code: str) -> None:
    """Linting the fixed file reports the rule only where the fixture says ``# nofix``."""
    if code not in codes.RULES:
        pytest.skip(f"rule {code} is not registered in codes.RULES yet")
    result = fix_text(_before(code), "Dockerfile", LintConfig(), unsafe=True, select={code})
    assert result.text == _after(code)
    remaining = [
        f.line for f in lint_dockerfile(parse(result.text), LintConfig(), [codes.load(code)])
    ]
    assert remaining == _nofix_lines(result.text)
    again = fix_text(result.text, "Dockerfile", LintConfig(), unsafe=True, select={code})
    assert not again.changed


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_all_fixes_parse_safe_and_reach_a_fixed_point(path: Path) -> None:
    text = path.read_text()
    result = fix_text(text, path.name, LintConfig(), unsafe=True)
    fixed = parse(result.text)  # raises if a fix broke the file
    if result.changed:
        assert [c.text for c in fixed.comments] == [c.text for c in parse(text).comments]
        assert len(result.applied) <= MAX_PASSES * len(fixed.instructions)
    assert not fix_text(result.text, path.name, LintConfig(), unsafe=True).changed


def test_safe_only_by_default() -> None:
    result = fix_text(_before("DL3015"), "Dockerfile", LintConfig())
    assert not result.changed
    result = fix_text(_before("DL3025"), "Dockerfile", LintConfig())
    assert {a.applicability for a in result.applied} == {Applicability.SAFE}
    assert "docker-entrypoint.sh\n" in result.text  # the ENTRYPOINT fix is unsafe


def test_pragmas_and_ignores_are_honoured() -> None:
    text = "FROM debian:12\n# hadolint ignore=DL3020\nADD a /a\nADD b /b\n"
    assert fix_text(text, "D", LintConfig()).text == (
        "FROM debian:12\n# hadolint ignore=DL3020\nADD a /a\nCOPY b /b\n"
    )
    assert not fix_text(text, "D", LintConfig(ignored=frozenset({"DL3020"}))).changed


def test_fixes_stack_on_one_instruction() -> None:
    text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl=7\n"
    result = fix_text(text, "D", LintConfig(), unsafe=True)
    assert result.text == (
        "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y "
        "curl=7 && rm -rf /var/lib/apt/lists/*\n"
    )
    assert sorted(a.code for a in result.applied) == ["DL3009", "DL3015"]


def test_crlf_and_bom_kept() -> None:
    text = "\ufeffFROM debian:12\r\nMAINTAINER me\r\nADD a /a\r\n"
    assert fix_text(text, "D", LintConfig()).text == (
        '\ufeffFROM debian:12\r\nLABEL maintainer="me"\r\nCOPY a /a\r\n'
    )


def test_unparsable_text_is_left_alone() -> None:
    text = "FROM a:1\nRUN <<EOF\necho\n"
    assert fix_text(text, "D", LintConfig()).text == text


def test_apply_edits_rejects_overlaps() -> None:
    assert apply_edits("abc", [Edit(1, 2, "X"), Edit(0, 0, ">")]) == ">aXc"
    with pytest.raises(ValueError, match="overlapping"):
        apply_edits("abc", [Edit(0, 2, "X"), Edit(1, 3, "Y")])


BAD = "FROM debian:12\nMAINTAINER me\nADD app/ /app/\nRUN apt-get install -y curl=7\n"


def test_cli_diff_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(BAD)
    assert main(["lint", "--diff"]) == 1
    captured = capsys.readouterr()
    assert captured.out == (
        "--- Dockerfile\n+++ Dockerfile\n@@ -1,4 +1,4 @@\n FROM debian:12\n"
        '-MAINTAINER me\n-ADD app/ /app/\n+LABEL maintainer="me"\n+COPY app/ /app/\n'
        " RUN apt-get install -y curl=7\n"
    )
    assert captured.err == "dockwright: 1 file would be changed\n"
    assert (tmp_path / "Dockerfile").read_text() == BAD
    assert main(["lint", "--diff", "--unsafe-fixes"]) == 1
    assert "+RUN apt-get install --no-install-recommends -y curl=7\n" in capsys.readouterr().out


def test_cli_fix_writes_and_reports_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(BAD)
    assert main(["lint", "--fix", "-f", "json", "Dockerfile"]) == 1
    captured = capsys.readouterr()
    assert [f["code"] for f in json.loads(captured.out)] == ["DL3015"]
    assert captured.err == "dockwright: applied 2 fixes\n"
    assert main(["lint", "--fix", "--unsafe-fixes", "-f", "json", "Dockerfile"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert (tmp_path / "Dockerfile").read_text() == (
        'FROM debian:12\nLABEL maintainer="me"\nCOPY app/ /app/\n'
        "RUN apt-get install --no-install-recommends -y curl=7\n"
    )
    assert main(["lint", "--diff", "Dockerfile"]) == 0


@pytest.mark.parametrize("code", CODES)
def test_fixed_files_parse_in_buildkit(code: str) -> None:
    """BuildKit's own parser reads every fixed file, instruction for instruction."""
    buildkit = pytest.importorskip("dockerfile")
    text = _after(code)
    theirs = [(c.cmd.upper(), c.start_line, c.json) for c in buildkit.parse_string(text)]
    ours = [(i.keyword, i.start_line, i.json) for i in parse(text).instructions]
    assert theirs == ours
