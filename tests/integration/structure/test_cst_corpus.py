"""container-structure-test's own test configs (from the corpus) through CST 1.19.1 and through
us, docker and tar drivers, default settings, on images made here like the ones CST's test
script makes (on Debian: no Ubuntu image is reachable offline).

Compared per result: name, verdict and messages (container ids, CST's tar extraction directory
and hostnames masked). Differences we make on purpose (docs/structure-tests.md) are accounted
for: a config CST cannot parse is a usage error here (exit 2) where CST reports a nameless
failing result, and the tar driver checks owners where CST always fails them. Stdout is not
compared: the runc path has no outbound network, so a command that downloads prints otherwise.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support import corpus

from dockwright.engine.base import BuildRequest
from dockwright.engine.docker import DockerEngine

pytestmark = [pytest.mark.integration, pytest.mark.corpus]

BIN = Path(sys.executable).parent
CST = BIN / "container-structure-test"
REPO = "GoogleContainerTools+container-structure-test"
TAG = "dockwright-test/cst-corpus-{}:latest"
BASE = "FROM dockwright.local/debian:bookworm\n"
IMAGES = {  # CST's tests/Dockerfile.* on Debian, and images the other configs describe
    "base": BASE,
    "metadata": BASE + 'ENV SOME_KEY="SOME_VAL" EMPTY_VAR="" FOO_BAR="FOO\\:BAR=BAZ" '
    'REGEX_VAR="test-2.1.8"\nLABEL localnet.localdomain.commit_hash='
    '"0123456789abcdef0123456789abcdef01234567" localnet.my-domain.my-label="my test label" '
    'label-with-empty-val=""\n',
    "unprivileged": BASE + "RUN useradd --create-home --uid 1001 nonroot\nUSER 1001\n",
    "cap": BASE + "RUN apt-get update && apt-get install -y libcap2-bin\n",
    "bazel": BASE + 'ENV ENV=/test\nENTRYPOINT ["/custom_bin"]\nCMD ["--arg1", "--arg2"]\n',
    "fluentbit": BASE + "RUN mkdir -p /fluent-bit/bin && printf '#!/bin/sh\\necho \"Fluent Bit "
    "v4.0.4\"\\n' > /fluent-bit/bin/fluent-bit && chmod 755 /fluent-bit/bin/fluent-bit "
    "&& sed -i '1s|/bin/bash|/sbin/nologin|' /etc/passwd\n",
    "structuretest": BASE + "RUN mkdir /test && printf '#!/bin/sh\\n' > /run.sh "
    "&& chmod 755 /run.sh && touch /test/structure_test\n",
}
_ID = re.compile(r"\b[0-9a-f]{64}\b")
_EXTRACTED = re.compile(r"/tmp/extracttar\d+")


def _image_for(path: str) -> str:
    for needle, image in (
        ("metadata", "metadata"), ("containeropts_user", "unprivileged"),
        ("containeropts_test", "cap"), ("fluent_bit", "fluentbit"), ("bazel/", "bazel"),
        ("structure_test_test", "structuretest"),
    ):  # fmt: skip
        if needle in path:
            return image
    return "base"


def _configs() -> list[tuple[Path, str]]:
    index = corpus.ROOT / "index.tsv"
    if not index.exists():
        return []
    out = []
    for line in index.read_text(encoding="utf-8").splitlines():
        kind, repo, path, blob = line.split("\t")
        if kind == "structure" and repo == REPO:
            found = sorted((corpus.ROOT / kind / repo).glob(blob[:16] + ".*"))
            out += [(found[0], path)] if found else []
    return out


CONFIGS = corpus.sample(_configs(), key=lambda found: found[0].stem)


@pytest.fixture(scope="module")
def images(base_images: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[
    dict[str, tuple[str, str]]
]:  # fmt: skip
    """name -> (daemon tag, `docker save` archive)."""
    root = tmp_path_factory.mktemp("cst-images")
    made: dict[str, tuple[str, str]] = {}
    with DockerEngine() as engine:
        try:
            for name, dockerfile in IMAGES.items():
                (root / name).mkdir()
                (root / name / "Dockerfile").write_text(dockerfile)
                tag = TAG.format(name)
                engine.build(BuildRequest(context=str(root / name), tags=(tag,)))
                saved = root / f"{name}.tar"
                with open(saved, "wb") as handle:
                    engine.save(tag, handle)
                made[name] = (tag, str(saved))
            yield made
        finally:
            for tag, _ in made.values():
                engine.remove_image(tag, force=True)


def _run(tool: Path, argv: list[str], cwd: Path) -> tuple[int, list[tuple[object, ...]], str]:
    env = {**os.environ, "NO_COLOR": "1", "FOO": "keepitsecret!", "BAR": "keepitsafe!"}
    done = subprocess.run([str(tool), *argv], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=900, check=False)  # fmt: skip
    lines = done.stdout.strip().splitlines()
    results = []
    for r in (json.loads(lines[-1]).get("Results") or []) if lines else []:
        errors = tuple(_EXTRACTED.sub("", _ID.sub("<id>", e)) for e in r.get("Errors") or [])
        results.append((r["Name"], r["Pass"], errors))
    return done.returncode, results, done.stderr


@pytest.mark.skipif(not CST.exists(), reason="container-structure-test not installed")
@pytest.mark.parametrize("driver", ["docker", "tar"])
@pytest.mark.parametrize(
    ("config", "origin"), CONFIGS, ids=[f"{c.stem}:{o}" for c, o in CONFIGS] or None
)
def test_same_results_as_cst(
    images: dict[str, tuple[str, str]], tmp_path: Path, config: Path, origin: str, driver: str
) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "envfile").write_text("FOO=keepitsecret!\nBAR=keepitsafe!\n")
    os.makedirs("/tmp/test", exist_ok=True)  # the bind mount source of containeropts_test
    tag, saved = images[_image_for(origin)]
    argv = ["test", "--driver", driver, "--image", tag if driver == "docker" else saved,
            "--config", str(config), "--output", "json"]  # fmt: skip
    cst_code, theirs, _ = _run(CST, argv, tmp_path)
    code, ours, stderr = _run(BIN / "dockwright", argv, tmp_path)
    if theirs and theirs[0][0] == "":  # CST could not parse the config
        assert (cst_code, code) == (1, 2), stderr
        # one problem: "FILE:LINE: ..."; several: "N problems in FILE:" and one per line
        first = stderr.splitlines()[0]
        assert first.startswith(f"dockwright: error: {config}:") or first.endswith(
            f" problems in {config}:"
        ), stderr
        return
    if driver == "tar":  # CST's tar driver cannot tell owners: it fails every uid/gid check
        theirs = [
            (n, True, ()) if e and all(x.startswith("Error checking ownership") for x in e)
            else (n, p, e)
            for n, p, e in theirs
        ]  # fmt: skip
    assert ours == theirs
    assert (code == 0) == (cst_code == 0)
