"""Every problem of a file at once: one ConfigError, one problem a line, sorted by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.config.nodes import compose
from dockwright.errors import ConfigError, Problem
from dockwright.pipeline.config import load_config


def _load(tmp_path: Path, text: str, *, check_paths: bool = False) -> ConfigError:
    (tmp_path / "dockwright.yaml").write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "dockwright.yaml", check_paths=check_paths)
    assert info.value.exit_code == 2
    return info.value


def test_several_problems_in_one_run(tmp_path: Path) -> None:
    error = _load(
        tmp_path,
        "version: 2\n"
        "images:\n"
        "  hello:\n"
        "    tags:\n"
        "      - {type: sha, format: full}\n"
        "      - {type: semvar}\n"
        "    publish:\n"
        "      - insecure: 'no'\n"
        "  Bad Name: {}\n"
        "timeout: 3\n",
    )
    f = f"{tmp_path}/dockwright.yaml"
    assert str(error) == "\n".join(
        [
            f"7 problems in {f}:",
            f"{f}:1: at version: expected 1; found 2",
            f"{f}:5: at images.hello.tags[0].format: expected one of short, long; found 'full'",
            f"{f}:6: at images.hello.tags[1].type: expected one of edge, match, pep440, raw, "
            "ref, schedule, semver, sha; found 'semvar'",
            f"{f}:8: at images.hello.publish[0]: missing required key 'repository'",
            f"{f}:8: at images.hello.publish[0].insecure: expected true or false; found 'no'",
            f"{f}:9: at images.Bad Name: expected an image name (lowercase letters, digits, '.', "
            "'_', '-'); found 'Bad Name'",
            f"{f}:10: at timeout: unknown key 'timeout'; "
            "expected one of engine, images, jobs, lint, update, version, workflows",
        ]
    )
    assert (error.file, error.line, error.key_path) == (f, 1, "version")
    assert [p.line for p in error.problems] == [1, 5, 6, 8, 8, 9, 10]


def test_schema_and_path_problems_together(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    error = _load(
        tmp_path,
        "version: 1\nimages:\n  a:\n    context: app\n    tests: [s.yaml, 7]\n"
        "    tags: [{type: match, pattern: 'v(\\d+'}]\n"
        "  b:\n    context: nowhere\n  c:\n    context: [x]\n",
        check_paths=True,
    )
    root = tmp_path.resolve()
    f = f"{tmp_path}/dockwright.yaml"
    assert [str(p) for p in error.problems] == [
        f"{f}:3: at images.a.dockerfile: expected an existing file; found no file at "
        f"{root}/app/Dockerfile",
        f"{f}:5: at images.a.tests[0]: expected an existing file; found no file at {root}/s.yaml",
        f"{f}:5: at images.a.tests[1]: expected a non-empty string; found 7",
        f"{f}:6: at images.a.tags[0].pattern: expected a regular expression; found 'v(\\\\d+' "
        "(missing ), unterminated subpattern at position 1)",
        # a missing context: its Dockerfile is not looked for
        f"{f}:8: at images.b.context: expected an existing directory; found no directory at "
        f"{root}/nowhere",
        # a context of the wrong type: nothing is looked for
        f"{f}:10: at images.c.context: expected a non-empty string; found a list",
    ]


def test_every_duplicate_key(tmp_path: Path) -> None:
    error = _load(
        tmp_path, "version: 1\nimages:\n  a: {}\n  a: {}\nversion: 1\nlint:\n  ignored: [x]\n"
    )
    f = f"{tmp_path}/dockwright.yaml"
    assert str(error) == (
        f"2 problems in {f}:\n"
        f"{f}:4: at images.a: duplicate key 'a' (first defined at line 3)\n"
        f"{f}:5: at version: duplicate key 'version' (first defined at line 1)"
    )


def test_a_misspelt_required_key_is_one_problem(tmp_path: Path) -> None:
    error = _load(tmp_path, "version: 1\nimagse: {}\n")
    assert len(error.problems) == 1


def test_compose_raises_duplicates_without_a_list() -> None:
    with pytest.raises(ConfigError) as info:
        compose("a: 1\nb: 2\na: 3\nb: 4\n", "f.yaml")
    assert str(info.value) == (
        "2 problems in f.yaml:\n"
        "f.yaml:3: at a: duplicate key 'a' (first defined at line 1)\n"
        "f.yaml:4: at b: duplicate key 'b' (first defined at line 2)"
    )
    problems: list[Problem] = []
    assert compose("a: 1\na: 2\n", "f.yaml", problems=problems) is not None
    assert [str(p) for p in problems] == [
        "f.yaml:2: at a: duplicate key 'a' (first defined at line 1)"
    ]


def test_problems_of_several_files_sort_by_file_then_line() -> None:
    error = ConfigError.of(
        [
            Problem("z", file="b.yaml", line=1),
            Problem("y", file="a.yaml", line=9, key_path="k"),
            Problem("x", file="a.yaml", line=2),
            Problem("x", file="a.yaml", line=2),
        ]
    )
    assert str(error) == "3 problems:\na.yaml:2: x\na.yaml:9: at k: y\nb.yaml:1: z"
