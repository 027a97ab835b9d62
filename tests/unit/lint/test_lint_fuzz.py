"""A small, fast version of bench/lint_fuzz.py (no corpus needed): mutated Dockerfiles give
exit 0 or 1 and valid JSON, and a batch reports for each file what the file alone gives."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import random
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockwright.cli.main import main

ROOT = Path(__file__).resolve().parents[3]


def _fuzz_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lint_fuzz", ROOT / "bench" / "lint_fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FUZZ = _fuzz_module()
BASES = [
    b'FROM debian:12 AS build\nWORKDIR /src\nRUN apt-get update && apt-get install -y curl \\\n'
    b'    && rm -rf /var/lib/apt/lists/*\nCOPY --from=build /a /b\nCMD ["curl", "--version"]\n',
    b"# syntax=docker/dockerfile:1\nFROM alpine:3.20\nARG V\nENV A=1 B=\"2 3\"\n"
    b"RUN <<EOF\napk add --no-cache curl=$V\nEOF\nUSER 1000\nHEALTHCHECK CMD true\n",
    b"FROM python:3.12\nONBUILD RUN pip install x | tee log\nLABEL a=b\nEXPOSE 80/tcp\n"
    b'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN cd /x; echo $X\nENTRYPOINT ["x"]\n',
]  # fmt: skip
# ShellCheck takes minutes on some huge scripts (see bench/lint_fuzz.py): huge and deeply
# nested lines go to instructions it does not see.
MUTATIONS = [m for m in FUZZ.MUTATIONS if m.__name__ not in ("huge_line", "deep_json")]


def _huge(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    keyword = rng.choice([b"LABEL a=", b"CMD ", b"# ", b"ENV A=", b"COPY ", b"SHELL "])
    piece = rng.choice([b"[", b"x ", b'"', b"\\\n", b"$A", b"`"])
    return keyword + piece * rng.choice([1000, 50_000]) + b"\n" + data


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    rng = random.Random(draw(st.integers(0, 2**32)))
    data = draw(st.sampled_from(BASES))
    for _ in range(draw(st.integers(1, 4))):
        mutation = draw(st.sampled_from([*MUTATIONS, _huge]))
        data = mutation(data, rng, BASES)
    return bytes(data)


def _lint(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["lint", "-f", "json", *argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(files=st.lists(mutated(), min_size=1, max_size=4))
def test_batch_of_mutated_files(
    files: list[bytes], tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.chdir(tmp_path)
    names = []
    for i, data in enumerate(files):
        (tmp_path / f"f{i}").write_bytes(data)
        names.append(f"f{i}")
    code, out, err = _lint(names)
    assert code in (0, 1) and err == "", err
    batch = json.loads(out)
    for name in names:
        one_code, one_out, one_err = _lint([name])
        assert one_code in (0, 1) and one_err == "", one_err
        assert json.loads(one_out) == [f for f in batch if f["file"] == name]
