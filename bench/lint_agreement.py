"""Lint agreement: dockwright's findings against hadolint 2.15.1's on the same real Dockerfiles.

Runs both linters with JSON output over every file of the corpus (default: the Dockerfiles
``bench/corpus.py`` gathered), many files per call, and counts per rule the findings both
report (true positives), only we report (false positives) and only hadolint reports (false
negatives). A finding is (file, line, code). The score is the F1 over DL findings;
ShellCheck (SC) findings are shown apart, for information: hadolint 2.15.1 keeps one
ShellCheck finding per RUN and we keep all (docs/lint.md), so what counts there is how many
of hadolint's are among ours.

Files hadolint cannot parse (its DL1000) or dies on are counted and left out; a file we die
on counts with no finding of ours (and makes the run fail). Both linters
run in an empty directory with an empty home, the same empty config and no HADOLINT_*
variables, so no configuration file of this machine plays a part. hadolint's results are
cached on disk by file content (``--cache``), so a rerun only runs ours.

    python bench/lint_agreement.py [--corpus DIR] [--every K] [--disagreements FILE]

Differences we keep on purpose (docs/lint.md, "Deliberate differences") are listed in
``DELIBERATE``; the findings they explain are left out of the score and counted apart.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STATE = Path(os.environ.get("DOCKWRIGHT_STATE", "/var/lib/dockwright-dev"))
DEFAULT_CORPUS = Path(os.environ.get("DOCKWRIGHT_CORPUS", STATE / "corpus")) / "dockerfiles"
VENV_BIN = Path(sys.executable).parent
HADOLINT = str(VENV_BIN / "hadolint")
_XDG_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
DEFAULT_CACHE = _XDG_CACHE / "dockwright" / "hadolint-agreement"
PARSE_ERROR = "DL1000"

Finding = tuple[int, str]  # (line, code)


@dataclass(frozen=True)
class Outcome:
    """What one linter said about one file: its findings, or why it said nothing useful
    (``failure``: "parse" for its DL1000, or the error text when it died on the file)."""

    findings: tuple[Finding, ...] = ()
    failure: str | None = None


@dataclass(frozen=True)
class Case:
    """One finding only one side reports: ``side`` is "fp" (only ours) or "fn" (only
    hadolint's), in the file at ``path`` whose text is ``text``; ``ours`` is what we said
    about the whole file."""

    path: Path
    text: str
    line: int
    code: str
    side: str
    ours: Outcome


@dataclass(frozen=True)
class Deliberate:
    """A difference from hadolint we keep on purpose, documented in docs/lint.md under
    "Deliberate differences"; ``matches`` says whether a disagreement is one of it."""

    name: str
    matches: Callable[[Case], bool]


@functools.cache
def _buildkit(text: str) -> tuple[Any, ...] | None:
    """BuildKit's parse of a Dockerfile (the ``dockerfile`` package), None if it refuses."""
    import dockerfile

    try:
        return tuple(dockerfile.parse_string(text))
    except dockerfile.GoParseError:
        return None


def _docker_build_rejects(case: Case) -> bool:
    """We report only DL1000 for a file ``docker build`` refuses before any step runs:
    BuildKit's parser refuses it (``ENV A=1 \\`` then a blank line, ``CMD ["a", ["b"]]``),
    or it has a shell-form SHELL; hadolint 2.15.1 lints it."""
    if case.side != "fn" or case.ours.failure != "parse":
        return False
    commands = _buildkit(case.text)
    return commands is None or any(c.cmd == "SHELL" and not c.json for c in commands)


def _exec_form_misread(case: Case) -> bool:
    """hadolint 2.15.1 reads some JSON arrays as shell form (an escaped backslash before an
    escaped quote: ``CMD ["/usr\\\\\\"/bin/x"]``) and reports DL3025; BuildKit and we
    read exec form."""
    if case.side != "fn" or case.code != "DL3025":
        return False
    commands = _buildkit(case.text) or ()
    return any(c.start_line == case.line and c.json for c in commands)


# The differences we keep on purpose, each documented in docs/lint.md.
DELIBERATE: tuple[Deliberate, ...] = (
    Deliberate("a file docker build refuses is a parse error", _docker_build_rejects),
    Deliberate("exec form as BuildKit reads it", _exec_form_misread),
)


# --- running the linters ---------------------------------------------------------------


def _isolated_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"))
    env["XDG_CACHE_HOME"] = str(_XDG_CACHE)  # keeps our ShellCheck cache
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p
    )
    return env


def _run_json(
    argv: Sequence[str], paths: Sequence[Path], workdir: Path
) -> dict[Path, Outcome] | str:
    """Findings per file of one linter call, or the error text when the call failed."""
    config = workdir / "empty.yaml"
    done = subprocess.run(
        [*argv, "--no-fail", "-f", "json", "-c", str(config), *map(str, paths)],
        capture_output=True,
        cwd=workdir,
        env=_isolated_env(workdir / "home"),
        check=False,
    )
    try:
        items = json.loads(done.stdout or b"[]")
    except ValueError:
        items = None
    if done.returncode != 0 or not isinstance(items, list):
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        return f"exit {done.returncode}: {lines[-1] if lines else 'no output'}"
    found: dict[str, list[Finding]] = {str(p): [] for p in paths}
    for item in items:
        found[item["file"]].append((int(item["line"]), str(item["code"])))
    out = {}
    for p in paths:
        codes = found[str(p)]
        failure = "parse" if any(c == PARSE_ERROR for _, c in codes) else None
        out[p] = Outcome(tuple(sorted(codes)), failure)
    return out


def _run_split(argv: Sequence[str], paths: Sequence[Path], workdir: Path) -> dict[Path, Outcome]:
    """``_run_json``; when a call fails, its files are tried in halves, down to one file
    (whose failure is then recorded), so one bad file does not lose a batch."""
    result = _run_json(argv, paths, workdir)
    if not isinstance(result, str):
        return result
    if len(paths) == 1:
        return {paths[0]: Outcome(failure=result)}
    half = len(paths) // 2
    return {**_run_split(argv, paths[:half], workdir), **_run_split(argv, paths[half:], workdir)}


def _batches(paths: Sequence[Path], size: int) -> list[Sequence[Path]]:
    return [paths[i : i + size] for i in range(0, len(paths), size)]


def _workdir() -> tempfile.TemporaryDirectory[str]:
    tmp = tempfile.TemporaryDirectory(prefix="lint-agreement-")
    (Path(tmp.name) / "home" / "config").mkdir(parents=True)
    (Path(tmp.name) / "empty.yaml").write_text("ignored: []\n", encoding="utf-8")
    return tmp


def hadolint_version() -> str:
    done = subprocess.run([HADOLINT, "--version"], capture_output=True, check=True)
    return done.stdout.decode().strip().rsplit(" ", 1)[-1]


def run_hadolint(
    paths: Sequence[Path], cache: Path | None, *, jobs: int = 2, batch: int = 100
) -> dict[Path, Outcome]:
    """hadolint's outcome per file; files seen before (same content) come from ``cache``."""
    store = cache / hadolint_version() if cache is not None else None
    out: dict[Path, Outcome] = {}
    keys = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    todo = []
    for p in paths:
        entry = store / keys[p][:2] / f"{keys[p]}.json" if store is not None else None
        if entry is not None and entry.is_file():
            data = json.loads(entry.read_text(encoding="utf-8"))
            out[p] = Outcome(
                tuple((int(ln), str(c)) for ln, c in data["findings"]), data["failure"]
            )
        else:
            todo.append(p)
    with _workdir() as tmp, ThreadPoolExecutor(max(1, jobs)) as pool:
        runs = [pool.submit(_run_split, [HADOLINT], b, Path(tmp)) for b in _batches(todo, batch)]
        for future in runs:
            for p, outcome in future.result().items():
                out[p] = outcome
                if store is not None:
                    _store(store, keys[p], outcome)
    return out


def _store(store: Path, key: str, outcome: Outcome) -> None:
    entry = store / key[:2] / f"{key}.json"
    entry.parent.mkdir(parents=True, exist_ok=True)
    data = {"findings": [list(f) for f in outcome.findings], "failure": outcome.failure}
    tmp = entry.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    tmp.replace(entry)


def run_ours(paths: Sequence[Path], *, batch: int = 1000) -> dict[Path, Outcome]:
    """Our outcome per file: ``dockwright lint -f json`` of this checkout, many files per
    call (it spreads the rules and ShellCheck over every core itself)."""
    out: dict[Path, Outcome] = {}
    with _workdir() as tmp:
        for b in _batches(paths, batch):
            out.update(_run_split([sys.executable, "-m", "dockwright", "lint"], b, Path(tmp)))
    return out


def run_ours_in_process(paths: Sequence[Path]) -> dict[Path, Outcome]:
    """Our outcome per file without ShellCheck, in this process: the DL findings only (no
    rule depends on ShellCheck), quicker; an exception is the file's failure."""
    sys.path.insert(0, str(ROOT / "src"))  # this checkout's dockwright, as run_ours
    from dockwright.dockerfile import parse_bytes
    from dockwright.errors import DockerfileParseError
    from dockwright.lint import LintConfig, lint_dockerfile

    config = LintConfig()
    out: dict[Path, Outcome] = {}
    for path in paths:
        try:
            df = parse_bytes(path.read_bytes(), path=str(path))
            found = lint_dockerfile(df, config, shellcheck=False)
        except DockerfileParseError as exc:
            out[path] = Outcome(((exc.line, PARSE_ERROR),), "parse")
        except Exception as exc:  # a defect: reported, and the run fails
            out[path] = Outcome(failure=f"{type(exc).__name__}: {exc}")
        else:
            out[path] = Outcome(tuple(sorted((f.line, f.code) for f in found)))
    return out


# --- comparing ---------------------------------------------------------------------------


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 1.0


@dataclass
class Disagreement:
    path: Path
    line: int
    code: str
    side: str  # "fp": only ours; "fn": only hadolint's
    deliberate: str | None = None


@dataclass
class Agreement:
    files: int = 0
    compared: int = 0
    hadolint_parse_errors: int = 0
    hadolint_crashes: list[tuple[Path, str]] = field(default_factory=list)
    ours_parse_errors: list[Path] = field(default_factory=list)  # hadolint parsed them
    ours_crashes: list[tuple[Path, str]] = field(default_factory=list)
    rules: dict[str, Counts] = field(default_factory=dict)
    sc_hadolint: int = 0
    sc_found: int = 0
    sc_ours: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)
    deliberate: Counter[str] = field(default_factory=Counter)
    shellcheck: bool = True  # ours ran with ShellCheck

    @property
    def dl(self) -> Counts:
        total = Counts()
        for c in self.rules.values():
            total.tp += c.tp
            total.fp += c.fp
            total.fn += c.fn
        return total


def _is_dl(code: str) -> bool:
    return code.startswith("DL") and code != PARSE_ERROR


def compare(
    theirs: dict[Path, Outcome], ours: dict[Path, Outcome], paths: Iterable[Path]
) -> Agreement:
    result = Agreement()
    for path in paths:
        result.files += 1
        t, o = theirs[path], ours[path]
        if o.failure not in (None, "parse"):  # a defect, whatever hadolint made of the file
            result.ours_crashes.append((path, o.failure))
        if t.failure == "parse":
            result.hadolint_parse_errors += 1
            continue
        if t.failure is not None:
            result.hadolint_crashes.append((path, t.failure))
            continue
        if o.failure == "parse":
            result.ours_parse_errors.append(path)
        # a file we died on counts with no finding of ours: all of hadolint's are missed
        result.compared += 1
        _compare_file(result, path, Counter(t.findings), o)
    return result


def _compare_file(result: Agreement, path: Path, t: Counter[Finding], ours: Outcome) -> None:
    o = Counter(ours.findings)
    sc_t = Counter({f: n for f, n in t.items() if f[1].startswith("SC")})
    sc_o = Counter({f: n for f, n in o.items() if f[1].startswith("SC")})
    result.sc_hadolint += sum(sc_t.values())
    result.sc_ours += sum(sc_o.values())
    result.sc_found += sum((sc_t & sc_o).values())
    text: str | None = None
    for line, code in sorted(set(t) | set(o)):
        if not _is_dl(code):
            continue
        counts = result.rules.setdefault(code, Counts())
        both = min(t[line, code], o[line, code])
        counts.tp += both
        for side, extra in (("fp", o[line, code] - both), ("fn", t[line, code] - both)):
            for _ in range(extra):
                if text is None:
                    text = path.read_text(encoding="utf-8", errors="replace")
                case = Case(path, text, line, code, side, ours)
                why = next((d.name for d in DELIBERATE if d.matches(case)), None)
                result.disagreements.append(Disagreement(path, line, code, side, why))
                if why is not None:
                    result.deliberate[why] += 1
                elif side == "fp":
                    counts.fp += 1
                else:
                    counts.fn += 1


def agreement(
    paths: Sequence[Path],
    *,
    cache: Path | None = DEFAULT_CACHE,
    jobs: int = 2,
    shellcheck: bool = True,
) -> Agreement:
    """Both linters on ``paths``; ours without ShellCheck in this process when asked."""
    theirs = run_hadolint(paths, cache, jobs=jobs)
    ours = run_ours(paths) if shellcheck else run_ours_in_process(paths)
    result = compare(theirs, ours, paths)
    result.shellcheck = shellcheck
    return result


def corpus_files(corpus: Path, every: int = 1) -> list[Path]:
    """The corpus's Dockerfiles in a fixed order; with ``every`` K, every K-th of them."""
    return sorted(p for p in corpus.rglob("*") if p.is_file())[::every]


# --- reporting ---------------------------------------------------------------------------


def report(result: Agreement, *, all_rules: bool = False) -> str:
    lines = [
        f"files: {result.files}; compared: {result.compared}; hadolint cannot parse: "
        f"{result.hadolint_parse_errors}; hadolint died on: {len(result.hadolint_crashes)}; "
        f"we cannot parse (hadolint can): {len(result.ours_parse_errors)}; "
        f"we died on: {len(result.ours_crashes)}",
        "",
        f"{'rule':<8} {'tp':>7} {'fp':>6} {'fn':>6} {'precision':>9} {'recall':>7} {'f1':>7}",
    ]
    for code, c in sorted(result.rules.items()):
        if all_rules or c.fp or c.fn:
            lines.append(
                f"{code:<8} {c.tp:>7} {c.fp:>6} {c.fn:>6} "
                f"{c.precision:>9.4f} {c.recall:>7.4f} {c.f1:>7.4f}"
            )
    dl = result.dl
    lines += [
        f"{'DL':<8} {dl.tp:>7} {dl.fp:>6} {dl.fn:>6} "
        f"{dl.precision:>9.4f} {dl.recall:>7.4f} {dl.f1:>7.4f}",
        "",
        f"DL F1: {dl.f1:.4f}",
    ]
    for name, n in sorted(result.deliberate.items()):
        lines.append(f"left out as a deliberate difference ({name}): {n}")
    if result.shellcheck:
        lines.append(
            f"SC (information): hadolint {result.sc_hadolint}, of which among ours "
            f"{result.sc_found}; ours {result.sc_ours}"
        )
    for path, why in result.ours_crashes:
        lines.append(f"WE DIED ON {path}: {why}")
    for path, why in result.hadolint_crashes:
        lines.append(f"hadolint died on {path}: {why}")
    return "\n".join(lines)


def write_disagreements(result: Agreement, out: Path) -> None:
    """One line per disagreement: ``file:line CODE fp|fn [deliberate] | source line``."""
    rows = []
    for d in sorted(result.disagreements, key=lambda d: (d.code, d.side, str(d.path), d.line)):
        source = d.path.read_text(encoding="utf-8", errors="replace").splitlines()
        text = source[d.line - 1].strip() if 0 < d.line <= len(source) else ""
        tag = f" [{d.deliberate}]" if d.deliberate else ""
        rows.append(f"{d.path}:{d.line} {d.code} {d.side}{tag} | {text[:160]}")
    for path in result.ours_parse_errors:
        rows.append(f"{path}:1 DL1000 ours | hadolint parses it")
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--every", type=int, default=1, help="take every K-th file only")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="hadolint's results")
    parser.add_argument("--no-cache", action="store_true", help="run hadolint on every file")
    parser.add_argument("--jobs", type=int, default=2, help="hadolint processes at once")
    parser.add_argument("--disagreements", type=Path, help="write every disagreement here")
    parser.add_argument("--all-rules", action="store_true", help="list agreeing rules too")
    parser.add_argument("--min-f1", type=float, help="exit 1 when the DL F1 is below this")
    parser.add_argument(
        "--no-shellcheck",
        action="store_true",
        help="run ours in this process without ShellCheck: DL findings only, quicker",
    )
    args = parser.parse_args()
    paths = corpus_files(args.corpus, args.every)
    if not paths:
        print(f"no Dockerfiles under {args.corpus}: gather them with bench/corpus.py")
        return 2
    cache = None if args.no_cache else args.cache
    result = agreement(paths, cache=cache, jobs=args.jobs, shellcheck=not args.no_shellcheck)
    print(report(result, all_rules=args.all_rules))
    if args.disagreements is not None:
        write_disagreements(result, args.disagreements)
        print(f"disagreements in {args.disagreements}")
    failing = result.ours_crashes or (args.min_f1 is not None and result.dl.f1 < args.min_f1)
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
