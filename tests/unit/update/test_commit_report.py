"""Commit messages, one commit per update or group in a real git checkout, and reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockwright.errors import UsageError
from dockwright.proc import run
from dockwright.update.commit import commit_updates, message, subject, units
from dockwright.update.deps import Dependency
from dockwright.update.plan import Outcome, Plan, Update
from dockwright.update.report import diff, to_json, unified_diff
from dockwright.update.rewrite import Edit

OLD = "sha256:" + "1" * 64
NEW = "sha256:" + "abcdef0" + "2" * 57


def dep(name: str, value: str, *, line: int = 1, datasource: str = "docker",
        digest: str | None = None, start: int = 0) -> Dependency:  # fmt: skip
    return Dependency(
        file="Dockerfile",
        line=line,
        kind="from",
        dep_type="final",
        datasource=datasource,
        name=name,
        package=name,
        value=value,
        digest=digest,
        value_locs=tuple(("Dockerfile", start + i) for i in range(len(value))),
    )


def update(d: Dependency, kind: str, value: str, digest: str | None = None,
           group: str | None = None, edits: tuple[Edit, ...] = ()) -> Update:  # fmt: skip
    return Update(d, kind, value, digest, edits, group)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("u", "expected"),
    [
        (update(dep("python", "3.12-slim"), "minor", "3.13-slim"), "Update python Docker tag to v3.13"),
        (update(dep("node", "20-alpine"), "major", "22-alpine"), "Update node Docker tag to v22"),
        (update(dep("python", "3.12", digest=OLD), "digest", "3.12", NEW),
         "Update python:3.12 Docker digest to abcdef0"),
        (update(dep("python", "3.12"), "pin", "3.12", NEW), "Pin python Docker tag to abcdef0"),
        (update(dep("poetry", "1.8.3", datasource="pypi"), "patch", "1.8.4"),
         "Update dependency poetry to v1.8.4"),
        (update(dep("hadolint/hadolint", "v2.12.0", datasource="github-releases"), "minor",
                "v2.13.0"), "Update dependency hadolint/hadolint to v2.13.0"),
    ],
)  # fmt: skip
def test_subjects_in_renovate_words(u: Update, expected: str) -> None:
    assert subject([u]) == expected


def test_message_lists_old_and_new() -> None:
    a = update(dep("python", "3.12", line=3), "minor", "3.13", NEW)
    b = update(dep("node", "20", line=5, digest=OLD), "major", "22", NEW)
    assert message([a, b], "base-images") == (
        "Update base-images\n"
        "\n"
        "- python 3.12 → 3.13@sha256:abcdef022222 (Dockerfile:3)\n"
        "- node 20@sha256:111111111111 → 22@sha256:abcdef022222 (Dockerfile:5)\n"
    )


def test_units_join_shared_edits_and_groups() -> None:
    shared = Edit("Dockerfile", 8, 11, "1.1")
    a = update(dep("a", "1.0"), "minor", "1.1", edits=(shared,))
    b = update(dep("b", "1.0"), "minor", "1.1", edits=(shared,))
    c = update(dep("c", "1"), "major", "2", group="g", edits=(Edit("Dockerfile", 30, 31, "2"),))
    d = update(dep("d", "1"), "major", "2", group="g", edits=(Edit("Dockerfile", 40, 41, "2"),))
    assert [
        (g, [u.dependency.name for u in us]) for g, us in units([a, b, c, d], by_group=True)
    ] == [
        (None, ["a", "b"]),
        ("g", ["c", "d"]),
    ]
    assert len(units([c, d], by_group=False)) == 2


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key, value in {
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.com",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.com",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        monkeypatch.setenv(key, value)
    run(["git", "init", "-q", "-b", "main"], cwd=tmp_path)
    (tmp_path / "Dockerfile").write_text("FROM a:1.0\nFROM b:2.0\n")
    run(["git", "add", "Dockerfile"], cwd=tmp_path)
    run(["git", "commit", "-qm", "init"], cwd=tmp_path)
    return tmp_path


def _two_updates() -> list[Update]:
    a = dep("a", "1.0", start=7)
    b = dep("b", "2.0", start=18, line=2)
    return [
        update(a, "minor", "1.1", edits=(Edit("Dockerfile", 7, 10, "1.1"),)),
        update(b, "major", "3.0", edits=(Edit("Dockerfile", 18, 21, "3.0"),)),
    ]


def test_one_commit_per_update(checkout: Path) -> None:
    original = (checkout / "Dockerfile").read_text()
    commits = commit_updates(
        checkout,
        {"Dockerfile": original},
        _two_updates(),
        by_group=True,
        write=lambda f, t: (checkout / f).write_text(t),
    )
    assert len(commits) == 2
    log = run(["git", "log", "--format=%s%n%b--", "-2"], cwd=checkout).stdout
    assert log == (
        "Update b Docker tag to v3\n- b 2.0 → 3.0 (Dockerfile:2)\n--\n"
        "Update a Docker tag to v1.1\n- a 1.0 → 1.1 (Dockerfile:1)\n--\n"
    )
    assert run(["git", "show", "HEAD~1:Dockerfile"], cwd=checkout).stdout == (
        "FROM a:1.1\nFROM b:2.0\n"
    )
    assert (checkout / "Dockerfile").read_text() == "FROM a:1.1\nFROM b:3.0\n"
    assert run(["git", "status", "--porcelain"], cwd=checkout).stdout == ""


def test_one_commit_per_group(checkout: Path) -> None:
    updates = [
        Update(u.dependency, u.update_type, u.new_value, u.new_digest, u.edits, "base")
        for u in _two_updates()
    ]
    commit_updates(
        checkout,
        {"Dockerfile": (checkout / "Dockerfile").read_text()},
        updates,
        by_group=True,
        write=lambda f, t: (checkout / f).write_text(t),
    )
    log = run(["git", "log", "--format=%s%n%b--", "-1"], cwd=checkout).stdout
    assert log == ("Update base\n- a 1.0 → 1.1 (Dockerfile:1)\n- b 2.0 → 3.0 (Dockerfile:2)\n--\n")


def test_refuses_uncommitted_changes(checkout: Path) -> None:
    (checkout / "Dockerfile").write_text("FROM a:1.0\nFROM b:2.0\n# local edit\n")
    with pytest.raises(UsageError) as info:
        commit_updates(checkout, {"Dockerfile": ""}, _two_updates(), by_group=True,
                       write=lambda f, t: None)  # fmt: skip
    assert str(info.value) == ("--commit: uncommitted changes in Dockerfile; commit or stash them")


def test_commit_outside_a_checkout_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        commit_updates(tmp_path, {}, _two_updates(), by_group=True, write=lambda f, t: None)
    assert str(info.value) == (
        "--commit needs a git checkout: fatal: not a git repository (or any of the parent "
        "directories): .git"
    )


def test_a_failing_git_commit_says_where_it_stopped(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_AUTHOR_NAME", "")  # git refuses an empty name
    with pytest.raises(UsageError) as info:
        commit_updates(
            checkout,
            {"Dockerfile": (checkout / "Dockerfile").read_text()},
            _two_updates(),
            by_group=True,
            write=lambda f, t: (checkout / f).write_text(t),
        )
    assert str(info.value) == (
        "--commit: git commit failed after 0 commit(s), with Dockerfile rewritten: "
        "fatal: empty ident name (for <dev@example.com>) not allowed"
    )


def test_unified_diff_marks_a_missing_final_newline() -> None:
    assert unified_diff("Dockerfile", "FROM a:1", "FROM a:2") == (
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1 +1 @@\n"
        "-FROM a:1\n\\ No newline at end of file\n"
        "+FROM a:2\n\\ No newline at end of file\n"
    )
    assert diff({"x": "same\n"}, {"x": "same\n"}) == ""


def test_json_report() -> None:
    a = update(dep("python", "3.12"), "minor", "3.13", edits=(Edit("Dockerfile", 12, 16, "3.13"),))
    skipped = Outcome(dep("busybox", "latest", line=2), "skipped", "not-a-version")
    doc = to_json(Plan((a,), (skipped,)), written=True)
    assert json.loads(json.dumps(doc)) == {
        "changed": True,
        "written": True,
        "updates": [
            {
                "file": "Dockerfile",
                "line": 1,
                "kind": "from",
                "dep-type": "final",
                "datasource": "docker",
                "name": "python",
                "package": "python",
                "update-type": "minor",
                "from": {"value": "3.12", "digest": None},
                "to": {"value": "3.13", "digest": None},
                "group": None,
                "files": ["Dockerfile"],
            }
        ],
        "current": [],
        "skipped": [
            {
                "file": "Dockerfile",
                "line": 2,
                "kind": "from",
                "datasource": "docker",
                "name": "busybox",
                "value": "latest",
                "digest": None,
                "reason": "not-a-version",
            }
        ],
        "failed": [],
    }
