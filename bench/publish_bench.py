"""Publish speed and memory: dockwright's native client vs `docker push` and `skopeo copy`.

    .venv/bin/python bench/publish_bench.py [--runs N] [--size-mb MB]

(a) re-publish of an unchanged image with 4 tags to a registry that already holds it,
    vs `docker push` of the 4 tags (one push per tag, as the CircleCI docker orb does);
(b) first publish of an image of >= 200 MB to an empty registry, vs `docker push` and
    `skopeo copy docker-daemon:… docker://…`;
(c) our peak memory (max RSS of the publishing process) in (b).

Each measurement starts a fresh throwaway docker-registry, so no tool can mount or skip blobs
it pushed in an earlier round. Needs the engine, docker-registry and skopeo (scripts/).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

TAGS = ["1.4.2", "1.4", "1", "latest"]
IMAGE = "dockwright-bench/big:{mb}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def registry() -> Iterator[str]:
    work = Path(tempfile.mkdtemp(prefix="dockwright-bench-reg-"))
    port = free_port()
    (work / "config.yml").write_text(
        "version: 0.1\nlog: {level: error}\n"
        f"storage: {{filesystem: {{rootdirectory: {work}/data}}}}\n"
        f"http: {{addr: 127.0.0.1:{port}}}\n"
    )
    proc = subprocess.Popen(
        ["docker-registry", "serve", str(work / "config.yml")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)


def build_image(size_mb: int) -> str:
    name = IMAGE.format(mb=size_mb)
    if subprocess.run(["docker", "image", "inspect", name], capture_output=True).returncode == 0:
        return name
    ctx = Path(tempfile.mkdtemp(prefix="dockwright-bench-img-"))
    # A realistic mix: a Debian base, incompressible data, text, and a copy of /usr/lib.
    random_mb = max(10, (size_mb - 200) + 60)
    (ctx / "Dockerfile").write_text(
        "FROM dockwright.local/debian:bookworm\n"
        f"RUN head -c {random_mb}000000 /dev/urandom > /opt/random.bin"
        " && seq 1 9000000 > /opt/numbers.txt && cp -a /usr/lib /opt/lib-copy\n"
    )
    env = {**os.environ, "DOCKER_BUILDKIT": "1"}
    client = "/usr/bin/docker" if Path("/usr/bin/docker").exists() else "docker"
    subprocess.run([client, "build", "-q", "-t", name, str(ctx)], check=True, env=env)
    shutil.rmtree(ctx)
    return name


def timed(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def sh(*argv: str) -> None:
    subprocess.run(list(argv), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def docker_push(image: str, repo: str) -> None:
    for tag in TAGS:
        sh("docker", "tag", image, f"{repo}:{tag}")
        sh("docker", "push", "-q", f"{repo}:{tag}")


def untag(repo: str) -> None:
    for tag in TAGS:
        subprocess.run(["docker", "rmi", f"{repo}:{tag}"], capture_output=True)


def ours(image: str, repo: str, cache: str) -> tuple[int, float]:
    """Publish in a child process; returns its peak RSS in KiB and the seconds publish() took
    (what the publish step of `dockwright run` costs, without starting Python)."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", image, repo, cache],
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(out.stdout)
    return int(data["maxrss_kib"]), float(data["seconds"])


def child(image: str, repo: str, cache: str) -> None:
    from dockwright.engine.docker import DockerEngine
    from dockwright.pipeline.publish import Destination, publish
    from dockwright.registry.imagecache import ImageCache

    with DockerEngine() as engine:
        image_id = engine.inspect_image(image).id
        start = time.perf_counter()
        publish(
            engine,
            image_id,
            TAGS,
            [Destination(repo, insecure=True)],
            cache=ImageCache(Path(cache)),
        )
        seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"maxrss_kib": rss, "seconds": seconds}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size-mb", type=int, default=250)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    image = build_image(args.size_mb)
    size = json.loads(
        subprocess.run(
            ["docker", "image", "inspect", image], capture_output=True, check=True
        ).stdout
    )[0]["Size"]
    print(f"image {image}: {size / 1e6:.0f} MB uncompressed; {args.runs} runs each, medians")

    re_ours: list[float] = []
    re_call: list[float] = []
    re_docker: list[float] = []
    first_ours: list[float] = []
    first_docker: list[float] = []
    first_skopeo: list[float] = []
    rss: list[int] = []
    for _ in range(args.runs):
        cache = tempfile.mkdtemp(prefix="dockwright-bench-cache-")

        def first(reg: str, cache: str = cache) -> None:
            rss.append(ours(image, f"{reg}/ours/app", cache)[0])

        def again(reg: str, cache: str = cache) -> None:
            re_call.append(ours(image, f"{reg}/ours/app", cache)[1])

        try:
            with registry() as reg:
                first_ours.append(timed(lambda: first(reg)))
                re_ours.append(timed(lambda: again(reg)))
            with registry() as reg:
                first_docker.append(timed(lambda: docker_push(image, f"{reg}/docker/app")))
                re_docker.append(timed(lambda: docker_push(image, f"{reg}/docker/app")))
                untag(f"{reg}/docker/app")
            with registry() as reg:
                first_skopeo.append(
                    timed(lambda: sh("skopeo", "copy", "-q", "--dest-tls-verify=false",
                                     f"docker-daemon:{image}", f"docker://{reg}/skopeo/app:1.4.2"))
                )  # fmt: skip
        finally:
            shutil.rmtree(cache, ignore_errors=True)

    med = statistics.median
    print(f"(a) re-publish, 4 tags: dockwright CLI process {med(re_ours):.3f} s, publish() call "
          f"{med(re_call):.3f} s; docker push {med(re_docker):.3f} s")  # fmt: skip
    print(f"    ratio (process) {med(re_ours) / med(re_docker):.2f}x, ratio (publish step) "
          f"{med(re_call) / med(re_docker):.2f}x (target <= 0.30x)")  # fmt: skip
    print(f"(b) first publish: dockwright {med(first_ours):.2f} s (4 tags), "
          f"docker push {med(first_docker):.2f} s (4 tags), "
          f"skopeo copy {med(first_skopeo):.2f} s (1 tag)")  # fmt: skip
    print(f"    ratio vs docker push {med(first_ours) / med(first_docker):.2f}x, "
          f"vs skopeo {med(first_ours) / med(first_skopeo):.2f}x (target <= 1.00x)")  # fmt: skip
    print(
        f"(c) peak memory (max RSS) of dockwright publish: {max(rss) / 1024:.0f} MB "
        "(target <= 150 MB)"
    )


if __name__ == "__main__":
    main()
