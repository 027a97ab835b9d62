"""One file's trouble never hides the other files' results in a call over many files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockwright.cli.main import main

GOOD = "FROM debian\nMAINTAINER me\n"
# Malformed JSON forms, as real Dockerfiles (BuildKit's parser tests among them) hold.
MALFORMED_JSON = [
    'FROM a:1\nCMD ["a", "b"\n',
    'FROM a:1\nRUN ["x\n',
    'FROM a:1\nENTRYPOINT ["\\u12"]\n',
    "FROM a:1\nVOLUME [\n",
]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DOCKWRIGHT_CACHE", "off")
    return tmp_path


def test_malformed_json_forms_are_shell_forms(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = []
    for i, text in enumerate(MALFORMED_JSON):
        (workdir / f"bad{i}").write_text(text)
        (workdir / f"good{i}").write_text(GOOD)
        names += [f"bad{i}", f"good{i}"]
    assert main(["lint", "-f", "json", *names]) == 1
    out = capsys.readouterr()
    assert out.err == ""
    found = {(f["file"], f["code"]) for f in json.loads(out.out)}
    for i in range(len(MALFORMED_JSON)):
        assert {(f"good{i}", "DL3006"), (f"good{i}", "DL4000")} <= found
    # a CMD or ENTRYPOINT that is not JSON is shell form (DL3025), as in BuildKit
    assert ("bad0", "DL3025") in found and ("bad2", "DL3025") in found
