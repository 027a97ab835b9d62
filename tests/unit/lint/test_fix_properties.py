"""Property test: fixing any Dockerfile we parse never crashes, never breaks the parse,
keeps every comment, and reaches a fixed point."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockwright.dockerfile import parse
from dockwright.errors import DockerfileParseError
from dockwright.lint import LintConfig
from dockwright.lint.fixer import fix_text

LINES = [
    "FROM debian:12", "FROM alpine:3.19 AS build", "MAINTAINER a \"b\" $c \\d",
    "maintainer x", "ADD a b /c/", "add --chown=1 a /b", "ADD x.tar.gz /", "ADD https://x/y /z",
    "ADD --checksum=sha256:0 a /b", "CMD python -m app", "CMD a $B", "CMD cd / && x",
    "ENTRYPOINT run.sh --x", "HEALTHCHECK CMD curl -f http://x/", "HEALTHCHECK NONE",
    "SHELL [\"/bin/bash\", \"-c\"]", "RUN apt update && apt install -y x", "RUN apt list",
    "RUN apt-get update && apt-get install -y curl=1", "RUN apt-get update # c",
    "RUN apt-get install -y x &&", "RUN apk add x", "RUN pip install y",
    "RUN python3 -m pip install z", "RUN wget http://x/y", "RUN wget -q http://x",
    "RUN [\"apt-get\", \"install\", \"x\"]", "ONBUILD RUN apt-get install -y m",
    "RUN <<EOF\napt-get update\napt-get install -y jq\nEOF",
    "RUN cat <<EOF > /x\napt-get update\nEOF", "# hadolint ignore=DL3020", "# comment",
    "", "   ", "RUN a \\\n    # inner\n    && apt-get install -y k", "RUN x \\", "\\",
    "RUN echo 'a && b' \"c;d\" && apt-get update", "RUN (apt-get update) && wget x",
    "# escape=`", "RUN apk add `\n  y", "CMD [\"x\"]", "RUN $(apt-get install -y q)",
]  # fmt: skip

files = st.lists(st.sampled_from(LINES), min_size=1, max_size=12).map(
    lambda lines: "\n".join(lines) + "\n"
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=files, unsafe=st.booleans(), crlf=st.booleans())
def test_fixing_is_parse_safe_and_idempotent(text: str, unsafe: bool, crlf: bool) -> None:
    if crlf:
        text = text.replace("\n", "\r\n")
    try:
        before = parse(text)
    except DockerfileParseError:
        assert fix_text(text, "D", LintConfig(), unsafe=unsafe).text == text
        return
    result = fix_text(text, "D", LintConfig(), unsafe=unsafe)
    after = parse(result.text)
    assert [c.text for c in after.comments] == [c.text for c in before.comments]
    assert not fix_text(result.text, "D", LintConfig(), unsafe=unsafe).changed
