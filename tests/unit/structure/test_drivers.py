"""Driver semantics that need no engine: the tar driver's command results and schema 1.0.0's
wording and skipping (CST 1.19.1's pkg/types/v1 and v2)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.unit.image.test_layers import M, docker_save, layer

from dockwright.structure.config import load_config
from dockwright.structure.drivers import ArchiveDriver, HostDriver, RunSettings
from dockwright.structure.runner import run_configs

COMMANDS_V2 = """\
schemaVersion: 2.0.0
commandTests:
  - {name: greets, command: sh, args: [-c, "echo hello; echo oops >&2"],
     expectedOutput: [bye], excludedOutput: [hel+o], expectedError: [fine], excludedError: [oops]}
fileExistenceTests:
  - {name: file, path: /f}
"""
COMMANDS_V1 = """\
schemaVersion: 1.0.0
commandTests:
  - name: greets
    command: [sh, -c, "echo hello; echo oops >&2"]
    expectedOutput: [bye]
    excludedOutput: [hel+o]
    expectedError: [fine]
    excludedError: [oops]
fileExistenceTests:
  - {name: file, path: /f}
"""


def _config(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_tar_driver_command_results_are_named_by_the_test(tmp_path: Path) -> None:
    archive = docker_save(tmp_path / "img.tar", [layer([M("f", data=b"x")])])
    settings = RunSettings()
    v2 = load_config(_config(tmp_path, "v2.yaml", COMMANDS_V2))
    v1 = load_config(_config(tmp_path, "v1.yaml", COMMANDS_V1))
    report = run_configs(ArchiveDriver(str(archive), settings), [v2, v1], settings)
    assert [(r.name, r.passed, r.errors) for r in report.results] == [
        (
            "greets",
            False,
            (
                "error in setup: Tar driver is unable to process commands, please use a "
                "different driver",
            ),
        ),
        ("File Existence Test: file", True, ()),
        # 1.0.0: a command test whose setup fails gives no result at all
        ("File Existence Test: file", True, ()),
    ]


def test_schema_1_words_command_failures_without_the_text(tmp_path: Path) -> None:
    metadata = tmp_path / "config.json"
    metadata.write_text(json.dumps({"config": {"Env": ["PATH=/usr/bin:/bin"]}}))
    settings = RunSettings(timeout=30)
    configs = [
        load_config(_config(tmp_path, "v2.yaml", COMMANDS_V2.split("fileExistenceTests")[0])),
        load_config(_config(tmp_path, "v1.yaml", COMMANDS_V1.split("fileExistenceTests")[0])),
    ]
    v2, v1 = run_configs(HostDriver(str(metadata), settings), configs, settings).results
    assert v2.errors == (
        "Expected string 'fine' not found in error 'oops\n'",
        "Excluded string 'oops' found in error 'oops\n'",
        "Expected string 'bye' not found in output 'hello\n'",
        "Excluded string 'hel+o' found in output 'hello\n'",
    )
    assert v1.errors == (
        "Expected string 'fine' not found in error",
        "Excluded string 'oops' found in error",
        "Expected string 'bye' not found in output",
        "Excluded string 'hel+o' found in output",
    )
    assert (v1.name, v1.stdout, v1.stderr) == ("Command Test: greets", "hello\n", "oops\n")
