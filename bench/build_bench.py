"""Build speed: `dockwright build` vs `docker build` (DOCKER_BUILDKIT=1), same client, same engine.

    .venv/bin/python bench/build_bench.py [--cold-runs N] [--warm-runs N] [--case NAME]

Two images: the bundled example (examples/hello: Debian, apt-get install python3, a user) and
a multi-stage image made here (busybox build, test and runtime stages). For each:

- cold: both with --no-cache (the builder's cache is shared with everyone on the engine and
  is not pruned here), so every step runs; the ratio of the medians, ours / docker's;
- warm: nothing changed since the previous build of the same tool, every step from the
  cache; the difference of the medians in seconds, ours - docker's.

The two tools alternate, so load on the machine falls on both alike. `dockwright build` runs
as users run it: the installed entry point with its dockwright.yaml (the example) or with
--context (the multi-stage image), default settings, compiled bytecode (as a pip install
has). `docker build` gets the same build args and target, with the client dockwright chose.
Needs the engine and the base images (scripts/).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "hello"
TAG = "dockwright-bench/build-{case}:{tool}"

MULTI_STAGE = """\
FROM dockwright.local/busybox:1.35 AS build
COPY src/ /src/
RUN mkdir /out \\
 && for i in $(seq 1 5000); do echo "line $i of the generated data" >> /out/data.txt; done \\
 && tar -C /src -cf /out/src.tar . \\
 && cd /out && sha256sum data.txt src.tar > SUMS

FROM dockwright.local/busybox:1.35 AS test
COPY --from=build /out /out
RUN cd /out && sha256sum -c SUMS

FROM dockwright.local/busybox:1.35 AS runtime
COPY --from=test /out /opt/app
COPY --from=build /src/app.sh /usr/local/bin/app
USER 1000:1000
ENTRYPOINT ["/usr/local/bin/app"]
"""


def multi_stage_context(tmp: Path) -> Path:
    context = tmp / "multistage"
    (context / "src").mkdir(parents=True)
    (context / "Dockerfile").write_text(MULTI_STAGE)
    (context / "src" / "app.sh").write_text("#!/bin/sh\nexec cat /opt/app/data.txt\n")
    os.chmod(context / "src" / "app.sh", 0o755)
    for i in range(200):
        (context / "src" / f"module_{i}.txt").write_text(f"module {i}\n" * 50)
    return context


def dockwright_exe() -> str:
    exe = Path(sys.executable).with_name("dockwright")
    return str(exe) if exe.exists() else shutil.which("dockwright") or "dockwright"


def commands(case: str, context: Path, client: str) -> dict[str, tuple[list[str], Path]]:
    """argv and working directory of each tool's build of ``case`` (no --no-cache yet)."""
    dw_tag, docker_tag = TAG.format(case=case, tool="dw"), TAG.format(case=case, tool="docker")
    if case == "hello":
        return {
            "dockwright": ([dockwright_exe(), "build", "hello", "-t", dw_tag], context),
            "docker": (
                [client, "build", "--build-arg", "APP_VERSION=1.4.2", "--target", "runtime",
                 "-t", docker_tag, "."],
                context,
            ),
        }  # fmt: skip
    return {
        "dockwright": (
            [dockwright_exe(), "build", "--context", str(context), "-t", dw_tag],
            context.parent,
        ),
        "docker": ([client, "build", "-t", docker_tag, str(context)], context.parent),
    }


def timed(argv: list[str], cwd: Path) -> float:
    env = {**os.environ, "DOCKER_BUILDKIT": "1"}
    started = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return elapsed


def measure(
    cmds: dict[str, tuple[list[str], Path]], runs: int, *, no_cache: bool
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {tool: [] for tool in cmds}
    order = list(cmds)
    if not no_cache:
        for argv, cwd in cmds.values():  # prime: the warm runs find everything cached
            timed(argv, cwd)
    for i in range(runs):
        for tool in order if i % 2 == 0 else reversed(order):
            argv, cwd = cmds[tool]
            times[tool].append(timed([*argv, "--no-cache"] if no_cache else argv, cwd))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--warm-runs", type=int, default=7)
    parser.add_argument("--case", choices=("hello", "multistage"), action="append")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from dockwright.engine.build import choose_builder

    compileall.compile_dir(str(ROOT / "src" / "dockwright"), quiet=1)
    builder = choose_builder()
    print(f"builder: {builder.describe()}")
    cases = args.case or ["hello", "multistage"]
    with tempfile.TemporaryDirectory(prefix="dockwright-build-bench-") as tmp:
        contexts = {"hello": EXAMPLE, "multistage": multi_stage_context(Path(tmp))}
        try:
            for case in cases:
                cmds = commands(case, contexts[case], builder.client)
                cold = measure(cmds, args.cold_runs, no_cache=True)
                warm = measure(cmds, args.warm_runs, no_cache=False)
                c_dw, c_docker = (statistics.median(cold[t]) for t in ("dockwright", "docker"))
                w_dw, w_docker = (statistics.median(warm[t]) for t in ("dockwright", "docker"))
                print(
                    f"{case}: cold (--no-cache, median of {args.cold_runs}) dockwright "
                    f"{c_dw:.2f} s, docker {c_docker:.2f} s, ratio {c_dw / c_docker:.3f}x "
                    f"(target <= 1.03x)"
                )
                print(
                    f"{case}: warm (unchanged, median of {args.warm_runs}) dockwright "
                    f"{w_dw:.3f} s, docker {w_docker:.3f} s, difference "
                    f"{w_dw - w_docker:+.3f} s (target <= +0.2 s)"
                )
                for tool in ("dockwright", "docker"):
                    print(f"  {tool} cold: {' '.join(f'{t:.2f}' for t in cold[tool])}")
                    print(f"  {tool} warm: {' '.join(f'{t:.3f}' for t in warm[tool])}")
        finally:
            for case in cases:
                for tool in ("dw", "docker"):
                    subprocess.run(
                        [builder.client, "rmi", TAG.format(case=case, tool=tool)],
                        capture_output=True,
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
