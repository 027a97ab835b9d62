"""Lint: dockwright vs hadolint 2.15.1 on the same Dockerfiles, ShellCheck on for both.

Generates a corpus of real-world-shaped Dockerfiles (bench/lint_corpus.py, seeded) into a
temporary directory, then measures, each tool as a fresh process, best of N rounds:

- the whole corpus in ONE call (`dockwright lint FILE...` / `hadolint FILE...`);
- one small file, cold (a new process each time);
- peak memory (max RSS of the process tree's largest process, from wait4).

dockwright runs with its ShellCheck result cache off (DOCKWRIGHT_CACHE=off) so both tools
do the same work; the warm-cache corpus time is printed as well.

    .venv/bin/python bench/lint_bench.py [--files N] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
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


def best(argv: list[str], env: dict[str, str], rounds: int) -> tuple[float, int, float]:
    """Best wall time, largest peak RSS, best CPU time over ``rounds`` runs."""
    runs = [measure(argv, env) for _ in range(rounds)]
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
    cold = {**base, "DOCKWRIGHT_CACHE": "off"}
    warm = {**base, "XDG_CACHE_HOME": tempfile.mkdtemp(prefix="dockwright-bench-cache-")}
    with tempfile.TemporaryDirectory(prefix="dockwright-lint-bench-") as tmp:
        root = Path(tmp)
        files = [str(p) for p in write_corpus(root / "corpus", opts.files)]
        lines = sum(Path(f).read_text().count("\n") for f in files)
        small = root / "small" / "Dockerfile"
        small.parent.mkdir()
        small.write_text(SMALL)
        print(f"corpus: {len(files)} Dockerfiles, {lines} lines; {os.cpu_count()} cores")

        # sanity: both tools report findings on the corpus
        ours_out = measure([*OURS, *COMMON, *files], cold)[2]  # also writes the .pyc files
        theirs_out = measure([*HADOLINT, *COMMON, *files], cold)[2]
        key = b'"code"'
        print(f"findings: dockwright {ours_out.count(key)}, hadolint {theirs_out.count(key)}")

        t_ours, m_ours, c_ours = best([*OURS, *COMMON, *files], cold, opts.rounds)
        t_theirs, m_theirs, c_theirs = best([*HADOLINT, *COMMON, *files], cold, opts.rounds)
        measure([*OURS, *COMMON, *files], warm)  # fill the cache
        t_warm, _, _ = best([*OURS, *COMMON, *files], warm, opts.rounds)
        s_ours, sm_ours, sc_ours = best([*OURS, *COMMON, str(small)], cold, opts.single_rounds)
        s_theirs, sm_theirs, sc_theirs = best(
            [*HADOLINT, *COMMON, str(small)], cold, opts.single_rounds
        )
        typical = []
        for name, text in TYPICAL.items():
            path = root / name.split(",")[0] / "Dockerfile"
            path.parent.mkdir()
            path.write_text(text)
            ours = best([*OURS, *COMMON, str(path)], cold, opts.single_rounds)[0]
            theirs = best([*HADOLINT, *COMMON, str(path)], cold, opts.single_rounds)[0]
            typical.append((name, ours, theirs))

    print(
        f"corpus, one call:  dockwright {t_ours * 1e3:8.1f} ms   hadolint {t_theirs * 1e3:8.1f} ms"
        f"   speed-up {t_theirs / t_ours:5.2f}x (target >= 3x)"
    )
    print(
        f"  CPU (user+sys):   dockwright {c_ours * 1e3:8.1f} ms   hadolint {c_theirs * 1e3:8.1f} ms"
        f"   ratio {c_theirs / c_ours:5.2f}x"
    )
    print(
        f"  warm ShellCheck result cache: dockwright {t_warm * 1e3:8.1f} ms"
        f"   speed-up {t_theirs / t_warm:5.2f}x"
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
