"""ShellCheck over the RUNs of several Dockerfiles: their scripts, one ShellCheck run for all,
and what it found per file, each finding at its RUN's first line.

hadolint 2.15.1 keeps one ShellCheck finding per RUN; we keep every distinct one. A script
ShellCheck could not check is a Problem of each file it comes from, and an exception here is
a Problem of the files it touched: the rules' findings stand either way.
"""

from __future__ import annotations

from dockwright.errors import DockwrightError, UsageError
from dockwright.lint import scripts, shellcheck
from dockwright.lint.model import Finding, Problem, Severity, internal_error
from dockwright.lint.scresult import ScFailure

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at run time
if TYPE_CHECKING:
    from collections.abc import Sequence

    from dockwright.dockerfile import Dockerfile
    from dockwright.lint.scripts import ScriptUse
    from dockwright.lint.shellcheck import Pending, Results

    # per file: its ShellCheck findings (default severities) and problems
    ScFileResults = list[tuple[list[Finding], list[Problem]]]

_SC_LEVELS = ("warning", "info", "style")


class ScRun:
    """``start()`` then ``results()``; or ``run()`` for both (in a thread)."""

    def __init__(self, dfs: Sequence[Dockerfile]) -> None:
        self.dfs = dfs
        self.uses: list[list[ScriptUse]] = []
        self.problems: list[list[Problem]] = []
        self.pending: Pending | None = None
        self.failure: Exception | None = None

    def start(self) -> bool:
        """Collect the scripts and start checking them (a UsageError, such as no ShellCheck
        binary, is raised). True when every process needed is already started, so that
        ``results()`` only waits; False when ``results()`` does the work."""
        for df in self.dfs:
            try:
                self.uses.append(scripts.collect(df))
                self.problems.append([])
            except Exception as exc:
                self.uses.append([])
                self.problems.append([internal_error(df.path, "preparing ShellCheck", exc)])
        try:
            self.pending = shellcheck.start(u.script for file_uses in self.uses for u in file_uses)
        except UsageError:
            raise
        except Exception as exc:  # ShellCheck cannot be run, or a bug
            self.failure = exc
            return True
        return self.pending.running

    def run(self) -> ScFileResults:
        if self.pending is None and self.failure is None:
            self.start()
        return self.results()

    def results(self) -> ScFileResults:
        results: Results = {}
        if self.failure is None and self.pending is not None:
            try:
                results = self.pending.result()
            except UsageError:
                raise
            except Exception as exc:
                self.failure = exc
        out: ScFileResults = []
        for df, uses, problems in zip(self.dfs, self.uses, self.problems, strict=True):
            if self.failure is not None and uses:
                out.append(([], [*problems, _failure(df.path, self.failure)]))
                continue
            out.append(_file_results(df.path, uses, results, problems))
        return out


def _failure(path: str, exc: Exception) -> Problem:
    """ShellCheck could not be run at all (a command that fails to start: no bug of ours),
    or a bug."""
    if isinstance(exc, DockwrightError):
        return Problem(path, f"ShellCheck could not check the file's RUNs: {exc}")
    return internal_error(path, "running ShellCheck", exc)


def _file_results(
    path: str, uses: Sequence[ScriptUse], results: Results, problems: list[Problem]
) -> tuple[list[Finding], list[Problem]]:
    found: dict[Finding, None] = {}
    for use in uses:
        outcome = results[use.script]
        if isinstance(outcome, ScFailure):
            problems = [
                *problems,
                Problem(path, f"ShellCheck on the RUN at line {use.line}: {outcome.message}"),
            ]
            continue
        for c in outcome:
            sev = Severity(c.level) if c.level in _SC_LEVELS else Severity.ERROR
            found[Finding(f"SC{c.code}", sev, c.message, path, use.line)] = None
    return list(found), problems
