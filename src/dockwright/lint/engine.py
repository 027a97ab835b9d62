"""Run the rules over Dockerfiles, then apply pragmas, overrides and ignores as hadolint.

One file's trouble stays that file's: a parse error is its DL1000 finding, and an exception
in a rule (or anywhere else in linting that file) or ShellCheck failing on one of its
scripts is a :class:`Problem` of that file; every other file's results stand.
"""

from __future__ import annotations

import sys

from dockwright.dockerfile import Dockerfile, parse_bytes
from dockwright.errors import DockerfileParseError, LintIncomplete, UsageError
from dockwright.lint import parallel, triggers
from dockwright.lint.config import LintConfig
from dockwright.lint.model import FileResult, Finding, Problem, Severity, internal_error
from dockwright.lint.pragmas import collect
from dockwright.lint.rule import LintContext, Rule
from dockwright.record import replace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Sequence

    from dockwright.lint.sclint import ScFileResults

PARSE_ERROR = "DL1000"


def lint_dockerfile(
    df: Dockerfile,
    config: LintConfig,
    rules: Sequence[Rule] | None = None,
    *,
    shellcheck: bool | None = None,
) -> list[Finding]:
    """Findings for a parsed Dockerfile, sorted by line (stable within a line).

    ShellCheck runs with all rules (``rules`` None) unless ``shellcheck`` says otherwise.
    Raises LintIncomplete when a rule or ShellCheck could not check the file.
    """
    return complete(lint_dockerfiles([df], config, rules, shellcheck=shellcheck)[0])


def complete(result: FileResult) -> list[Finding]:
    """The findings of a file linted completely; LintIncomplete if it was not."""
    if result.problems:
        raise LintIncomplete([f"{p.file}: {p.message}" for p in result.problems])
    return list(result.findings)


def lint_dockerfiles(
    dfs: Sequence[Dockerfile],
    config: LintConfig,
    rules: Sequence[Rule] | None = None,
    *,
    shellcheck: bool | None = None,
) -> list[FileResult]:
    """Results per Dockerfile; ShellCheck runs once over the scripts of all of them."""
    run_sc = rules is None if shellcheck is None else shellcheck
    if run_sc and dfs:
        return _lint_overlapped(dfs, config, rules)
    if rules is None:
        rules = triggers.rules_for(dfs, config)  # once, not per file
    return [_lint_one(df, config, rules) for df in dfs]


def _lint_overlapped(
    dfs: Sequence[Dockerfile], config: LintConfig, rules: Sequence[Rule] | None
) -> list[FileResult]:
    """ShellCheck runs while this process imports and evaluates the rules: its processes
    use the other core meanwhile. When the ShellCheck processes can all be started at once
    (few scripts to check, as for a small file), they are started before the rules run and
    read after them; otherwise a thread runs ShellCheck (waiting on its processes without
    the GIL)."""
    from dockwright.lint import sclint

    sc = sclint.ScRun(dfs)
    if len(dfs) < parallel.MIN_FILES and sc.start():
        try:
            if rules is None:
                rules = triggers.rules_for(dfs, config)  # while ShellCheck runs
            own = [_lint_one(df, config, rules) for df in dfs]
        finally:
            checked = sc.results()
        return _merge(dfs, config, own, checked)

    import threading

    box: list[ScFileResults | BaseException] = []

    def work() -> None:
        try:
            box.append(sc.run())
        except BaseException as exc:  # re-raised in the caller's thread
            box.append(exc)

    thread = threading.Thread(target=work, name="shellcheck", daemon=True)
    if len(dfs) >= parallel.MIN_FILES:
        # many files: the rules run in forked workers, forked before the thread starts
        all_rules = triggers.rules_for(dfs, config) if rules is None else rules
        own = parallel.map_items(
            lambda df: _lint_one(df, config, all_rules),
            dfs,
            fallback=lambda df, exc: FileResult(
                df.path, (), (internal_error(df.path, "linting", exc),)
            ),
            after_fork=thread.start,
        )
    else:
        thread.start()
        if rules is None:
            rules = triggers.rules_for(dfs, config)  # once, not per file; while ShellCheck runs
        own = [_lint_one(df, config, rules) for df in dfs]
    thread.join()
    got = box[0]
    if isinstance(got, BaseException):
        raise got
    return _merge(dfs, config, own, got)


def _merge(
    dfs: Sequence[Dockerfile],
    config: LintConfig,
    own: Sequence[FileResult],
    sc: ScFileResults,
) -> list[FileResult]:
    out = []
    for df, mine, (extra, sc_problems) in zip(dfs, own, sc, strict=True):
        theirs = _lint_one(df, config, (), extra)
        merged = list(mine.findings + theirs.findings)
        merged.sort(key=lambda f: f.line)  # stable: rule findings before SC on a line
        seen = {p.message for p in mine.problems}  # pragmas that failed fail twice
        again = tuple(p for p in theirs.problems if p.message not in seen)
        problems = mine.problems + again + tuple(sc_problems)
        out.append(FileResult(df.path, tuple(merged), problems))
    return out


def _lint_one(
    df: Dockerfile, config: LintConfig, rules: Sequence[Rule], extra: Sequence[Finding] = ()
) -> FileResult:
    """Run ``rules`` over ``df`` and filter their findings, then ``extra`` ones (from
    ShellCheck), by config and pragmas. A rule that raises is a Problem of the file."""
    problems: list[Problem] = []
    try:
        ctx = LintContext(df, config)
        pragmas = None if config.disable_ignore_pragma else collect(df)
    except Exception as exc:
        return FileResult(df.path, (), (internal_error(df.path, "reading pragmas", exc),))
    findings: list[Finding] = []
    for rule in rules:
        if rule.code in config.ignored:
            continue
        severity = config.severity_for(rule.code, rule.severity)
        if severity is Severity.IGNORE:
            continue
        try:
            violations = sorted(set(rule.violations(ctx)))
        except Exception as exc:
            problems.append(internal_error(df.path, f"rule {rule.code}", exc))
            continue
        for line, message in violations:
            if pragmas is not None and pragmas.ignores(rule.code, line):
                continue
            findings.append(Finding(rule.code, severity, message, df.path, line))
    for f in extra:
        if f.code in config.ignored:
            continue
        severity = config.severity_for(f.code, f.severity)
        if severity is Severity.IGNORE:
            continue
        if pragmas is not None and pragmas.ignores(f.code, f.line):
            continue
        findings.append(replace(f, severity=severity))
    findings.sort(key=lambda f: f.line)
    return FileResult(df.path, tuple(findings), tuple(problems))


def parse_error_finding(exc: DockerfileParseError) -> Finding:
    return Finding(PARSE_ERROR, Severity.ERROR, exc.message, exc.file, exc.line, exc.column)


def lint_bytes(data: bytes, path: str, config: LintConfig) -> list[Finding]:
    """Lint Dockerfile content; a parse failure is one DL1000 finding (no other rule runs).
    Raises LintIncomplete when a rule or ShellCheck could not check the file."""
    return complete(_lint_parsed([_parsed(data, path)], config)[0])


def read_dockerfile(path: str) -> bytes:
    """A file's bytes (``-`` reads standard input). A missing file is a UsageError."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, expected a Dockerfile") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None


def lint_path(path: str, config: LintConfig) -> list[Finding]:
    """Lint a file (``-`` reads standard input). A missing file is a UsageError; raises
    LintIncomplete when a rule or ShellCheck could not check the file."""
    return lint_bytes(read_dockerfile(path), path, config)


def lint_files(paths: Sequence[str], config: LintConfig) -> list[FileResult]:
    """Results per file, for several files linted in one pass (ShellCheck once for all).
    Every file is read first: a missing one is a UsageError before anything is linted."""
    data = [read_dockerfile(path) for path in paths]
    return _lint_parsed([_parsed(d, p) for d, p in zip(data, paths, strict=True)], config)


def _parsed(data: bytes, path: str) -> Dockerfile | FileResult:
    """The parsed file, or its result already: DL1000, or the parser's own failure."""
    try:
        return parse_bytes(data, path=path)
    except DockerfileParseError as exc:
        return FileResult(path, (parse_error_finding(exc),))
    except Exception as exc:
        return FileResult(path, (), (internal_error(path, "parsing", exc),))


def _lint_parsed(parsed: Sequence[Dockerfile | FileResult], config: LintConfig) -> list[FileResult]:
    linted = iter(lint_dockerfiles([p for p in parsed if isinstance(p, Dockerfile)], config))
    return [next(linted) if isinstance(p, Dockerfile) else p for p in parsed]


def failed(findings: Sequence[Finding], config: LintConfig) -> bool:
    """hadolint's exit status: a parse error or a finding at/above the threshold fails."""
    if config.no_fail:
        return False
    return any(f.code == PARSE_ERROR or config.fails(f.severity) for f in findings)
