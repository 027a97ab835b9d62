"""Leaving the ``export`` line out of a script that cannot refer to a variable changes
nothing ShellCheck says: checked with the real ShellCheck on every RUN of the fixtures,
the parser corpus, the benchmark corpus and some hand-written commands."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from dockwright.dockerfile import parse, parse_bytes
from dockwright.errors import DockerfileParseError
from dockwright.lint import scripts, shellcheck
from dockwright.lint.rule import shell_text

ROOT = Path(__file__).resolve().parents[3]
FILES = sorted((ROOT / "tests" / "fixtures").glob("*/*.Dockerfile"))
EXPORTS = "export " + " ".join(f"{v}=1" for v in sorted(scripts.PROXY_VARS | {"VERSION"})) + "\n"

HAND_WRITTEN = [
    "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
    "ls -la /; echo done > /tmp/x 2>&1",
    "cd /app && make && make install",
    "echo HTTP_PROXY https_proxy VERSION",
    "cp -r src dst || true",
    "grep -q foo /etc/passwd | wc -l",
    "if true; then echo a; fi",
    "for f in a b c; do echo f; done",
    "useradd -m app && chown app /home/app",
    "echo 'single $HOME' \"double\"",
    "case x in a) echo a;; esac",
    "while false; do :; done",
    "echo ~/x *.txt",
    "rm -rf /tmp/* /var/tmp/*",
    "ln -s /bin/sh /bin/ash",
    "pip install flask && npm ci",
]


def _corpus_texts() -> list[str]:
    spec = importlib.util.spec_from_file_location("lint_corpus", ROOT / "bench" / "lint_corpus.py")
    assert spec is not None and spec.loader is not None
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    rng = random.Random(7)
    return [corpus.dockerfile(rng, i) for i in range(150)]


def _run_texts() -> list[str]:
    sources = [p.read_bytes() for p in FILES] + [t.encode() for t in _corpus_texts()]
    texts: set[str] = set(HAND_WRITTEN)
    for source in sources:
        try:
            df = parse_bytes(source)
        except DockerfileParseError:
            continue
        for ins in df.instructions:
            run = ins.inner if ins.inner is not None else ins
            if run.keyword == "RUN" and not run.json:
                texts.add(shell_text(run))
    return sorted(texts)


def test_no_exports_without_a_possible_reference() -> None:
    [use] = scripts.collect(parse("FROM a\nARG VERSION\nRUN apt-get install -y curl\n"))
    assert use.script == "#!/bin/sh\napt-get install -y curl"
    [use] = scripts.collect(parse("FROM a\nARG VERSION\nRUN echo $VERSION\n"))
    assert use.script.splitlines()[1] == EXPORTS.rstrip("\n")


@pytest.mark.parametrize("shell", ["/bin/sh", "/bin/bash"])
def test_shellcheck_says_the_same_without_exports(
    shell: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKWRIGHT_CACHE", "off")
    texts = [t for t in _run_texts() if not scripts.may_refer_to_variables(t)]
    assert len(texts) > 100
    pairs = [(f"#!{shell}\n{EXPORTS}{t}", f"#!{shell}\n{t}") for t in texts]
    found = shellcheck.check([s for pair in pairs for s in pair])
    differ = []
    for (with_exports, without), text in zip(pairs, texts, strict=True):
        said = [(c.code, c.level, c.message, c.line - 1, c.column) for c in found[with_exports]]
        plain = [(c.code, c.level, c.message, c.line, c.column) for c in found[without]]
        if said != plain:
            differ.append((text, said, plain))
    assert not differ
