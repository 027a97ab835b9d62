from __future__ import annotations

import pytest

from dockwright.dockerfile import parse, parse_bytes
from dockwright.errors import DockerfileParseError


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("FROM a\nRUN <<EOF\necho\n", 2, 5, "unterminated heredoc 'EOF'"),
        ("FROM a\nRUN cat <<A <<B\na\nA\n", 2, 13, "unterminated heredoc 'B'"),
        ("FROM a\n  FOO bar\n", 2, 3, "unknown instruction: FOO"),
        ("FROM a\nRUNX echo\n", 2, 1, "unknown instruction: RUNX"),
        ("FROM a\nRUNNN\n", 2, 1, "unknown instruction: RUNNN (missing whitespace?)"),
        ("FROM\n", 1, 1, "FROM requires either one or three arguments"),
        ("FROM a b\n", 1, 1, "FROM requires either one or three arguments"),
        (
            "FROM a IS b\n",
            1,
            1,
            "FROM with three arguments expects \"AS\" as the second, found 'IS'",
        ),
        ("FROM a\nCOPY --frm=x a b\n", 2, 6, "COPY: unknown flag: --frm"),
        ("FROM a\nCOPY \\\n  --from a b\n", 3, 3, "COPY: missing a value on flag: --from"),
        (
            "FROM a\nCOPY --link=maybe a b\n",
            2,
            6,
            "COPY: expecting boolean value for flag --link, not: maybe",
        ),
        ("FROM a\nRUN --=x echo\n", 2, 5, "RUN: bad flag syntax '--=x'"),
        (
            "FROM a\nCMD [1]\n",
            2,
            5,
            "when using JSON array syntax, arrays must be comprised of strings only",
        ),
        ("FROM a\nENV x\n", 2, 5, "ENV must have two arguments"),
        (
            "FROM a\nENV a=1 b\n",
            2,
            5,
            'Syntax error - can\'t find = in "b". Must be of the form: name=value',
        ),
        ("FROM a\nSHELL /bin/sh -c\n", 2, 1, "SHELL requires the arguments to be in JSON form"),
        ("FROM a\nCOPY onlyone\n", 2, 1, "COPY requires at least two arguments"),
        ("FROM a\nWORKDIR\n", 2, 1, "WORKDIR requires at least one argument"),
        ("FROM a\nHEALTHCHECK CMD\n", 2, 13, "Missing command after HEALTHCHECK CMD"),
        ("FROM a\nHEALTHCHECK NONE x\n", 2, 13, "HEALTHCHECK NONE takes no arguments"),
        ("FROM a\nHEALTHCHECK RUN x\n", 2, 13, 'Unknown type "RUN" in HEALTHCHECK (try CMD)'),
        ("FROM a\nONBUILD\n", 2, 1, "ONBUILD requires at least one argument"),
        ("FROM a\nONBUILD BOGUS x\n", 2, 9, "unknown instruction: BOGUS"),
        ("# escape=x\nFROM a\n", 1, 1, "invalid escape token 'x' does not match ` or \\"),
        ("# escape=`\n# escape=`\nFROM a\n", 2, 1, "only one escape parser directive can be used"),
    ],
)
def test_malformed_input_names_line_and_column(
    text: str, line: int, column: int, message: str
) -> None:
    with pytest.raises(DockerfileParseError) as info:
        parse(text, path="ctx/Dockerfile")
    err = info.value
    assert (err.file, err.line, err.column, err.message) == (
        "ctx/Dockerfile",
        line,
        column,
        message,
    )
    assert str(err) == f"ctx/Dockerfile:{line}:{column}: {message}"


def test_undecodable_bytes_point_at_the_byte() -> None:
    with pytest.raises(DockerfileParseError) as info:
        parse_bytes(b"FROM a\nRUN echo caf\xe9\n", path="Dockerfile")
    assert (info.value.line, info.value.column) == (2, 13)
    assert info.value.message == "expected UTF-8 text, found the byte 0xe9"


def test_utf16_is_refused_clearly() -> None:
    with pytest.raises(DockerfileParseError, match="UTF-16"):
        parse_bytes("FROM a\n".encode("utf-16"))
