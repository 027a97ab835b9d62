""".dockerignore with moby's patternmatcher rules (an integration test compares with BuildKit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.pipeline.dockerignore import Matcher, ignore_file, read_patterns


def test_reading_the_file() -> None:
    text = "\ufeff# comment\n  ./node_modules/  \n\n!  /keep//me\n#not a pattern\n/abs\n/\n"
    assert read_patterns(text) == ["node_modules", "!keep/me", "abs", "/"]


CASES = [
    # pattern, path, excluded
    ("node_modules", "node_modules", True),
    ("node_modules", "node_modules/a/b.js", True),  # a directory takes all under it
    ("node_modules", "src/node_modules", False),  # patterns are anchored at the context
    ("*.md", "README.md", True),
    ("*.md", "docs/a.md", False),  # * stops at /
    ("*/*.md", "docs/a.md", True),
    ("**/*.md", "docs/deep/a.md", True),
    ("**/*.md", "a.md", True),
    ("docs/**", "docs/a/b", True),
    ("docs/**", "docs", False),
    ("a/**/b", "a/b", True),
    ("a/**/b", "a/x/y/b", True),
    ("**foo", "x/foo", True),
    ("**foo", "x/yfoo", False),  # as Docker 20.10 reads it (newer versions: a suffix match)
    ("?.txt", "a.txt", True),
    ("?.txt", "ab.txt", False),
    ("[ab].txt", "b.txt", True),
    ("[!a].txt", "!.txt", True),  # Go's regexp reads [!a] as a class of ! and a
    ("file\\*", "file*", True),
    ("a+b(c)", "a+b(c)", True),
    ("build", "build.sh", False),
]


@pytest.mark.parametrize(("pattern", "path", "excluded"), CASES)
def test_one_pattern(pattern: str, path: str, excluded: bool) -> None:
    assert Matcher([pattern]).excluded(path) is excluded


def test_exceptions_and_the_last_match_decides() -> None:
    matcher = Matcher(["*.md", "!README*.md", "README-secret.md", "logs", "!logs/keep.log"])
    assert matcher.excluded("a.md")
    assert not matcher.excluded("README.md")
    assert matcher.excluded("README-secret.md")
    assert matcher.excluded("logs/other.log")
    assert not matcher.excluded("logs/keep.log")
    assert matcher.has_exclusions
    assert not matcher.excluded(".")


def test_a_lone_exclamation_mark_is_an_error() -> None:
    with pytest.raises(ValueError, match='illegal exclusion pattern: "!"'):
        Matcher(["!"])


def test_the_dockerfile_s_own_ignore_file_wins(tmp_path: Path) -> None:
    (tmp_path / "docker").mkdir()
    dockerfile = tmp_path / "docker" / "app.Dockerfile"
    assert ignore_file(tmp_path, dockerfile) is None
    (tmp_path / ".dockerignore").write_text("x\n")
    assert ignore_file(tmp_path, dockerfile) == tmp_path / ".dockerignore"
    (tmp_path / "docker" / "app.Dockerfile.dockerignore").write_text("y\n")
    assert ignore_file(tmp_path, dockerfile) == tmp_path / "docker" / "app.Dockerfile.dockerignore"
