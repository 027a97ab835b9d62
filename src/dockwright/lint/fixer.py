"""Apply fixes until the file is stable: lint, fix what is fixable, lint again.

Each pass applies at most one fix per instruction (so edits never overlap), then
re-parses; a fixed text that would not parse is never produced (that fix is dropped). At
most ``MAX_PASSES`` passes, as ruff does.
"""

from __future__ import annotations

from dataclasses import dataclass

from dockwright.dockerfile import Dockerfile, Instruction, parse
from dockwright.errors import DockerfileParseError
from dockwright.lint import codes, fixes
from dockwright.lint.config import LintConfig
from dockwright.lint.engine import lint_dockerfile
from dockwright.lint.fix import Applicability, Fix
from dockwright.lint.rule import LintContext, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Collection

MAX_PASSES = 10


@dataclass(frozen=True)
class AppliedFix:
    code: str
    line: int  # in the text the fix was applied to
    title: str
    applicability: Applicability


@dataclass(frozen=True)
class FixResult:
    text: str
    applied: tuple[AppliedFix, ...]

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def fixable_rules(select: Collection[str] | None = None) -> list[Rule]:
    """The registered rules that have a fix module (only ``select`` ones, if given)."""
    return [
        codes.load(code)
        for code in fixes.FIXES
        if code in codes.RULES and (select is None or code in select)
    ]


def candidate_fixes(
    df: Dockerfile, config: LintConfig, rules: list[Rule], minimum: Applicability
) -> list[tuple[str, Instruction, Fix]]:
    """(code, instruction, fix) for each finding whose fix is at least ``minimum``."""
    by_line = {ins.start_line: ins for ins in df.instructions}
    ctx = LintContext(df, config)
    out = []
    for finding in lint_dockerfile(df, config, rules):
        ins = by_line.get(finding.line)
        if ins is None or finding.code not in fixes.FIXES:
            continue
        fix = fixes.load(finding.code).fix(ins, ctx)
        if fix is not None and fix.edits and fix.applicability.rank >= minimum.rank:
            out.append((finding.code, ins, fix))
    return out


def fix_text(
    text: str,
    path: str,
    config: LintConfig,
    *,
    unsafe: bool = False,
    select: Collection[str] | None = None,
) -> FixResult:
    """Apply safe fixes (and unsafe ones with ``unsafe``) to Dockerfile text; ``select``
    limits them to some codes. A text that does not parse is returned unchanged.
    """
    minimum = Applicability.UNSAFE if unsafe else Applicability.SAFE
    rules = fixable_rules(select)
    applied: list[AppliedFix] = []
    for _ in range(MAX_PASSES):
        try:
            df = parse(text, path)
        except DockerfileParseError:
            break
        chosen: dict[int, tuple[str, Instruction, Fix]] = {}
        for code, ins, fix in candidate_fixes(df, config, rules, minimum):
            chosen.setdefault(ins.start_line, (code, ins, fix))
        if not chosen:
            break
        new_text, done = _apply(df, list(chosen.values()))
        if not done:
            break
        text = new_text
        applied.extend(done)
    return FixResult(text, tuple(applied))


def _apply(
    df: Dockerfile, chosen: list[tuple[str, Instruction, Fix]]
) -> tuple[str, list[AppliedFix]]:
    """Apply the fixes together; if the result does not parse, keep only those that do."""
    result = _render(df, chosen)
    if _parses(result, df.path):
        return result, [_record(c) for c in chosen]
    kept: list[tuple[str, Instruction, Fix]] = []
    for c in chosen:
        if _parses(_render(df, [*kept, c]), df.path):
            kept.append(c)
    return _render(df, kept), [_record(c) for c in kept]


def _render(df: Dockerfile, chosen: list[tuple[str, Instruction, Fix]]) -> str:
    new_source = {id(ins): fix.apply(ins.source) for _, ins, fix in chosen}
    body = "".join(new_source.get(id(n), n.source) for n in df.nodes)
    return ("\ufeff" if df.bom else "") + body


def _parses(text: str, path: str) -> bool:
    try:
        parse(text, path)
    except DockerfileParseError:
        return False
    return True


def _record(c: tuple[str, Instruction, Fix]) -> AppliedFix:
    code, ins, fix = c
    return AppliedFix(code, ins.start_line, fix.title, fix.applicability)
