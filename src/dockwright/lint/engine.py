"""Run the rules over a Dockerfile, then apply pragmas, overrides and ignores as hadolint."""

from __future__ import annotations

import sys

from dockwright.dockerfile import Dockerfile, parse_bytes
from dockwright.errors import DockerfileParseError, UsageError
from dockwright.lint import codes, parallel
from dockwright.lint.config import LintConfig
from dockwright.lint.model import Finding, Severity
from dockwright.lint.pragmas import collect
from dockwright.lint.rule import LintContext, Rule
from dockwright.record import replace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from dockwright.lint.scripts import ScriptUse
    from dockwright.lint.shellcheck import ScComment

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
    """
    return lint_dockerfiles([df], config, rules, shellcheck=shellcheck)[0]


def lint_dockerfiles(
    dfs: Sequence[Dockerfile],
    config: LintConfig,
    rules: Sequence[Rule] | None = None,
    *,
    shellcheck: bool | None = None,
) -> list[list[Finding]]:
    """Findings per Dockerfile; ShellCheck runs once over the scripts of all of them."""
    run_sc = rules is None if shellcheck is None else shellcheck
    if run_sc and dfs:
        return _lint_overlapped(dfs, config, rules)
    if rules is None:
        rules = codes.rules_for(dfs, config)  # once, not per file
    return [_lint_one(df, config, rules, ()) for df in dfs]


def _lint_overlapped(
    dfs: Sequence[Dockerfile], config: LintConfig, rules: Sequence[Rule] | None
) -> list[list[Finding]]:
    """ShellCheck runs while this process imports and evaluates the rules: its processes
    use the other core meanwhile. When one ShellCheck process does it all (one script to
    check, as for a small file), it is started before the rules run and read after them;
    otherwise a thread runs ShellCheck (waiting on its processes without the GIL)."""
    from dockwright.lint import scripts, shellcheck

    sc_work: Callable[[], list[list[Finding]]] = lambda: shellcheck_findings(dfs)  # noqa: E731
    if len(dfs) < parallel.MIN_FILES:
        uses = [scripts.collect(df) for df in dfs]
        pending = shellcheck.start(u.script for file_uses in uses for u in file_uses)
        if pending.running:
            try:
                if rules is None:
                    rules = codes.rules_for(dfs, config)  # while ShellCheck runs
                own = [_lint_one(df, config, rules, ()) for df in dfs]
            finally:
                checked = pending.result()
            return _merge(dfs, config, own, _sc_findings(dfs, uses, checked))
        sc_work = lambda: _sc_findings(dfs, uses, pending.result())  # noqa: E731

    import threading

    box: list[list[list[Finding]] | BaseException] = []

    def work() -> None:
        try:
            box.append(sc_work())
        except BaseException as exc:  # re-raised in the caller's thread
            box.append(exc)

    thread = threading.Thread(target=work, name="shellcheck", daemon=True)
    if len(dfs) >= parallel.MIN_FILES:
        # many files: the rules run in forked workers, forked before the thread starts
        all_rules = codes.rules_for(dfs, config) if rules is None else rules
        own = parallel.map_items(
            lambda df: _lint_one(df, config, all_rules, ()), dfs, after_fork=thread.start
        )
    else:
        thread.start()
        if rules is None:
            rules = codes.rules_for(dfs, config)  # once, not per file; while ShellCheck runs
        own = [_lint_one(df, config, rules, ()) for df in dfs]
    thread.join()
    sc = box[0]
    if isinstance(sc, BaseException):
        raise sc
    return _merge(dfs, config, own, sc)


def _merge(
    dfs: Sequence[Dockerfile],
    config: LintConfig,
    own: Sequence[list[Finding]],
    sc: Sequence[list[Finding]],
) -> list[list[Finding]]:
    out = []
    for df, mine, extra in zip(dfs, own, sc, strict=True):
        merged = mine + _lint_one(df, config, (), extra)
        merged.sort(key=lambda f: f.line)  # stable: rule findings before SC on a line
        out.append(merged)
    return out


def shellcheck_findings(dfs: Sequence[Dockerfile]) -> list[list[Finding]]:
    """SC findings (default severities) per Dockerfile, each at its RUN's first line.

    hadolint 2.15.1 keeps one ShellCheck finding per RUN; we keep every distinct one.
    """
    from dockwright.lint import scripts, shellcheck

    uses = [scripts.collect(df) for df in dfs]
    results = shellcheck.check(u.script for file_uses in uses for u in file_uses)
    return _sc_findings(dfs, uses, results)


def _sc_findings(
    dfs: Sequence[Dockerfile],
    uses: Sequence[Sequence[ScriptUse]],
    results: Mapping[str, Sequence[ScComment]],
) -> list[list[Finding]]:
    out: list[list[Finding]] = []
    for df, file_uses in zip(dfs, uses, strict=True):
        found: dict[Finding, None] = {}
        for use in file_uses:
            for c in results[use.script]:
                sev = Severity(c.level) if c.level in _SC_LEVELS else Severity.ERROR
                found[Finding(f"SC{c.code}", sev, c.message, df.path, use.line)] = None
        out.append(list(found))
    return out


_SC_LEVELS = ("warning", "info", "style")


def _lint_one(
    df: Dockerfile, config: LintConfig, rules: Sequence[Rule] | None, extra: Sequence[Finding]
) -> list[Finding]:
    ctx = LintContext(df, config)
    pragmas = None if config.disable_ignore_pragma else collect(df)
    findings: list[Finding] = []
    for rule in rules if rules is not None else codes.rules_for([df], config):
        if rule.code in config.ignored:
            continue
        severity = config.severity_for(rule.code, rule.severity)
        if severity is Severity.IGNORE:
            continue
        for line, message in sorted(set(rule.violations(ctx))):
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
    return findings


def parse_error_finding(exc: DockerfileParseError) -> Finding:
    return Finding(PARSE_ERROR, Severity.ERROR, exc.message, exc.file, exc.line, exc.column)


def lint_bytes(data: bytes, path: str, config: LintConfig) -> list[Finding]:
    """Lint Dockerfile content; a parse failure is one DL1000 finding (no other rule runs)."""
    try:
        df = parse_bytes(data, path=path)
    except DockerfileParseError as exc:
        return [parse_error_finding(exc)]
    return lint_dockerfile(df, config)


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
    """Lint a file (``-`` reads standard input). A missing file is a UsageError."""
    return lint_bytes(read_dockerfile(path), path, config)


def lint_paths(paths: Sequence[str], config: LintConfig) -> list[Finding]:
    """Lint several files in one pass (ShellCheck once for all), findings in file order."""
    return [f for findings in lint_files(paths, config) for f in findings]


def lint_files(paths: Sequence[str], config: LintConfig) -> list[list[Finding]]:
    """Findings per file, for several files linted in one pass (ShellCheck once for all)."""
    parsed: list[Dockerfile | Finding] = []
    for path in paths:
        try:
            parsed.append(parse_bytes(read_dockerfile(path), path=path))
        except DockerfileParseError as exc:
            parsed.append(parse_error_finding(exc))
    linted = iter(lint_dockerfiles([p for p in parsed if isinstance(p, Dockerfile)], config))
    return [[p] if isinstance(p, Finding) else next(linted) for p in parsed]


def failed(findings: Sequence[Finding], config: LintConfig) -> bool:
    """hadolint's exit status: a parse error or a finding at/above the threshold fails."""
    if config.no_fail:
        return False
    return any(f.code == PARSE_ERROR or config.fails(f.severity) for f in findings)
