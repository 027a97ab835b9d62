"""Our parser against BuildKit's own (the PyPI ``dockerfile`` package wraps its Go parser)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dockwright.dockerfile import Instruction, parse_bytes

dockerfile = pytest.importorskip("dockerfile")


def _bytewise(s: str) -> str:
    # BuildKit scans flag words byte by byte, so non-ASCII text comes out as Latin-1
    # mojibake; we keep the real text and compare in BuildKit's terms.
    return s.encode("utf-8").decode("latin-1")


def _ours(ins: Instruction) -> dict[str, Any]:
    eff = ins.effective
    return {
        "cmd": ins.keyword,
        "sub_cmd": ins.inner.keyword if ins.inner else None,
        "json": eff.json,
        "original": ins.original,
        "start_line": ins.start_line,
        "end_line": ins.end_line,
        # BuildKit's binding reports the outer node's flags only (none for ONBUILD).
        "flags": tuple(_bytewise(f.raw) for f in ins.flags),
        "value": eff.args,
        "heredocs": tuple((h.delimiter, h.fd, h.body) for h in ins.heredocs)
        if ins.inner is None
        else (),
    }


def _theirs(cmd: Any) -> dict[str, Any]:
    return {
        "cmd": cmd.cmd.upper(),
        "sub_cmd": cmd.sub_cmd.upper() if cmd.sub_cmd else None,
        "json": cmd.json,
        "original": cmd.original,
        "start_line": cmd.start_line,
        "end_line": cmd.end_line,
        "flags": tuple(cmd.flags),
        "value": tuple(cmd.value),
        "heredocs": tuple((h.name, h.file_descriptor, h.content) for h in cmd.heredocs),
    }


def _flag_region_is_ascii(ins: Instruction) -> bool:
    # BuildKit reads flag words byte by byte (bytes 0x85 and 0xA0 of a UTF-8 sequence
    # count as spaces there); only compare where that cannot matter.
    line = ins.original.split("\n", 1)[0]
    return line[: line.find(ins.rest) if ins.rest else len(line)].isascii()


def compare(text: str) -> str | None:
    """Assert that both parsers read ``text`` alike; or, without comparing, say why the
    binding cannot be compared on it (callers skip or record that, never pass silently)."""
    mine = parse_bytes(text.encode()).instructions
    if not all(_flag_region_is_ascii(i.effective) and _flag_region_is_ascii(i) for i in mine):
        return "non-ASCII text where BuildKit reads flags byte by byte"
    if any(i.inner is not None and i.inner.keyword == "ONBUILD" for i in mine):
        # BuildKit rejects it later; its binding reports no values for it
        return "ONBUILD ONBUILD"
    ours = [_ours(i) for i in mine]
    try:
        theirs = [_theirs(c) for c in dockerfile.parse_string(text)]
    except UnicodeDecodeError:
        return "the binding cannot hand back BuildKit's byte-mangled flag words"
    assert ours == theirs
    return None


def compare_or_skip(text: str) -> None:
    reason = compare(text)
    if reason is not None:
        pytest.skip(f"not comparable with BuildKit's binding: {reason}")


def test_corpus_matches_buildkit(corpus_file: Path) -> None:
    compare_or_skip(corpus_file.read_bytes().decode("utf-8"))


def test_compare_says_when_it_cannot_compare() -> None:
    assert compare("FROM a\nCOPY --chown=\u00e9 a b\n") == (
        "non-ASCII text where BuildKit reads flags byte by byte"
    )
    assert compare("FROM a\nRUN x\n") is None


@pytest.mark.parametrize(
    "text",
    [
        "FROM a\nRUN a \\\n\n  b\n",
        "FROM a\nRUN a\r\r\nRUN b\n",
        "FROM a\nRUN 3<<EOF cat\nx\nEOF\n",
        "FROM a\nRUN cat <<EOF>/x\nhi\nEOF>/x\n",
        "FROM a\nCOPY <<'E O' /x\nhi\nE O\n",
        "FROM a\nRUN echo \\\n <<EOF\nhi\nEOF\n",
        "FROM a\nRUN <<EOF\nx\n\tEOF\nEOF\n",
        "FROM a\nRUN <<-EOF\n\t\tx\n\tEOF\n",
        'FROM a\nRUN echo "<<EOF"\nRUN echo <<EOF<<X\n',
        'FROM a\nCMD [NaN]\nCMD ["a",]\nCMD ["a"] x\nCMD [ ]\n',
        "#!/bin/sh\n# escape=`\nFROM a\nRUN a \\\n b\n",
        "#  Escape = ` \nFROM a\nRUN a `\n b\n",
        "FROM a\n# escape=`\nRUN a \\\n b\n",
        'FROM a\nLABEL k v w\nENV x=1 y="a b" z=\'c d\'\nARG a="b c" d\n',
        'FROM a\nCOPY --from="x y" --chmod=7\\55 a b\nRUN -- --x\n',
        "FROM a\nRUN a \\",
        "FROM a\nRUN a \\\n# c\n",
        'FROM a\nHEALTHCHECK\tCMD\t["x"]\n',
        'FROM a\nENV a="b\\"c" d=e\\ f\n',
    ],
)
def test_edge_cases_match_buildkit(text: str) -> None:
    compare_or_skip(text)
