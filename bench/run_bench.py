"""`dockwright run` against the hand-written glue it replaces, and at scale.

    python bench/run_bench.py [hello] [scale] [--rounds N] [--warm N] [--images N] [--jobs N]

(a) hello: an application image like examples/hello (Debian base, python3 from apt, a COPY),
    published with 4 tags (1.4.2, 1.4, 1, latest) to the local TLS registry with htpasswd auth
    (127.0.0.1:5443, scripts/registry.sh). The glue, run in sequence by a shell script, is
    hadolint → `docker build` (BuildKit) → container-structure-test → `docker login` →
    `docker tag` + `docker push` of each tag. Against it, `dockwright run` in the same checkout:
    - warm: nothing changed since the last run and the image is already published;
    - cold: BuildKit's cache emptied (`docker builder prune -af`) before each contender, and
      dockwright's job cache (`.dockwright/`) removed; the build fetches python3 from Debian's
      mirror, so network time is part of both.
(b) scale: 20 images in one repository (busybox base, a COPY of a changed file and a RUN that
    does some work, structure tests, 4 tags each to the plain registry 127.0.0.1:5000). Every
    image's context changes before each contender, so every job lints (cached), builds, tests
    and publishes. `dockwright run --jobs 2` against the same jobs run one by one (one
    `dockwright run --jobs 1 IMAGE` per image, in sequence: the sum of their times), and
    against `dockwright run --jobs 1` (one process); the peak RSS of the dockwright process.

Measured as users run the tool: a pip install compiles bytecode, so the source tree is
byte-compiled first (`python -m compileall -q src`) and dockwright runs with
PYTHONDONTWRITEBYTECODE removed from its environment (this development environment sets it),
with src/ first on PYTHONPATH. CI variables are removed, so the git tag (v1.4.2, v1.0.0)
decides publishing. `--venv DIR` runs dockwright with the interpreter of DIR, a virtualenv
made (when missing) with only dockwright's own dependencies, as `pip install dockwright` or
pipx leaves them: a development environment holds more (click, for one, which makes every
`import httpx` load httpx's command line and, with it, rich and pygments).

The machine is shared and loaded: contenders alternate within each round, medians are
reported, and the load average is printed with them. Needs the engine, the base images and
both registries (scripts/engine.sh, scripts/base-images.sh, scripts/registry.sh), hadolint and
container-structure-test (the test extras). Images it builds are removed at the end; what it
pushed stays in the local registries under dockwright-bench/.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATE = Path(os.environ.get("DOCKWRIGHT_STATE", "/var/lib/dockwright-dev"))
TLS = "127.0.0.1:5443"
PLAIN = "127.0.0.1:5000"
DEBIAN_DOCKER = "/usr/bin/docker"  # the client with built-in BuildKit (docs: design)
TOOLS = Path(sys.executable).parent  # hadolint and container-structure-test

HELLO_CONFIG = f"""\
version: 1
images:
  hello:
    context: .
    dockerfile: Dockerfile
    build-args: {{APP_VERSION: "1.4.2"}}
    target: runtime
    tests: [structure.yaml]
    tags:
      - {{type: semver, pattern: "{{{{version}}}}"}}
      - {{type: semver, pattern: "{{{{major}}}}.{{{{minor}}}}"}}
      - {{type: semver, pattern: "{{{{major}}}}"}}
    publish:
      - repository: {TLS}/dockwright-bench/run-hello
        ca: {STATE}/registry/ca.crt
        credentials: {{username-env: REGISTRY_USERNAME, password-env: REGISTRY_PASSWORD}}
lint:
  failure-threshold: warning
  ignored: [DL3008]
"""

GLUE_IMAGE = "dockwright-bench/run-hello:glue"
GLUE = f"""\
#!/usr/bin/env bash
# What people write without dockwright: each tool in turn. The phases' end times go to
# $GLUE_TIMES, for the bench's breakdown.
set -euo pipefail
image={GLUE_IMAGE}
repo={TLS}/dockwright-bench/run-hello-glue
at() {{ echo "$1 $EPOCHREALTIME" >>"$GLUE_TIMES"; }}
at start
"{TOOLS}/hadolint" --failure-threshold warning --ignore DL3008 Dockerfile
at lint
DOCKER_BUILDKIT=1 {DEBIAN_DOCKER} build --quiet --build-arg APP_VERSION=1.4.2 \\
  --target runtime --tag "$image" . >/dev/null
at build
"{TOOLS}/container-structure-test" test --image "$image" --config structure.yaml >/dev/null
at test
printf '%s' "$REGISTRY_PASSWORD" \\
  | {DEBIAN_DOCKER} login --username "$REGISTRY_USERNAME" --password-stdin {TLS} >/dev/null 2>&1
for tag in 1.4.2 1.4 1 latest; do
  {DEBIAN_DOCKER} tag "$image" "$repo:$tag"
  {DEBIAN_DOCKER} push --quiet "$repo:$tag" >/dev/null
done
at publish
"""

SCALE_DOCKERFILE = """\
FROM dockwright.local/busybox:1.35
COPY nonce.txt /app/nonce.txt
RUN seq 1 20000 > /app/data.txt && sha256sum /app/data.txt > /app/data.sha256
COPY run.sh /app/run.sh
USER 65534
WORKDIR /app
ENTRYPOINT ["/app/run.sh"]
"""

SCALE_TEST = """\
schemaVersion: 2.0.0
commandTests:
  - name: the app answers
    command: /app/run.sh
    expectedOutput: ["^{name} ok\\\\n$"]
fileExistenceTests:
  - {{name: data, path: /app/data.txt, shouldExist: true}}
metadataTest:
  entrypoint: ["/app/run.sh"]
  user: "65534"
  workdir: /app
"""


@dataclass
class Sample:
    seconds: float
    rss_mb: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # lint, build, test, publish, rest


@dataclass
class Series:
    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    def show(self) -> str:
        times = " ".join(f"{s.seconds:.2f}" for s in self.samples)
        line = f"  {self.name:<34} median {self.median:7.2f} s   [{times}]"
        names = list(dict.fromkeys(k for s in self.samples for k in s.phases))
        if names:
            parts = (
                f"{k} {statistics.median(s.phases.get(k, 0.0) for s in self.samples):.2f}"
                for k in names
            )
            line += f"\n  {'':<34} phases (medians, s): {', '.join(parts)}"
        return line


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


def sh(*argv: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
        raise SystemExit(f"{' '.join(argv)} failed (exit {done.returncode}):\n{tail}")
    return done.stdout


def timed(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> Sample:
    """Run to completion; wall seconds and the peak RSS of that process (VmHWM, polled)."""
    started = time.monotonic()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = [0]
    stop = threading.Event()

    def poll() -> None:
        status = Path(f"/proc/{proc.pid}/status")
        while not stop.is_set():
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak[0] = max(peak[0], int(line.split()[1]))
            except OSError:
                return
            stop.wait(0.05)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    seconds = time.monotonic() - started
    stop.set()
    watcher.join()
    if proc.returncode != 0:
        tail = "\n".join(out.splitlines()[-40:])
        raise SystemExit(f"{' '.join(argv)} in {cwd} failed (exit {proc.returncode}):\n{tail}")
    return Sample(seconds, peak[0] / 1024)


def git(cwd: Path, *args: str) -> None:
    sh("git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args, cwd=cwd)


PYTHON = [sys.executable]  # the interpreter that runs dockwright (--venv)


def dockwright_argv() -> list[str]:
    return [*PYTHON, "-m", "dockwright"]


def user_venv(path: Path) -> str:
    """A virtualenv with dockwright's dependencies only (made once), as a user's install."""
    python = path / "bin" / "python"
    if not python.exists():
        sh(sys.executable, "-m", "venv", str(path))
        sh(str(python), "-m", "pip", "install", "--quiet", str(ROOT))
    return str(python)


def environment(scratch: Path, src: Path) -> dict[str, str]:
    """The user's environment: no CI variables, bytecode written, our sources first."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONDONTWRITEBYTECODE"
        and not k.startswith(("CIRCLE", "GITHUB", "GITLAB"))
        and k != "CI"
    }
    env["PYTHONPATH"] = str(src)
    env["XDG_CACHE_HOME"] = str(scratch / "xdg-cache")
    env["DOCKER_CONFIG"] = str(scratch / "docker-config")  # the glue's `docker login` goes here
    env["REGISTRY_USERNAME"] = "dockwright"
    env["REGISTRY_PASSWORD"] = (STATE / "registry" / "password").read_text().strip()
    return env


class Images:
    """Images the bench builds, removed at the end."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.tags: set[str] = set()

    def from_record(self, checkout: Path) -> None:
        record = json.loads((checkout / ".dockwright" / "reports" / "run.json").read_text())
        for job in record["jobs"]:
            for step in job["steps"]:
                if step.get("kind") == "build" and step.get("image_id"):
                    self.ids.add(step["image_id"])

    def remove(self) -> None:
        self.ids = {i.strip() for i in self.ids}
        for ref in sorted(self.tags) + sorted(self.ids):
            subprocess.run(
                [DEBIAN_DOCKER, "image", "rm", "--force", ref], capture_output=True, check=False
            )


def prune_build_cache() -> None:
    sh(DEBIAN_DOCKER, "builder", "prune", "--all", "--force")


def bench_hello(
    scratch: Path, env: dict[str, str], rounds: int, warm: int, cold: bool, images: Images
) -> None:
    repo = scratch / "hello"
    shutil.copytree(ROOT / "examples" / "hello", repo)
    (repo / "dockwright.yaml").write_text(HELLO_CONFIG)
    (repo / ".dockerignore").write_text(".dockwright\n")
    (scratch / "glue.sh").write_text(GLUE)
    (scratch / "glue.sh").chmod(0o755)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hello")
    git(repo, "tag", "v1.4.2")
    images.tags |= {GLUE_IMAGE} | {
        f"{TLS}/dockwright-bench/run-hello-glue:{t}" for t in ("1.4.2", "1.4", "1", "latest")
    }

    times = scratch / "glue-times"

    def glue() -> Sample:
        times.unlink(missing_ok=True)
        sample = timed([str(scratch / "glue.sh")], repo, {**env, "GLUE_TIMES": str(times)})
        marks = [line.split() for line in times.read_text().splitlines()]
        sample.phases = {
            name: float(end) - float(begin) for (_, begin), (name, end) in itertools.pairwise(marks)
        }
        sample.phases["rest"] = sample.seconds - sum(sample.phases.values())
        # a cold run leaves the image before it untagged: remember each one to remove it
        images.ids.add(sh(DEBIAN_DOCKER, "image", "inspect", "--format", "{{.Id}}", GLUE_IMAGE))
        return sample

    def dockwright() -> Sample:
        sample = timed([*dockwright_argv(), "run"], repo, env)
        record = json.loads((repo / ".dockwright" / "reports" / "run.json").read_text())
        sample.phases = {s["kind"]: s["seconds"] for s in record["jobs"][0]["steps"]}
        sample.phases["rest"] = sample.seconds - sum(sample.phases.values())
        images.from_record(repo)
        return sample

    def dockwright_cold() -> Sample:
        shutil.rmtree(repo / ".dockwright", ignore_errors=True)
        return dockwright()

    contenders: list[tuple[str, Callable[[], Sample], Callable[[], Sample]]] = [
        ("glue script", glue, glue),
        ("dockwright run", dockwright, dockwright_cold),
    ]
    warm_series = {name: Series(f"warm  {name}") for name, _, _ in contenders}
    cold_series = {name: Series(f"cold  {name}") for name, _, _ in contenders}
    what = f"{warm} warm runs and 1 cold run" if cold else f"{warm} warm runs"
    print(f"(a) hello, {rounds} rounds of {what} each; {load()}")
    for _, hot, _ in contenders:  # the first run publishes: the warm state
        hot()
    for index in range(rounds):
        order = contenders if index % 2 == 0 else contenders[::-1]
        for _ in range(warm):
            for name, hot, _ in order:
                warm_series[name].samples.append(hot())
        if cold:
            for name, _, from_scratch in order:
                prune_build_cache()
                cold_series[name].samples.append(from_scratch())
            for _, hot, _ in order:  # back to the warm state for the next round
                hot()
        print(f"  round {index + 1}: {load()}")
    for series in [*warm_series.values(), *(cold_series.values() if cold else ())]:
        print(series.show())
    warm_ratio = warm_series["dockwright run"].median / warm_series["glue script"].median
    print(f"  warm ratio dockwright/glue: {warm_ratio:.3f} (target <= 0.15)")
    if cold:
        cold_ratio = cold_series["dockwright run"].median / cold_series["glue script"].median
        print(f"  cold ratio dockwright/glue: {cold_ratio:.3f} (target <= 0.8)")
    print(f"  {load()}")


def bench_scale(
    scratch: Path, env: dict[str, str], rounds: int, count: int, jobs: int, images: Images
) -> None:
    repo = scratch / "scale"
    repo.mkdir()
    names = [f"img{n:02d}" for n in range(1, count + 1)]
    config = ["version: 1", "lint: {failure-threshold: error}", "images:"]
    for name in names:
        (repo / name).mkdir()
        (repo / name / "Dockerfile").write_text(SCALE_DOCKERFILE)
        (repo / name / "run.sh").write_text(f"#!/bin/sh\necho {name} ok\n")
        (repo / name / "run.sh").chmod(0o755)
        (repo / name / "nonce.txt").write_text("0\n")
        (repo / name / "structure.yaml").write_text(SCALE_TEST.format(name=name))
        config += [
            f"  {name}:",
            f"    context: {name}",
            f"    tests: [{name}/structure.yaml]",
            "    tags: [{type: semver, pattern: '{{version}}'}, "
            "{type: semver, pattern: '{{major}}.{{minor}}'}, "
            "{type: semver, pattern: '{{major}}'}]",
            f"    publish: [{{repository: {PLAIN}/dockwright-bench/run-scale-{name}, "
            "insecure: true}]",
        ]
    (repo / "dockwright.yaml").write_text("\n".join(config) + "\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "images")
    git(repo, "tag", "v1.0.0")
    nonce = [0]

    def touch() -> None:  # every context changes: every job builds, tests and publishes
        nonce[0] += 1
        for name in names:
            (repo / name / "nonce.txt").write_text(f"{nonce[0]}\n")

    def parallel() -> Sample:
        touch()
        sample = timed([*dockwright_argv(), "run", "--jobs", str(jobs)], repo, env)
        images.from_record(repo)
        return sample

    def one_process() -> Sample:
        touch()
        sample = timed([*dockwright_argv(), "run", "--jobs", "1"], repo, env)
        images.from_record(repo)
        return sample

    def one_by_one() -> Sample:
        touch()
        total = Sample(0.0)
        for name in names:
            sample = timed([*dockwright_argv(), "run", "--jobs", "1", name], repo, env)
            images.from_record(repo)
            total.seconds += sample.seconds
            total.rss_mb = max(total.rss_mb, sample.rss_mb)
        return total

    contenders = [
        (f"dockwright run --jobs {jobs}", parallel),
        ("each job alone, in sequence (sum)", one_by_one),
        ("dockwright run --jobs 1", one_process),
    ]
    series = {name: Series(name) for name, _ in contenders}
    print(f"(b) {count} images, {rounds} rounds; {load()}")
    parallel()  # the first run pushes the base layer and fills the lint cache
    for index in range(rounds):
        order = contenders if index % 2 == 0 else contenders[::-1]
        for name, run in order:
            series[name].samples.append(run())
        print(f"  round {index + 1}: {load()}")
    for item in series.values():
        peak = max(s.rss_mb for s in item.samples)
        print(f"{item.show()}  peak RSS {peak:.0f} MB")
    par = series[contenders[0][0]].median
    print(
        f"  ratio --jobs {jobs} / sum of jobs alone: {par / series[contenders[1][0]].median:.3f}"
        " (target <= 0.6)"
    )
    print(f"  ratio --jobs {jobs} / --jobs 1: {par / series[contenders[2][0]].median:.3f}")
    print(f"  {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="*", metavar="hello|scale", help="default: both")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warm", type=int, default=3, help="warm runs per round (hello)")
    parser.add_argument("--no-cold", action="store_true", help="warm runs only (hello)")
    parser.add_argument("--images", type=int, default=20, help="images in the repo (scale)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the parallel run (scale)")
    parser.add_argument(
        "--venv", type=Path, help="run dockwright in this virtualenv (made if missing)"
    )
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="dockwright's sources")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    which = args.which or ["hello", "scale"]
    if set(which) - {"hello", "scale"}:
        parser.error(f"expected hello or scale, found {' '.join(which)}")
    if args.venv:
        PYTHON[:] = [user_venv(args.venv.resolve())]
    # Bytecode as a pip install leaves it, compiled before anything is timed.
    sh(PYTHON[0], "-m", "compileall", "-q", str(args.src))
    scratch = Path(tempfile.mkdtemp(prefix="dockwright-run-bench-"))
    env = environment(scratch, args.src.resolve())
    (scratch / "docker-config").mkdir()
    images = Images()
    print(f"dockwright: {' '.join(dockwright_argv())} (PYTHONPATH={env['PYTHONPATH']})")
    try:
        if "hello" in which:
            bench_hello(scratch, env, args.rounds, args.warm, not args.no_cold, images)
        if "scale" in which:
            bench_scale(scratch, env, args.rounds, args.images, args.jobs, images)
    finally:
        images.remove()
        if args.keep:
            print(f"scratch: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
