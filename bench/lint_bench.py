"""Lint: dockwright vs hadolint 2.15.1 on the same Dockerfiles, ShellCheck on for both.

Generates a corpus of real-world-shaped Dockerfiles (bench/lint_corpus.py, seeded) into a
temporary directory, then measures, each tool as a fresh process, best of N rounds:

- the whole corpus in ONE call (`dockwright lint FILE...` / `hadolint FILE...`);
- one small file (a new process each time);
- peak memory (max RSS of the process tree's largest process, from wait4).

The headline numbers use dockwright's default settings, as users run it: the ShellCheck
result cache on (in a private directory). For the corpus the cache is emptied before each
round, so ShellCheck really runs on every script; for one file it is left as the previous
run left it, as in an editor or pre-commit. For information the cache-off numbers
(DOCKWRIGHT_CACHE=off) and the corpus with a warm cache are printed as well.

    .venv/bin/python bench/lint_bench.py [--files N] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lint_corpus import write_corpus

VENV_BIN = Path(sys.executable).parent
OURS = [str(VENV_BIN / "dockwright"), "lint"]
HADOLINT = [str(VENV_BIN / "hadolint")]
COMMON = ["--no-fail", "-f", "json"]

SMALL = """\
FROM debian:12
RUN apt-get update && apt-get install -y curl \\
    && rm -rf /var/lib/apt/lists/*
USER 1000
CMD ["curl", "--version"]
"""


# More one-file shapes, each measured cold as well: a header comment and parser directive,
# several RUNs (several scripts for ShellCheck), flags, labels, ENV, a multi-stage build.
TYPICAL = {
    "python": (
        "# syntax=docker/dockerfile:1\n# The API server\nFROM python:3.12-slim\nWORKDIR /app\n"
        "COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
        'COPY . .\nEXPOSE 8000\nUSER 1000\nCMD ["python", "app.py"]\n'
    ),
    "alpine": (
        "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 bash\n"
        'ENV PATH=/opt/bin:$PATH\nCOPY run.sh /opt/bin/\nENTRYPOINT ["/opt/bin/run.sh"]\n'
    ),
    "node, two stages": (
        "FROM node:20 AS build\nWORKDIR /src\nCOPY package*.json ./\nRUN npm ci\n"
        "COPY . .\nRUN npm run build\nFROM nginx:1.27\n"
        "COPY --from=build /src/dist /usr/share/nginx/html\n"
        'LABEL org.opencontainers.image.source="https://example.com/x"\n'
        "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\n"
    ),
}


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, int, bytes, float]:
    """Wall seconds, peak RSS in MiB, stdout, CPU seconds (user + system, with children)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[0]} failed with exit code {proc.returncode}")
    return wall, usage.ru_maxrss // 1024, out, usage.ru_utime + usage.ru_stime


def best(
    argv: list[str], env: dict[str, str], rounds: int, empty: Path | None = None
) -> tuple[float, int, float]:
    """Best wall time, largest peak RSS, best CPU time over ``rounds`` runs; ``empty`` is a
    directory emptied before each run (not timed)."""
    runs = []
    for _ in range(rounds):
        if empty is not None:
            shutil.rmtree(empty, ignore_errors=True)
        runs.append(measure(argv, env))
    return min(r[0] for r in runs), max(r[1] for r in runs), min(r[3] for r in runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--single-rounds", type=int, default=25)
    opts = ap.parse_args()

    # Byte-compiled modules as an installed package has them (pip compiles on install),
    # kept out of the source tree.
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    base["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="dockwright-bench-pyc-")
    base["NO_COLOR"] = "1"
    off = {**base, "DOCKWRIGHT_CACHE": "off"}
    cache_home = Path(tempfile.mkdtemp(prefix="dockwright-bench-cache-"))
    default = {**base, "XDG_CACHE_HOME": str(cache_home)}  # the cache on: default settings
    cache = cache_home / "dockwright"
    with tempfile.TemporaryDirectory(prefix="dockwright-lint-bench-") as tmp:
        root = Path(tmp)
        files = [str(p) for p in write_corpus(root / "corpus", opts.files)]
        lines = sum(Path(f).read_text().count("\n") for f in files)
        small = root / "small" / "Dockerfile"
        small.parent.mkdir()
        small.write_text(SMALL)
        print(f"corpus: {len(files)} Dockerfiles, {lines} lines; {os.cpu_count()} cores")

        # sanity: both tools report findings on the corpus
        ours_out = measure([*OURS, *COMMON, *files], off)[2]  # also writes the .pyc files
        theirs_out = measure([*HADOLINT, *COMMON, *files], off)[2]
        key = b'"code"'
        print(f"findings: dockwright {ours_out.count(key)}, hadolint {theirs_out.count(key)}")

        corpus = [*OURS, *COMMON, *files]
        t_ours, m_ours, c_ours = best(corpus, default, opts.rounds, empty=cache)
        t_theirs, m_theirs, c_theirs = best([*HADOLINT, *COMMON, *files], off, opts.rounds)
        t_off, _, _ = best(corpus, off, opts.rounds)
        measure(corpus, default)  # fill the cache
        t_warm, _, _ = best(corpus, default, opts.rounds)
        one = [*OURS, *COMMON, str(small)]
        s_ours, sm_ours, sc_ours = best(one, default, opts.single_rounds)
        s_off, _, _ = best(one, off, opts.single_rounds)
        s_theirs, sm_theirs, sc_theirs = best(
            [*HADOLINT, *COMMON, str(small)], off, opts.single_rounds
        )
        typical = []
        for name, text in TYPICAL.items():
            path = root / name.split(",")[0] / "Dockerfile"
            path.parent.mkdir()
            path.write_text(text)
            ours = best([*OURS, *COMMON, str(path)], default, opts.single_rounds)[0]
            theirs = best([*HADOLINT, *COMMON, str(path)], off, opts.single_rounds)[0]
            typical.append((name, ours, theirs))
    shutil.rmtree(cache_home, ignore_errors=True)

    print("default settings (ShellCheck result cache on):")
    print(
        f"corpus, one call:  dockwright {t_ours * 1e3:8.1f} ms   hadolint {t_theirs * 1e3:8.1f} ms"
        f"   speed-up {t_theirs / t_ours:5.2f}x (target >= 3x; cache emptied before each round)"
    )
    print(
        f"  CPU (user+sys):   dockwright {c_ours * 1e3:8.1f} ms   hadolint {c_theirs * 1e3:8.1f} ms"
        f"   ratio {c_theirs / c_ours:5.2f}x"
    )
    print(
        f"single small file: dockwright {s_ours * 1e3:8.1f} ms   hadolint {s_theirs * 1e3:8.1f} ms"
        f"   ratio {s_ours / s_theirs:5.2f}x (target <= 2x)"
    )
    print(
        f"  CPU (user+sys):   dockwright {sc_ours * 1e3:8.1f} ms   hadolint "
        f"{sc_theirs * 1e3:8.1f} ms"
    )
    for name, ours, theirs in typical:
        print(
            f"  one {name + ' file:':<23} dockwright {ours * 1e3:6.1f} ms   hadolint "
            f"{theirs * 1e3:6.1f} ms   ratio {ours / theirs:5.2f}x"
        )
    print(
        f"peak memory:       dockwright {m_ours:5d} MiB (single {sm_ours} MiB)"
        f"   hadolint {m_theirs:5d} MiB (single {sm_theirs} MiB)   (target <= 150 MiB)"
    )
    print("for information:")
    print(
        f"  cache off (DOCKWRIGHT_CACHE=off): corpus {t_off * 1e3:8.1f} ms "
        f"(speed-up {t_theirs / t_off:5.2f}x), single small file {s_off * 1e3:6.1f} ms "
        f"(ratio {s_off / s_theirs:5.2f}x)"
    )
    print(
        f"  corpus with a warm cache:           {t_warm * 1e3:8.1f} ms "
        f"(speed-up {t_theirs / t_warm:5.2f}x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
