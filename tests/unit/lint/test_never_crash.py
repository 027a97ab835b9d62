"""Every input ends in findings or a clear error, never a traceback (property-based)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockwright import proc
from dockwright.lint import LintConfig, lint_bytes

SEEDS = [
    "FROM debian:12 AS build\n", "WORKDIR a\n", 'WORKDIR ""\n', "RUN echo $X && cd /tmp\n",
    "RUN <<EOF\necho hi\nEOF\n", "RUN cat <<EOF > /x\nbody\nEOF\n", "# escape=`\n",
    "SHELL [\"pwsh\", \"-c\"]\n", "# hadolint shell=bash\n", "# hadolint ignore=DL3006\n",
    "ONBUILD RUN echo $Y\n", "COPY --from=build /a /b\n", "ENV A=1 B=\"2 3\"\n",
    "ARG V\n", "RUN [\"sh\", \"-c\", \"x\"]\n", "HEALTHCHECK CMD true\n", "LABEL a=b\n",
    "RUN apt-get update \\\n  && apt-get install -y curl\n", "USER root\n", "EXPOSE 80/tcp\n",
]  # fmt: skip
_NOISE = st.sampled_from(["\\", "\n", " ", '"', "'", "[", "]", "<<", "$", "{", "}", "#", "\t",
                          "\r\n", "\x00", "\ufeff", "é", "`", "=", "--", ","])  # fmt: skip


@st.composite
def dockerfiles(draw: st.DrawFn) -> bytes:
    parts = draw(st.lists(st.sampled_from(SEEDS), min_size=1, max_size=8))
    text = "".join(parts)
    for _ in range(draw(st.integers(0, 6))):  # insert, delete or replace a character
        pos = draw(st.integers(0, len(text)))
        noise = draw(_NOISE)
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        if op == "insert":
            text = text[:pos] + noise + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + 1 :]
        else:
            text = text[:pos] + noise + text[pos + len(noise) :]
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfiles())
def test_lint_never_raises(data: bytes) -> None:
    findings = lint_bytes(data, "Dockerfile", LintConfig())
    for f in findings:
        assert f.line >= 1 and f.column >= 1 and f.message


def test_cli_on_odd_files(tmp_path: Path) -> None:
    files = {"a": b"FROM x:1\nWORKDIR a\n", "b": b'WORKDIR ""\n', "c": b"\xff\xfe\x00",
             "d": b"", "e": b"RUN <<EOF\n"}  # fmt: skip
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    res = proc.run(
        [sys.executable, "-m", "dockwright", "lint", "-f", "json", *files],
        check=False,
        cwd=tmp_path,
    )
    assert res.returncode == 1 and "Traceback" not in res.stderr
    found = {(f["file"], f["code"]) for f in json.loads(res.stdout)}
    assert ("a", "DL3000") in found and ("b", "DL3000") in found and ("e", "DL1000") in found
