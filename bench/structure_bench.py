"""Structure tests: dockwright vs container-structure-test on the same image and config.

Builds an application image (FROM dockwright.local/debian:bookworm, with apt), writes a config
of 16 mixed tests, runs `container-structure-test test` and `dockwright test` on it alternately
(best of N wall times each, both as fresh processes), then prints the ratio and our peak memory,
for dockwright's default execution path (runc on the image's layers when available) and for
`--exec-path engine` (every container through the Engine API).
Then makes an image over 1 GB (a layer holding a large random file) and measures our peak memory
on it with the docker driver and the tar driver (from `docker save`), and removes it.

    .venv/bin/python bench/structure_bench.py [--rounds N] [--skip-big]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dockwright.engine.base import BuildRequest
from dockwright.engine.docker import DockerEngine

VENV_BIN = Path(sys.executable).parent
CST = str(VENV_BIN / "container-structure-test")
OURS = str(VENV_BIN / "dockwright")
APP_TAG = "dockwright-bench/structure-app:latest"
BIG_TAG = "dockwright-bench/structure-big:latest"
LABELS = {"dockwright.bench": "1"}

APP_DOCKERFILE = """\
FROM dockwright.local/debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends jq \\
    && rm -rf /var/lib/apt/lists/*
RUN useradd --uid 1001 --create-home app && mkdir -p /app/data \\
    && printf '#!/bin/sh\\necho "app $APP_VERSION ready"\\n' > /app/run.sh \\
    && chmod 0755 /app/run.sh && printf 'port=8080\\nmode=prod\\n' > /app/app.conf \\
    && ln -s /app/app.conf /etc/app.conf && chown -R app:app /app/data
ENV APP_VERSION=1.4.2 APP_HOME=/app
LABEL org.opencontainers.image.title=bench-app org.opencontainers.image.version=1.4.2
EXPOSE 8080
WORKDIR /app
USER 1001
CMD ["/app/run.sh"]
"""

CONFIG = """\
schemaVersion: 2.0.0
commandTests:
  - name: app starts
    command: /app/run.sh
    expectedOutput: ["^app 1\\\\.4\\\\.2 ready\\n$"]
  - name: jq works
    command: sh
    args: ["-c", "echo '{\\"a\\": 1}' | jq .a"]
    expectedOutput: ["^1\\n$", "(?m)^1$"]
  - name: runs as app
    command: id
    args: ["-u"]
    expectedOutput: ["1001"]
  - name: env expanded host-side
    command: echo
    args: ["$APP_HOME"]
    expectedOutput: ["/app"]
fileExistenceTests:
  - {name: app dir, path: /app, permissions: drwxr-xr-x}
  - {name: run script, path: /app/run.sh, isExecutableBy: any, uid: 0}
  - {name: data owned by app, path: /app/data, uid: 1001, gid: 1001}
  - {name: config symlink, path: /etc/app.conf, permissions: Lrwxrwxrwx}
  - {name: jq binary, path: /usr/bin/jq, isExecutableBy: other}
  - {name: no apt lists, path: /var/lib/apt/lists/lock, shouldExist: false}
  - {name: sticky tmp, path: /tmp, permissions: dtrwxrwxrwx}
fileContentTests:
  - name: app config
    path: /app/app.conf
    expectedContents: ["(?m)^port=8080$"]
    excludedContents: ["debug"]
  - name: debian release
    path: /etc/os-release
    expectedContents: ["bookworm"]
  - name: passwd has app
    path: /etc/passwd
    expectedContents: ["(?m)^app:x:1001:1001:"]
licenseTests:
  - debian: false
    files: [/usr/share/doc/jq/copyright]
metadataTest:
  envVars:
    - {key: APP_VERSION, value: "1\\\\.4\\\\.\\\\d+", isRegex: true}
  labels:
    - {key: org.opencontainers.image.title, value: bench-app}
  exposedPorts: ["8080"]
  workdir: /app
  user: "1001"
  cmd: ["/app/run.sh"]
"""

BIG_DOCKERFILE = f"""\
FROM {APP_TAG}
USER root
RUN head -c 1100M /dev/urandom > /big.bin
USER 1001
"""

BIG_CONFIG = """\
schemaVersion: 2.0.0
fileExistenceTests:
  - {name: big file, path: /big.bin, permissions: -rw-r--r--, uid: 0}
  - {name: run script, path: /app/run.sh, isExecutableBy: any}
fileContentTests:
  - {name: app config, path: /app/app.conf, expectedContents: ["port=8080"]}
metadataTest:
  workdir: /app
"""


def run_child(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (of that child alone) and exit code."""
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.monotonic() - started, usage.ru_maxrss / 1024, proc.returncode


def build(engine: DockerEngine, context: Path, dockerfile: str, tag: str) -> str:
    (context / "Dockerfile").write_text(dockerfile)
    return engine.build(BuildRequest(context=str(context), tags=(tag,), labels=LABELS)).image_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-big", action="store_true")
    args = parser.parse_args()
    with DockerEngine() as engine, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "app").mkdir()
        print("building the application image ...", flush=True)
        build(engine, root / "app", APP_DOCKERFILE, APP_TAG)
        config = root / "structure.yaml"
        config.write_text(CONFIG)
        common = ["test", "--image", APP_TAG, "--config", str(config), "-o", "json"]
        # One warm-up each, so neither pays for cold caches; then alternate.
        cst_rc = run_child([CST, *common])[2]
        ours_rc = run_child([OURS, *common])[2]
        if cst_rc != ours_rc:
            print(f"verdicts differ: CST exit {cst_rc}, dockwright exit {ours_rc}")
            return 1
        engine_path = [*common, "--exec-path", "engine"]
        if run_child([OURS, *engine_path])[2] != cst_rc:
            print("verdicts differ on the engine path")
            return 1
        cst_times, our_times, our_rss, engine_times = [], [], [], []
        for _ in range(args.rounds):
            cst_times.append(run_child([CST, *common])[0])
            wall, rss, _ = run_child([OURS, *common])
            our_times.append(wall)
            our_rss.append(rss)
            engine_times.append(run_child([OURS, *engine_path])[0])
        cst, ours, via_engine = min(cst_times), min(our_times), min(engine_times)
        print(f"application image, 16 mixed tests (exit code {ours_rc} from both):")
        print(f"  container-structure-test {cst:6.2f} s   (best of {args.rounds})")
        print(f"  dockwright test          {ours:6.2f} s   peak RSS {max(our_rss):.0f} MB")
        print(f"  ratio                    {cst / ours:6.2f}x  (target >= 4x)")
        print(f"  dockwright, engine path  {via_engine:6.2f} s   ratio {cst / via_engine:.2f}x")
        if args.skip_big:
            return 0
        (root / "big").mkdir()
        print("building an image over 1 GB ...", flush=True)
        big_id = build(engine, root / "big", BIG_DOCKERFILE, BIG_TAG)
        try:
            size = engine.inspect_image(big_id).size
            big_config = root / "big.yaml"
            big_config.write_text(BIG_CONFIG)
            base = ["test", "--config", str(big_config), "-o", "json"]
            wall, rss, rc = run_child([OURS, *base, "--image", BIG_TAG])
            print(f"image of {size / 1e9:.2f} GB:")
            print(f"  docker driver: {wall:6.2f} s, peak RSS {rss:.0f} MB, exit {rc}")
            saved = root / "big.tar"
            with open(saved, "wb") as handle:
                engine.save(BIG_TAG, handle)
            wall, rss, rc = run_child([OURS, *base, "--driver", "tar", "--image", str(saved)])
            print(f"  tar driver (saved archive): {wall:6.2f} s, peak RSS {rss:.0f} MB, exit {rc}")
            wall, rss, rc = run_child([OURS, *base, "--driver", "tar", "--image", BIG_TAG])
            print(f"  tar driver (daemon image): {wall:6.2f} s, peak RSS {rss:.0f} MB, exit {rc}")
            print("  (target: peak RSS <= 200 MB)")
        finally:
            engine.remove_image(BIG_TAG, force=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
