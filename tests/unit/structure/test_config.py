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
        (
            "commandTests: []\n",
            "s.yaml",
            's.yaml:1: at schemaVersion: expected a schemaVersion ("2.0.0"), found none',
        ),
        (
            "schemaVersion: 3.0.0\n",
            "s.yaml",
            "s.yaml:1: at schemaVersion: unsupported schema version '3.0.0'; "
            "expected one of 1.0.0, 2.0.0",
        ),
        (
            "schemaVersion: 2.0.0\n",
            "s.txt",
            "s.txt: expected a .yaml, .yml or .json structure test file, found extension '.txt'",
        ),
        (
            "schemaVersion: 2.0.0\ncommandTests:\n  - name: c\n    comand: x\n",
            "s.yaml",
            "s.yaml:4: at commandTests[0].comand: unknown key 'comand'; did you mean 'command'?",
        ),
        (
            "schemaVersion: 2.0.0\ncommandTests:\n  - command: x\n",
            "s.yaml",
            "s.yaml:3: at commandTests[0].name: expected a non-empty test name; found none",
        ),
        (
            "schemaVersion: 2.0.0\ncommandTests:\n  - name: c\n",
            "s.yaml",
            "s.yaml:3: at commandTests[0].command: expected a command to run for test 'c'; "
            "found none",
        ),
        (
            "schemaVersion: 2.0.0\ncommandTests:\n  - name: c\n    command: x\n    exitCode: one\n",
            "s.yaml",
            "s.yaml:5: at commandTests[0].exitCode: expected an integer; found 'one'",
        ),
        (
            "schemaVersion: 2.0.0\ncommandTests:\n  - name: c\n    command: x\n"
            "    envVars: [{key: K}]\n",
            "s.yaml",
            "s.yaml:5: at commandTests[0].envVars[0]: expected a non-empty key and value for "
            "every env var; found key 'K', value ''",
        ),
        (
            "schemaVersion: 2.0.0\ncommandTests:\n  - name: c\n    command: x\n    setup: [[]]\n",
            "s.yaml",
            "s.yaml:5: at commandTests[0].setup[0]: expected a non-empty command in setup",
        ),
        (
            "schemaVersion: 2.0.0\nfoo: [\n",
            "s.yaml",
            "s.yaml:3: invalid YAML at column 1: did not find expected node content",
        ),
        (
            '{"schemaVersion": "2.0.0",}',
            "s.json",
            "s.json:1: invalid JSON: Expecting property name enclosed in double quotes: "
            "line 1 column 27 (char 26)",
        ),
        (
            '{"schemaVersion": "2.0.0",\n "fileExistenceTests": [{"name": "f", "path": "/x",\n'
            ' "uid": "0"}]}',
            "s.json",
            "s.json:3: at fileExistenceTests[0].uid: expected an integer; found '0'",
        ),
        (
            "- schemaVersion: 2.0.0\n",
            "s.yaml",
            "s.yaml:1: expected a mapping; found a list",
        ),
    ],
)
def test_errors_name_file_line_and_key(text: str, file: str, expected: str) -> None:
    """One message style for every config: "expected ...; found ..." (the reader of these files
    is the shared config layer)."""
    with pytest.raises(ConfigError) as info:
        parse_config(text, file)
    assert str(info.value) == expected
    assert info.value.exit_code == 2


def test_every_problem_at_once() -> None:
    text = """\
schemaVersion: 2.0.0
commandTests:
  - name: a
    command: echo
    expectedOutput: ["ok", "(unclosed"]
    exitCode: zero
  - command: ls
fileExistenceTests:
  - name: f
    shouldExist: maybe
metadataTest:
  envVars:
    - {key: PATH, value: "[z-a]", isRegex: true}
  exposedPorts: [""]
  workdri: /app
"""
    with pytest.raises(ConfigError) as info:
        parse_config(text, "s.yaml")
    assert str(info.value) == "\n".join(
        [
            "8 problems in s.yaml:",
            "s.yaml:5: at commandTests[0].expectedOutput[1]: expected a regular expression (RE2) "
            "for test 'a'; found '(unclosed' (missing ): (unclosed)",
            "s.yaml:6: at commandTests[0].exitCode: expected an integer; found 'zero'",
            "s.yaml:7: at commandTests[1].name: expected a non-empty test name; found none",
            "s.yaml:9: at fileExistenceTests[0].path: expected a file path for test 'f'; "
            "found none",
            "s.yaml:10: at fileExistenceTests[0].shouldExist: expected true or false; "
            "found 'maybe'",
            "s.yaml:13: at metadataTest.envVars[0].value: expected a regular expression (RE2) "
            "for the metadata test; found '[z-a]' (invalid character class range: z-a)",
            "s.yaml:14: at metadataTest.exposedPorts[0]: expected a non-empty value; found ''",
            "s.yaml:15: at metadataTest.workdri: unknown key 'workdri'; did you mean 'workdir'?",
        ]
    )


def test_regex_errors_name_the_test_for_every_regex_field() -> None:
    text = """\
schemaVersion: 2.0.0
commandTests:
  - name: c
    command: x
    excludedOutput: ["a(?=b)"]
    expectedError: ["["]
    excludedError: ["ok"]
fileContentTests:
  - name: fc
    path: /etc/x
    expectedContents: ["\\\\"]
    excludedContents: ["*"]
metadataTest:
  labels:
    - {key: a, value: "(", isRegex: true}
    - {key: b, value: "(", isRegex: false}
"""
    with pytest.raises(ConfigError) as info:
        parse_config(text, "s.yaml")
    assert [str(p) for p in info.value.problems] == [
        "s.yaml:5: at commandTests[0].excludedOutput[0]: expected a regular expression (RE2) "
        "for test 'c'; found 'a(?=b)' (invalid perl operator: (?=)",
        "s.yaml:6: at commandTests[0].expectedError[0]: expected a regular expression (RE2) "
        "for test 'c'; found '[' (missing ]: [)",
        "s.yaml:11: at fileContentTests[0].expectedContents[0]: expected a regular expression "
        "(RE2) for test 'fc'; found '\\\\' (trailing \\)",
        "s.yaml:12: at fileContentTests[0].excludedContents[0]: expected a regular expression "
        "(RE2) for test 'fc'; found '*' (no argument for repetition operator: *)",
        "s.yaml:15: at metadataTest.labels[0].value: expected a regular expression (RE2) "
        "for the metadata test; found '(' (missing ): ()",
    ]


@pytest.mark.parametrize(
    ("text", "file", "expected"),
    [
        (
            "schemaVersion: 2.0.0\nmetadataTest:\n  user: a\nmetadataTest:\n  user: b\n",
            "s.yaml",
            "s.yaml:4: at metadataTest: duplicate key 'metadataTest' (first defined at line 2)",
        ),
        (
            '{"schemaVersion": "2.0.0",\n "metadataTest": {"user": "a", "user": "b"}}',
            "s.json",
            "s.json:2: at metadataTest.user: duplicate key 'user' (first defined at line 2)",
        ),
    ],
)
def test_duplicate_keys_are_errors_in_yaml_and_json(text: str, file: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, file)
    assert str(info.value) == expected


def test_merge_keys_as_go_yaml_explicit_keys_win() -> None:
    cfg = parse_config(
        "schemaVersion: 2.0.0\nfileExistenceTests:\n"
        "  - &base {name: a, path: /etc, shouldExist: true}\n"
        "  - <<: *base\n    name: b\n    path: /x\n",
        "s.yaml",
    )
    assert [(t.name, t.path, t.should_exist) for t in cfg.file_existence_tests] == [
        ("a", "/etc", True),
        ("b", "/x", True),
    ]


def test_numbers_for_strings_yaml_keeps_text_json_rejects() -> None:
    cfg = parse_config(
        "schemaVersion: 2.0.0\ncommandTests:\n  - name: 1.10\n    command: true\n"
        "    args: [1.10, 007, ~]\n",
        "s.yaml",
    )
    (c,) = cfg.command_tests
    assert (c.name, c.command, c.args) == ("1.10", "true", ("1.10", "007", ""))
    with pytest.raises(ConfigError) as info:
        parse_config(
            '{"schemaVersion": "2.0.0", "fileExistenceTests": [{"name": "a", "path": "/",\n'
            '"permissions": 7}]}',
            "s.json",
        )
    assert str(info.value) == (
        "s.json:2: at fileExistenceTests[0].permissions: expected a string; found 7"
    )


def test_keys_with_no_value_are_not_set() -> None:
    cfg = parse_config(
        "schemaVersion: 2.0.0\nfileExistenceTests:\n  - name: f\n    path: /x\n"
        "    shouldExist:\n    uid:\nmetadataTest:\n  cmd:\n  entrypoint: []\n"
        "containerRunOptions:\ncommandTests:\n",
        "s.yaml",
    )
    (f,) = cfg.file_existence_tests
    assert (f.should_exist, f.uid) == (True, -1)
    assert cfg.metadata_test.cmd is None and cfg.metadata_test.entrypoint == ()
    assert cfg.command_tests == ()


def test_timeout_extension() -> None:
    cfg = parse_config(
        "schemaVersion: 2.0.0\ncommandTests:\n  - {name: c, command: x, timeout: 2}\n", "s.yaml"
    )
    assert cfg.command_tests[0].timeout == 2.0
    with pytest.raises(ConfigError) as info:
        parse_config(
            "schemaVersion: 2.0.0\ncommandTests:\n  - {name: c, command: x, timeout: 0}\n",
            "s.yaml",
        )
    assert str(info.value) == (
        "s.yaml:3: at commandTests[0].timeout: expected a positive number of seconds; found 0"
    )


def test_json_without_yaml_positions_still_loads() -> None:
    """JSON the YAML composer reads differently (an exponent) is read without line numbers."""
    cfg = parse_config(
        '{"schemaVersion": "2.0.0", "commandTests": [{"name": "c", "command": "x",'
        ' "timeout": 1e1}]}',
        "s.json",
    )
    assert cfg.command_tests[0].timeout == 10.0
