"""``dockwright tags`` end to end against a real temporary git checkout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockwright.cli.main import main
from dockwright.proc import run

CI_VARS = ("GITHUB_ACTIONS", "GITHUB_REF", "GITLAB_CI", "CI_COMMIT_SHA", "CIRCLECI", "CIRCLE_SHA1")

CONFIG = """\
version: 1
images:
  hello:
    tags:
      - {type: semver, pattern: "{{version}}"}
      - {type: semver, pattern: "{{major}}"}
      - {type: sha}
    publish:
      - repository: 127.0.0.1:5000/acme/hello
        insecure: true
      - repository: ghcr.io/acme/hello
    labels: {org.opencontainers.image.vendor: Acme}
  other:
    tags: [{type: raw, value: fixed}]
"""


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in CI_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    for key, value in {
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.com",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.com",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    run(["git", "init", "-q", "-b", "main"])
    Path("Dockerfile").write_text("FROM scratch\n")
    run(["git", "add", "Dockerfile"])
    run(["git", "commit", "-q", "-m", "first"])
    run(["git", "tag", "v1.4.0"])
    return run(["git", "rev-parse", "HEAD"]).stdout.strip()


def test_json_for_one_image(checkout: str, capsys: pytest.CaptureFixture[str]) -> None:
    Path("dockwright.yaml").write_text(CONFIG)
    assert main(["tags", "hello", "--format", "json"]) == 0
    short = checkout[:7]
    assert json.loads(capsys.readouterr().out) == {
        "tags": [
            "127.0.0.1:5000/acme/hello:1.4.0",
            "127.0.0.1:5000/acme/hello:1",
            f"127.0.0.1:5000/acme/hello:sha-{short}",
            "127.0.0.1:5000/acme/hello:latest",
            "ghcr.io/acme/hello:1.4.0",
            "ghcr.io/acme/hello:1",
            f"ghcr.io/acme/hello:sha-{short}",
            "ghcr.io/acme/hello:latest",
        ],
        "tag-names": ["1.4.0", "1", f"sha-{short}", "latest"],
        "labels": {
            "org.opencontainers.image.created": "2026-01-01T00:00:00.000Z",
            "org.opencontainers.image.revision": checkout,
            "org.opencontainers.image.title": "hello",
            "org.opencontainers.image.vendor": "Acme",
            "org.opencontainers.image.version": "1.4.0",
        },
        "label-sources": {
            "org.opencontainers.image.created": "inferred",
            "org.opencontainers.image.revision": "inferred",
            "org.opencontainers.image.title": "inferred",
            "org.opencontainers.image.vendor": "dockwright.yaml",
            "org.opencontainers.image.version": "inferred",
        },
        "version": "1.4.0",
    }


def test_text_for_all_images(checkout: str, capsys: pytest.CaptureFixture[str]) -> None:
    Path("dockwright.yaml").write_text(CONFIG)
    assert main(["tags"]) == 0
    short = checkout[:7]
    assert capsys.readouterr().out.splitlines() == [
        f"context: git ref=refs/tags/v1.4.0 sha={short}",
        "hello",
        "  version: 1.4.0",
        "  tags:",
        "    1.4.0",
        "    1",
        f"    sha-{short}",
        "    latest",
        "  refs:",
        "    127.0.0.1:5000/acme/hello:1.4.0",
        "    127.0.0.1:5000/acme/hello:1",
        f"    127.0.0.1:5000/acme/hello:sha-{short}",
        "    127.0.0.1:5000/acme/hello:latest",
        "    ghcr.io/acme/hello:1.4.0",
        "    ghcr.io/acme/hello:1",
        f"    ghcr.io/acme/hello:sha-{short}",
        "    ghcr.io/acme/hello:latest",
        "  labels:",
        "    org.opencontainers.image.created=2026-01-01T00:00:00.000Z  (inferred)",
        f"    org.opencontainers.image.revision={checkout}  (inferred)",
        "    org.opencontainers.image.title=hello  (inferred)",
        "    org.opencontainers.image.vendor=Acme  (dockwright.yaml)",
        "    org.opencontainers.image.version=1.4.0  (inferred)",
        "other",
        "  version: fixed",
        "  tags:",
        "    fixed",
        "  labels:",
        "    org.opencontainers.image.created=2026-01-01T00:00:00.000Z  (inferred)",
        f"    org.opencontainers.image.revision={checkout}  (inferred)",
        "    org.opencontainers.image.title=other  (inferred)",
        "    org.opencontainers.image.version=fixed  (inferred)",
    ]


def test_labels_say_where_they_come_from(checkout: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The Dockerfile's own labels stand over inferred ones (but for those describing this
    build), and dockwright.yaml's over both."""
    Path("Dockerfile").write_text(
        "FROM scratch\n"
        'LABEL org.opencontainers.image.title="hello-app" \\\n'
        "      org.opencontainers.image.version=0.0.1 \\\n"
        "      org.opencontainers.image.vendor=Dockerfile-Vendor\n"
    )
    Path("dockwright.yaml").write_text(CONFIG)
    assert main(["tags", "hello"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[lines.index("  labels:") + 1 :] == [
        "    org.opencontainers.image.created=2026-01-01T00:00:00.000Z  (inferred)",
        f"    org.opencontainers.image.revision={checkout}  (inferred)",
        "    org.opencontainers.image.title=hello-app  (Dockerfile)",
        "    org.opencontainers.image.vendor=Acme  (dockwright.yaml)",
        "    org.opencontainers.image.version=1.4.0  (inferred)",
    ]


def test_json_for_several_images_is_keyed(
    checkout: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("dockwright.yaml").write_text(CONFIG)
    assert main(["tags", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["hello", "other"]
    assert out["other"]["tags"] == ["fixed"]


def test_default_rules_without_config(checkout: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tags", "ghcr.io/acme/web", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tags"] == [
        "ghcr.io/acme/web:1.4.0",
        "ghcr.io/acme/web:1.4",
        "ghcr.io/acme/web:1",
        f"ghcr.io/acme/web:sha-{checkout[:7]}",
        "ghcr.io/acme/web:latest",
    ]
    assert out["labels"]["org.opencontainers.image.title"] == "web"


def test_bare_tags_without_config_or_image(
    checkout: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tags", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tags"] == out["tag-names"] == ["1.4.0", "1.4", "1", f"sha-{checkout[:7]}", "latest"]


def test_config_error_exits_2(checkout: str, capsys: pytest.CaptureFixture[str]) -> None:
    Path("dockwright.yaml").write_text(
        "version: 1\nimages:\n  hello:\n    tags: [{type: semvar}]\n"
    )
    assert main(["tags"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "dockwright: error: dockwright.yaml:4: at images.hello.tags[0].type: expected one of "
        "edge, match, pep440, raw, ref, schedule, semver, sha; found 'semvar'\n"
    )


def test_unknown_image_exits_2(checkout: str, capsys: pytest.CaptureFixture[str]) -> None:
    Path("other.yaml").write_text(CONFIG)
    assert main(["tags", "web", "--config", "other.yaml"]) == 2
    assert capsys.readouterr().err == (
        "dockwright: error: other.yaml: no image 'web'; the images are: hello, other\n"
    )


def test_missing_config_file_exits_2(checkout: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tags", "--config", "nope.yaml"]) == 2
    assert capsys.readouterr().err == "dockwright: error: nope.yaml: no such file\n"


def test_bad_image_name_exits_2(checkout: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tags", "Acme/Web:1"]) == 2
    assert capsys.readouterr().err == (
        "dockwright: error: IMAGE: expected a repository such as ghcr.io/org/name "
        "(lowercase, no tag); found 'Acme/Web:1'\n"
    )


def test_outside_git_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in CI_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path)
    assert main(["tags", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["tags"] == []
    assert captured.err == (
        "dockwright: warning: neither a git checkout nor CI variables found; "
        "only rules that need neither give tags\n"
    )
