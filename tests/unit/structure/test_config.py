from __future__ import annotations

import pytest

from dockwright.errors import ConfigError
from dockwright.structure.config import parse_config


def test_yaml_defaults_and_fields() -> None:
    cfg = parse_config(
        """\
schemaVersion: 2.0.0
commandTests:
  - name: c
    command: echo
    args: [a, 1]
    setup: [[touch, /x]]
    envVars: [{key: K, value: V}]
fileExistenceTests:
  - name: f
    path: /etc
metadataTest:
  cmd: []
""",
        "s.yaml",
    )
    (c,) = cfg.command_tests
    assert (c.command, c.args, c.setup, c.exit_code) == ("echo", ("a", "1"), (("touch", "/x"),), 0)
    (f,) = cfg.file_existence_tests
    assert (f.should_exist, f.uid, f.gid) == (True, -1, -1)
    assert cfg.metadata_test.cmd == () and cfg.metadata_test.entrypoint is None
    assert cfg.test_count == 3


def test_json_defaults_differ_and_unknown_keys_pass() -> None:
    cfg = parse_config(
        '{"schemaVersion": "2.0.0", "extra": 1,\n'
        ' "fileExistenceTests": [{"name": "f", "path": "/x"}]}',
        "s.json",
    )
    (f,) = cfg.file_existence_tests
    assert (f.should_exist, f.uid, f.gid) == (False, 0, 0)


def test_schema_1_command_list() -> None:
    cfg = parse_config(
        "schemaVersion: 1.0.0\ncommandTests:\n  - name: c\n    command: [ls, -l]\n", "s.yml"
    )
    assert (cfg.command_tests[0].command, cfg.command_tests[0].args) == ("ls", ("-l",))


@pytest.mark.parametrize(
    ("text", "file", "expected"),
    [
        ("commandTests: []\n", "s.yaml", "s.yaml:1: at schemaVersion: expected a schemaVersion"),
        ("schemaVersion: 3.0.0\n", "s.yaml", "s.yaml:1: at schemaVersion: unsupported schema"),
        ("schemaVersion: 2.0.0\n", "s.txt", "s.txt: expected a .yaml, .yml or .json"),
        (
            "schemaVersion: 2.0.0\ncommandTests:\n  - name: c\n    comand: x\n",
            "s.yaml",
            "s.yaml:4: at commandTests[0].comand: unknown key 'comand'",
        ),
        (
            "schemaVersion: 2.0.0\ncommandTests:\n  - command: x\n",
            "s.yaml",
            "s.yaml:3: at commandTests[0].name: expected a non-empty test name",
        ),
        (
            "schemaVersion: 2.0.0\ncommandTests:\n  - name: c\n",
            "s.yaml",
            "s.yaml:3: at commandTests[0].command: expected a command to run for test 'c'",
        ),
        (
            "schemaVersion: 2.0.0\ncommandTests:\n  - name: c\n    command: x\n    exitCode: one\n",
            "s.yaml",
            "s.yaml:5: at commandTests[0].exitCode: expected an integer, found str 'one'",
        ),
        (
            "schemaVersion: 2.0.0\ncommandTests:\n  - name: c\n    command: x\n"
            "    envVars: [{key: K}]\n",
            "s.yaml",
            "s.yaml:5: at commandTests[0].envVars[0]: expected a non-empty key and value",
        ),
        (
            "schemaVersion: 2.0.0\ncommandTests:\n  - name: c\n    command: x\n    setup: [[]]\n",
            "s.yaml",
            "s.yaml:5: at commandTests[0].setup[0]: expected a non-empty command",
        ),
        ("schemaVersion: 2.0.0\nfoo: [\n", "s.yaml", "s.yaml:3: expected valid YAML"),
        ('{"schemaVersion": "2.0.0",}', "s.json", "s.json:1: expected valid JSON"),
        (
            '{"schemaVersion": "2.0.0",\n "fileExistenceTests": [{"name": "f", "path": "/x",\n'
            ' "uid": "0"}]}',
            "s.json",
            "s.json:3: at fileExistenceTests[0].uid: expected an integer",
        ),
    ],
)
def test_errors_name_file_line_and_key(text: str, file: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, file)
    assert str(info.value).startswith(expected), str(info.value)
    assert info.value.exit_code == 2
