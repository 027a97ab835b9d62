"""Publish speed and memory: dockwright's native client vs `docker push` and `skopeo copy`.

    .venv/bin/python bench/publish_bench.py [--runs N] [--size-mb MB] [--rtt-ms MS]

(a) re-publish of an unchanged image with 4 tags to a registry that already holds it,
    vs `docker push` of the 4 tags (one push per tag, as the CircleCI docker orb does);
    ours both as the whole `dockwright publish` process (config, git, engine, registry) and
    as the publish() call alone (the publish step of `dockwright run`);
(b) first publish of an image of >= 200 MB to an empty registry, vs `docker push` and
    `skopeo copy docker-daemon:… docker://…`;
(c) our peak memory (max RSS of the publishing process) in (b).

Everything is measured twice: against the registry on loopback, and through a TCP proxy
started here that delays every byte by half of --rtt-ms each way (and a new connection by one
more round trip, as a TCP handshake would), like a registry in a nearby cloud region. Both
tools talk to the same proxy; the docker daemon treats 127.0.0.0/8 as an insecure registry.

Each measurement starts a fresh throwaway docker-registry, so no tool can mount or skip blobs
it pushed in an earlier round. Our processes run with compiled bytecode (as a pip install has;
compiled into __pycache__ before anything is timed). Needs the engine, docker-registry
and skopeo (scripts/).
"""

from __future__ import annotations

import argparse
import asyncio
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
def registry(rtt_ms: float = 0) -> Iterator[str]:
    """A fresh registry; with ``rtt_ms``, the address of a latency-adding proxy in front."""
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
        wait_port(port)
        if rtt_ms <= 0:
            yield f"127.0.0.1:{port}"
            return
        listen = free_port()
        relay = subprocess.Popen(
            [sys.executable, __file__, "--proxy", str(listen), str(port), str(rtt_ms)]
        )
        try:
            wait_port(listen)
            yield f"127.0.0.1:{listen}"
        finally:
            relay.kill()
            relay.wait()
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)


def wait_port(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)


def proxy(listen: int, upstream: int, rtt_ms: float) -> None:
    """Relay 127.0.0.1:listen to 127.0.0.1:upstream, every byte delayed by rtt/2 each way and
    the first byte of a connection by one more rtt (the TCP handshake). Bandwidth is not
    limited: only latency is added."""
    one_way = rtt_ms / 2000

    async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter, not_before: float) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def read() -> None:
            try:
                while data := await src.read(256 << 10):
                    queue.put_nowait((loop.time() + one_way, data))
            except OSError:
                pass
            queue.put_nowait((loop.time() + one_way, b""))

        reader = asyncio.ensure_future(read())
        try:
            while True:
                at, data = await queue.get()
                delay = max(at, not_before) - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                if not data:
                    if dst.can_write_eof():
                        dst.write_eof()
                    break
                dst.write(data)
                await dst.drain()
        except OSError:
            pass
        finally:
            reader.cancel()

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        opened = loop.time()
        try:
            up_r, up_w = await asyncio.open_connection("127.0.0.1", upstream)
        except OSError:
            client_w.close()
            return
        handshake = opened + 2 * one_way  # SYN out, SYN-ACK back
        await asyncio.gather(pump(client_r, up_w, handshake + one_way), pump(up_r, client_w, 0))
        for w in (up_w, client_w):
            w.close()

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", listen)
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


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


def sh(*argv: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(
        list(argv), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )


def docker_push(image: str, repo: str) -> None:
    for tag in TAGS:
        sh("docker", "tag", image, f"{repo}:{tag}")
        sh("docker", "push", "-q", f"{repo}:{tag}")


def untag(repo: str) -> None:
    for tag in TAGS:
        subprocess.run(["docker", "rmi", f"{repo}:{tag}"], capture_output=True)


def our_env(work: Path) -> dict[str, str]:
    """Our processes' environment: no CI variables (the checkout decides), the cache of this
    round; bytecode comes from __pycache__, compiled up front."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIRCLE", "GITHUB", "GITLAB"))}
    env.pop("CI", None)
    env["XDG_CACHE_HOME"] = str(work / "cache")
    return env


def ours(image: str, repo: str, work: Path) -> tuple[int, float]:
    """Publish in a child process; returns its peak RSS in KiB and the seconds publish() took
    (what the publish step of `dockwright run` costs, without starting Python)."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", image, repo],
        check=True,
        capture_output=True,
        text=True,
        env=our_env(work),
    )
    data = json.loads(out.stdout)
    return int(data["maxrss_kib"]), float(data["seconds"])


def checkout(work: Path, repo: str) -> Path:
    """A git checkout with a dockwright.yaml that publishes the 4 tags to ``repo``."""
    src = work / "src"
    src.mkdir()
    tags = "".join(f"      - {{type: raw, value: {json.dumps(t)}}}\n" for t in TAGS)
    (src / "dockwright.yaml").write_text(
        f"version: 1\nimages:\n  app:\n    context: .\n    tags:\n{tags}"
        f"    publish:\n      - repository: {repo}\n        insecure: true\n"
    )
    (src / "Dockerfile").write_text("FROM scratch\n")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    sh(*git, "init", "-q", "-b", "main", str(src))
    sh(*git, "-C", str(src), "add", ".")
    sh(*git, "-C", str(src), "commit", "-q", "-m", "bench")
    return src


def our_cli(image: str, src: Path, work: Path) -> None:
    """The whole `dockwright publish` process, as a user or CI job runs it."""
    subprocess.run(
        [sys.executable, "-m", "dockwright", "publish", "--source", image],
        check=True,
        capture_output=True,
        cwd=src,
        env=our_env(work),
    )


def child(image: str, repo: str) -> None:
    from dockwright.engine.docker import DockerEngine
    from dockwright.publish import Destination, publish

    with DockerEngine() as engine:
        image_id = engine.inspect_image(image).id
        start = time.perf_counter()
        publish(engine, image_id, TAGS, [Destination(repo, insecure=True)])
        seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"maxrss_kib": rss, "seconds": seconds}))


def measure(image: str, runs: int, rtt_ms: float, scratch: Path) -> None:
    re_cli: list[float] = []
    re_call: list[float] = []
    re_docker: list[float] = []
    first_ours: list[float] = []
    first_docker: list[float] = []
    first_skopeo: list[float] = []
    rss: list[int] = []
    for _ in range(runs):
        work = Path(tempfile.mkdtemp(prefix="round-", dir=scratch))
        try:
            with registry(rtt_ms) as reg:
                repo = f"{reg}/ours/app"
                src = checkout(work, repo)

                def first(repo: str = repo, work: Path = work) -> None:
                    rss.append(ours(image, repo, work)[0])

                def again(src: Path = src, work: Path = work) -> None:
                    our_cli(image, src, work)

                first_ours.append(timed(first))
                re_cli.append(timed(again))
                re_call.append(ours(image, repo, work)[1])
            with registry(rtt_ms) as reg:
                first_docker.append(timed(lambda: docker_push(image, f"{reg}/docker/app")))
                re_docker.append(timed(lambda: docker_push(image, f"{reg}/docker/app")))
                untag(f"{reg}/docker/app")
            with registry(rtt_ms) as reg:
                first_skopeo.append(
                    timed(lambda: sh("skopeo", "copy", "-q", "--dest-tls-verify=false",
                                     f"docker-daemon:{image}", f"docker://{reg}/skopeo/app:1.4.2"))
                )  # fmt: skip
        finally:
            shutil.rmtree(work, ignore_errors=True)

    med = statistics.median
    where = f"through a proxy adding {rtt_ms:g} ms RTT" if rtt_ms > 0 else "loopback"
    print(f"-- {where} --")
    print(f"(a) re-publish, 4 tags: `dockwright publish` process {med(re_cli):.3f} s, publish() "
          f"call {med(re_call):.3f} s; docker push {med(re_docker):.3f} s")  # fmt: skip
    print(f"    ratio (process) {med(re_cli) / med(re_docker):.2f}x, ratio (publish step) "
          f"{med(re_call) / med(re_docker):.2f}x (target <= 0.30x)")  # fmt: skip
    print(f"(b) first publish: dockwright {med(first_ours):.2f} s (4 tags), "
          f"docker push {med(first_docker):.2f} s (4 tags), "
          f"skopeo copy {med(first_skopeo):.2f} s (1 tag)")  # fmt: skip
    print(f"    ratio vs docker push {med(first_ours) / med(first_docker):.2f}x, "
          f"vs skopeo {med(first_ours) / med(first_skopeo):.2f}x (target <= 1.00x)")  # fmt: skip
    print(
        f"(c) peak memory (max RSS) of dockwright publish: {max(rss) / 1024:.0f} MB "
        "(target <= 150 MB)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size-mb", type=int, default=250)
    parser.add_argument("--rtt-ms", type=float, default=20.0, help="0: loopback only")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--proxy", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.proxy:
        proxy(int(args.proxy[0]), int(args.proxy[1]), float(args.proxy[2]))
        return
    image = build_image(args.size_mb)
    size = json.loads(
        subprocess.run(
            ["docker", "image", "inspect", image], capture_output=True, check=True
        ).stdout
    )[0]["Size"]
    print(f"image {image}: {size / 1e6:.0f} MB uncompressed; {args.runs} runs each, medians")
    scratch = Path(tempfile.mkdtemp(prefix="dockwright-bench-"))
    try:
        # Bytecode as `pip install` leaves it, compiled before anything is timed.
        import dockwright

        sh(sys.executable, "-m", "compileall", "-q", str(Path(dockwright.__file__).parent))
        measure(image, args.runs, 0, scratch)
        if args.rtt_ms > 0:
            measure(image, args.runs, args.rtt_ms, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
