"""Loading only the rules that can fire (each entry of codes.ENTRIES: on, words, twice, flag,
needs, off; read by dockwright.lint.triggers) finds
exactly what running every rule finds: on every fixture, the parser corpus, the benchmark's
generated corpus and generated instruction mixes, under the default config and under one
that turns every config-gated rule on."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockwright.dockerfile import KEYWORDS, Dockerfile, parse, parse_bytes
from dockwright.errors import DockerfileParseError
from dockwright.lint import LintConfig, codes, lint_dockerfile, triggers
from dockwright.lint.config import load_config
from dockwright.lint.model import Finding, Severity

from .hadolint_oracle import fixture_config

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures"
FILES = sorted((FIXTURES / "lint").glob("*.Dockerfile")) + sorted(
    (FIXTURES / "dockerfiles").glob("*.Dockerfile")
)

LABELS = (
    ("maintainer", "email"), ("org.opencontainers.image.source", "url"),
    ("org.opencontainers.image.created", "rfc3339"), ("license", "spdx"),
    ("org.opencontainers.image.licenses", "spdx"), ("revision", "hash"),
    ("org.opencontainers.image.revision", "hash"), ("version", "semver"),
    ("org.opencontainers.image.version", "semver"), ("description", "text"),
    ("url", "url"), ("email", "email"), ("a", "text"),
)  # fmt: skip

# Every config-gated rule on, the rules that are off by default named by an override.
ALL_ON = LintConfig(
    trusted_registries=("docker.io", "*.example.com"),
    label_schema=LABELS,
    strict_labels=True,
    overrides=((Severity.INFO, frozenset(e.code for e in codes.ENTRIES if e.off)),),
)
CONFIGS = {"default": LintConfig(), "all-on": ALL_ON}


def _findings(df: Dockerfile, config: LintConfig) -> tuple[list[Finding], list[Finding]]:
    keyed = lint_dockerfile(df, config, shellcheck=False)  # rules chosen by the tables
    every = lint_dockerfile(df, config, codes.all_rules(), shellcheck=False)
    return keyed, every


def _why(df: Dockerfile, config: LintConfig, every: list[Finding]) -> list[str]:
    facts = triggers.facts_of(df)
    return sorted(
        {f"{f.code} fired at line {f.line}" for f in every}
        - {
            f"{f.code} fired at line {f.line}"
            for f in every
            if triggers.can_fire(f.code, facts, config)
        }
    )


def _assert_same(df: Dockerfile, config: LintConfig) -> None:
    keyed, every = _findings(df, config)
    assert keyed == every, _why(df, config, every)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
@pytest.mark.parametrize("config_name", sorted(CONFIGS))
def test_fixtures_and_corpus(path: Path, config_name: str) -> None:
    try:
        df = parse_bytes(path.read_bytes(), path=str(path))
    except DockerfileParseError:
        pytest.skip("does not parse: only DL1000 is reported")
    config = CONFIGS[config_name]
    own = fixture_config(path)
    if own is not None and config_name == "default":
        config = load_config(own)
    _assert_same(df, config)


def _bench_corpus() -> object:
    spec = importlib.util.spec_from_file_location("lint_corpus", ROOT / "bench" / "lint_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_corpus() -> None:
    corpus = _bench_corpus()
    rng = random.Random(20240611)
    for i in range(300):
        df = parse(corpus.dockerfile(rng, i), path=f"app{i}/Dockerfile")  # type: ignore[attr-defined]
        for config in CONFIGS.values():
            _assert_same(df, config)


# One instruction of each kind, bad habits included, to combine freely (ONBUILD too).
PIECES = [
    "FROM debian:latest AS build\n", "FROM build AS scratch\n", "FROM --platform=linux/amd64 x\n",
    "USER root\n", "USER app\n", "WORKDIR app\n", "EXPOSE 99999\n", "HEALTHCHECK CMD curl x\n",
    "HEALTHCHECK NONE\n", "ADD a.txt /a\n", "ADD https://x/y.tgz /y\n", "COPY a b c\n",
    "COPY --from=nope / /\n", "COPY --from=build x y\n", "COPY a.tar.gz /tmp/\n", "CMD run x\n",
    "ENTRYPOINT run x\n", "ENV A=$A B=1\n", "ENV PASSWORD=x\n", "ARG TOKEN\n", "LABEL a=\"\"\n",
    "LABEL Bad_Key=1 url=nope version=x\n", "MAINTAINER me\n", "SHELL [\"/bin/sh\", \"-c\"]\n",
    "RUN cd /x && sudo apt-get install curl | tar -xf a.tar.gz\n", "RUN pip install flask\n",
    "RUN apk add curl && wget x && curl y\n", "RUN useradd -u 1234567 app\n",
    "ONBUILD RUN apt-get update && npm install x\n", "ONBUILD ONBUILD RUN x\n",
    "ONBUILD COPY --from=x a b\n", "ONBUILD ENV SECRET=1\n", "ONBUILD MAINTAINER me\n",
    "# hadolint ignore=DL3006\n", "# a comment\n", "STOPSIGNAL 9\n", "VOLUME /v\n",
    "RUN yum install x && dnf install y && zypper install z && gem install q && go install r\n",
    # command names hidden from a plain text search by quotes, escapes and continuations
    "RUN a'p't-get install x && \"pi\"p install y && s\\udo z\n", "RUN ap\\\nt-get update\n",
    "RUN <<EOF\nyum install x\nuseradd -u 99999999 a && l\\\nn -s /bin/bash /bin/sh\nEOF\n",
    "ONBUILD RUN w\"g\"et x | t''ar -x\n", "RUN microdnf install q && y'a'rn install\n",
    # flags and repeated instructions some rules need
    "FROM --platform=$TARGETPLATFORM y AS t\n", "FROM --platform=${BUILDPLATFORM} z\n",
    "COPY --from=build / /\n", "ONBUILD COPY --from=t / /\n", "ONBUILD CMD x\n",
    "ONBUILD HEALTHCHECK NONE\n", "ENTRYPOINT [\"e\"]\n", "CMD [\"c\"]\n", "RUN one\n",
]  # fmt: skip


@pytest.mark.parametrize("piece", PIECES)
def test_each_piece_after_a_from(piece: str) -> None:
    try:
        df = parse("FROM debian:12\n" + piece)
    except DockerfileParseError:
        return  # ONBUILD ONBUILD: only DL1000
    for config in CONFIGS.values():
        _assert_same(df, config)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=7))
def test_generated_mixes(pieces: list[str]) -> None:
    try:
        df = parse("".join(pieces))
    except DockerfileParseError:
        return
    for config in CONFIGS.values():
        _assert_same(df, config)


def test_every_rule_is_keyed() -> None:
    for entry in codes.ENTRIES:
        assert entry.on, entry.code
        assert entry.on is codes.ALWAYS or set(entry.on) <= KEYWORDS, entry.code
        assert entry.needs is None or entry.needs in LintConfig.__slots__, entry.code
    off = {code for code in codes.RULES if codes.load(code).severity is Severity.IGNORE}
    assert off == {e.code for e in codes.ENTRIES if e.off} == {"DL1001", "DL3057"}


def test_every_run_word_rule_is_keyed_by_run() -> None:
    assert all(e.on == ("RUN",) for e in codes.ENTRIES if e.words)
    # what is asked of repeated and flagged instructions needs instructions to ask it of
    assert all(e.on is not codes.ALWAYS for e in codes.ENTRIES if e.twice or e.flag)


def test_repeated_instructions_and_flags_are_asked_for() -> None:
    one = parse('FROM debian:12\nRUN apt-get install x\nCMD ["x"]\n')
    loaded = {r.code for r in triggers.rules_for([one], LintConfig())}
    assert not loaded & {"DL3059", "DL4003", "DL3024", "DL3029", "DL3065"}
    two = parse(
        "FROM --platform=$TARGETPLATFORM a:1 AS x\nRUN a\nRUN b\nCMD a\nFROM b:1 AS x\n"
        "CMD b\nCOPY --from=x / /\n"
    )
    loaded = {r.code for r in triggers.rules_for([two], LintConfig())}
    assert {"DL3059", "DL4003", "DL3024", "DL3029", "DL3065", "DL3067"} <= loaded
    # a keyword once in each of two files is in neither twice
    other = parse('FROM debian:12\nRUN b\nCMD ["y"]\n')
    loaded = {r.code for r in triggers.rules_for([one, other], LintConfig())}
    assert not loaded & {"DL3059", "DL4003", "DL3024"}


def test_only_what_can_fire_is_loaded() -> None:
    df = parse('FROM debian:12\nRUN apt-get install x\nUSER 1000\nCMD ["x"]\n')
    loaded = {r.code for r in triggers.rules_for([df], LintConfig())}
    assert {"DL3006", "DL3008", "DL3027", "DL3002", "DL3061"} <= loaded
    assert not loaded & {"DL3020", "DL3048", "DL3049", "DL3051", "DL3026", "DL1001", "DL4000"}
    # one RUN and one CMD: the rules about repeated ones cannot fire
    assert not loaded & {"DL3059", "DL4003"}
    # RUN rules load only for a RUN naming their command
    assert not loaded & {"DL3013", "DL3018", "DL3033", "DL3004", "DL4006", "DL3062"}
    pip = parse("FROM debian:12\nRUN python3 -m pip install x | tee log\n")
    loaded = {r.code for r in triggers.rules_for([pip], LintConfig())}
    assert {"DL3013", "DL3042", "DL4006"} <= loaded and "DL3008" not in loaded
    ignored = triggers.rules_for([df], LintConfig(ignored=frozenset({"DL3006"})))
    assert "DL3006" not in {r.code for r in ignored}
