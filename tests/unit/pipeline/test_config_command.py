"""`dockwright config validate` and `dockwright config schema`; the JSON Schema says what the
loader checks, and docs/dockwright.schema.json is the one it prints."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path

import jsonschema
import pytest
import yaml

from dockwright.cli import config as command
from dockwright.cli.errors import handle

ROOT = Path(__file__).resolve().parents[3]

EXAMPLE = """\
version: 1
images:
  app:
    context: .
    build-args: {APP_VERSION: 1.4.2}
    tests: structure.yaml
    platforms: [linux/amd64]
    tags:
      - {type: semver, pattern: "{{version}}"}
      - {type: sha}
    publish:
      - repository: 127.0.0.1:5000/acme/app
        insecure: true
lint:
  failure-threshold: warning
  ignored: [DL3008]
jobs:
  image:
    steps: [lint, build, test]
workflows:
  ci:
    jobs:
      - check:
          steps:
            - run: {name: unit tests, command: make test, when: always, no_output_timeout: 5m}
      - image:
          matrix: {parameters: {image: [app]}}
          requires: [check]
      - release:
          image: app
          requires: [image-app]
          steps: [publish]
          filters: {branches: {only: main}, tags: {only: /^v.*/}}
"""


def _main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dockwright config")
    command.configure(parser)
    args = parser.parse_args(argv)
    return handle(lambda: command.run(args))


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(command.schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_accepts_a_valid_file() -> None:
    assert list(_validator().iter_errors(yaml.safe_load(EXAMPLE))) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("version: 1", "version: 2"), "2 is not one of [1]"),
        (("when: always", "when: sometimes"), "'sometimes' is not one of"),
        (("requires: [check]", "requires: [check]\n          contxt: x"), "Additional properties"),
        (("type: sha}", "type: sha, format: tiny}"), "'tiny' is not one of"),
        (("steps: [lint, build, test]", "steps: [{lint: {}, build: {}}]"), "too many properties"),
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(change: tuple[str, str], message: str) -> None:
    assert change[0] in EXAMPLE
    data = yaml.safe_load(EXAMPLE.replace(*change))
    errors = _messages(_validator().iter_errors(data))
    assert any(message in e for e in errors), errors


def _messages(errors: Iterable[jsonschema.ValidationError]) -> list[str]:
    """Every message, those of the alternatives of an anyOf included."""
    out = []
    for error in errors:
        out.append(error.message)
        out += _messages(error.context or [])
    return out


def test_the_schema_file_in_docs_is_current() -> None:
    path = ROOT / "docs" / "dockwright.schema.json"
    assert path.read_text() == command.schema_text(), (
        "regenerate it: dockwright config schema > docs/dockwright.schema.json"
    )


def test_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "structure.yaml").write_text("schemaVersion: 2.0.0\n")
    (tmp_path / "dockwright.yaml").write_text(EXAMPLE)
    monkeypatch.chdir(tmp_path)
    assert _main(["validate"]) == 0
    assert capsys.readouterr().out == "dockwright.yaml: valid (1 images, 1 workflows, 3 jobs)\n"
    (tmp_path / "bad.yaml").write_text(
        EXAMPLE.replace("requires: [check]", "requires: [chek]").replace("image: app", "image: ap")
    )
    assert _main(["validate", "bad.yaml"]) == 2
    assert capsys.readouterr().err == (
        "dockwright: error: 2 problems in bad.yaml:\n"
        "bad.yaml:28: at workflows.ci.jobs[1].image.requires[0]: requires 'chek', which is no "
        "job of workflow 'ci'; did you mean 'check'?\n"
        "bad.yaml:30: at workflows.ci.jobs[2].release.image: no image 'ap' in images: "
        "(the images are: app)\n"
    )


def test_schema_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert sorted(schema["properties"]) == [
        "engine",
        "images",
        "jobs",
        "lint",
        "update",
        "version",
        "workflows",
    ]
