"""One invalid dockwright.yaml per error branch, each checked against the whole message."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.errors import ConfigError
from dockwright.pipeline.config import load_config

HEAD = "version: 1\nimages:\n  hello:\n"

CASES: list[tuple[str, str, str]] = [
    (
        "yaml-syntax",
        "version: 1\nimages:\n  hello: {context: .\n",
        "dockwright.yaml:4: invalid YAML at column 1: did not find expected ',' or '}'",
    ),
    (
        "yaml-tab",
        "version: 1\nimages:\n\thello: {}\n",
        "dockwright.yaml:3: invalid YAML at column 1: "
        "found character that cannot start any token (a tab: indent with spaces)",
    ),
    (
        "empty-file",
        "",
        "dockwright.yaml:1: expected a mapping with 'version' and 'images'; found an empty file",
    ),
    (
        "comments-only",
        "# nothing yet\n",
        "dockwright.yaml:1: expected a mapping with 'version' and 'images'; found an empty file",
    ),
    ("top-level-list", "- version: 1\n", "dockwright.yaml:1: expected a mapping; found a list"),
    (
        "missing-version",
        "images: {}\n",
        "dockwright.yaml:1: missing required key 'version'",
    ),
    (
        "missing-images",
        "version: 1\n",
        "dockwright.yaml:1: missing required key 'images'",
    ),
    (
        "version-2",
        "version: 2\nimages: {}\n",
        "dockwright.yaml:1: at version: expected 1; found 2",
    ),
    (
        "version-string",
        "version: '1'\nimages: {}\n",
        "dockwright.yaml:1: at version: expected 1; found '1'",
    ),
    (
        "unknown-top-key-suggested",
        "version: 1\nimagse: {}\n",
        "dockwright.yaml:2: at imagse: unknown key 'imagse'; did you mean 'images'?",
    ),
    (
        "unknown-top-key",
        "version: 1\nimages: {}\ntimeout: 3\n",
        "dockwright.yaml:3: at timeout: unknown key 'timeout'; "
        "expected one of engine, images, jobs, lint, update, version, workflows",
    ),
    (
        "duplicate-key",
        "version: 1\nimages:\n  hello: {}\n  hello: {}\n",
        "dockwright.yaml:4: at images.hello: duplicate key 'hello' (first defined at line 3)",
    ),
    (
        "images-list",
        "version: 1\nimages: [hello]\n",
        "dockwright.yaml:2: at images: expected a mapping; found a list",
    ),
    (
        "image-name",
        "version: 1\nimages:\n  Hello World: {}\n",
        "dockwright.yaml:3: at images.Hello World: expected an image name (lowercase letters, "
        "digits, '.', '_', '-'); found 'Hello World'",
    ),
    (
        "image-null",
        "version: 1\nimages:\n  hello:\n",
        "dockwright.yaml:3: at images.hello: expected a mapping; found null",
    ),
    (
        "image-unknown-key",
        HEAD + "    context: .\n    tagz: []\n",
        "dockwright.yaml:5: at images.hello.tagz: unknown key 'tagz'; did you mean 'tags'?",
    ),
    (
        "context-list",
        HEAD + "    context: [a, b]\n",
        "dockwright.yaml:4: at images.hello.context: expected a non-empty string; found a list",
    ),
    (
        "context-empty",
        HEAD + "    context: ''\n",
        "dockwright.yaml:4: at images.hello.context: expected a non-empty string; found ''",
    ),
    (
        "build-arg-list",
        HEAD + "    build-args:\n      APP_VERSION: [1]\n",
        "dockwright.yaml:5: at images.hello.build-args.APP_VERSION: expected a string; "
        "found a list",
    ),
    (
        "build-arg-null",
        HEAD + "    build-args: {APP_VERSION: }\n",
        "dockwright.yaml:4: at images.hello.build-args.APP_VERSION: expected a string; found null",
    ),
    (
        "tests-mapping",
        HEAD + "    tests: {file: structure.yaml}\n",
        "dockwright.yaml:4: at images.hello.tests: expected a list of non-empty strings; "
        "found a mapping",
    ),
    (
        "tags-scalar",
        HEAD + "    tags: semver\n",
        "dockwright.yaml:4: at images.hello.tags: expected a list of mappings; found 'semver'",
    ),
    (
        "tag-type-unknown",
        HEAD
        + "    context: .\n    tags:\n      - {type: semver, pattern: '{{version}}'}\n"
        + "      - {type: semvar, pattern: '{{major}}'}\n",
        "dockwright.yaml:7: at images.hello.tags[1].type: expected one of edge, match, pep440, "
        "raw, ref, schedule, semver, sha; found 'semvar'",
    ),
    (
        "tag-not-mapping",
        HEAD + "    tags: [latest]\n",
        "dockwright.yaml:4: at images.hello.tags[0]: expected a mapping; found 'latest'",
    ),
    (
        "semver-missing-pattern",
        HEAD + "    tags:\n      - type: semver\n",
        "dockwright.yaml:5: at images.hello.tags[0]: missing required key 'pattern' "
        "for type semver",
    ),
    (
        "ref-missing-event",
        HEAD + "    tags:\n      - type: ref\n",
        "dockwright.yaml:5: at images.hello.tags[0]: missing required key 'event' for type ref",
    ),
    (
        "ref-event-bad",
        HEAD + "    tags:\n      - {type: ref, event: push}\n",
        "dockwright.yaml:5: at images.hello.tags[0].event: expected one of branch, pr, tag; "
        "found 'push'",
    ),
    (
        "key-of-other-type",
        HEAD + "    tags:\n      - {type: semver, pattern: '{{version}}', event: tag}\n",
        "dockwright.yaml:5: at images.hello.tags[0].event: unknown key 'event' for type semver; "
        "expected one of enable, match, pattern, prefix, priority, suffix, type, value",
    ),
    (
        "raw-missing-value",
        HEAD + "    tags:\n      - {prefix: v}\n",
        "dockwright.yaml:5: at images.hello.tags[0]: missing required key 'value' for type raw",
    ),
    (
        "enable-list",
        HEAD + "    tags:\n      - {type: sha, enable: [true]}\n",
        "dockwright.yaml:5: at images.hello.tags[0].enable: expected true or false or a string; "
        "found a list",
    ),
    (
        "priority-string",
        HEAD + "    tags:\n      - {type: sha, priority: high}\n",
        "dockwright.yaml:5: at images.hello.tags[0].priority: expected an integer; found 'high'",
    ),
    (
        "match-bad-regex",
        HEAD + "    tags:\n      - {type: match, pattern: 'v(\\d+'}\n",
        "dockwright.yaml:5: at images.hello.tags[0].pattern: expected a regular expression; "
        "found 'v(\\\\d+' (missing ), unterminated subpattern at position 1)",
    ),
    (
        "match-negative-group",
        HEAD + "    tags:\n      - {type: match, pattern: 'v(.*)', group: -1}\n",
        "dockwright.yaml:5: at images.hello.tags[0].group: expected an integer >= 0; found -1",
    ),
    (
        "sha-format",
        HEAD + "    tags:\n      - {type: sha, format: full}\n",
        "dockwright.yaml:5: at images.hello.tags[0].format: expected one of short, long; "
        "found 'full'",
    ),
    (
        "flavor-latest",
        HEAD + "    flavor: {latest: always}\n",
        "dockwright.yaml:4: at images.hello.flavor.latest: expected true or false or auto; "
        "found 'always'",
    ),
    (
        "flavor-unknown",
        HEAD + "    flavor: {onlatest: true}\n",
        "dockwright.yaml:4: at images.hello.flavor.onlatest: unknown key 'onlatest'; "
        "did you mean 'latest'?",
    ),
    (
        "publish-missing-repository",
        HEAD + "    publish:\n      - insecure: true\n",
        "dockwright.yaml:5: at images.hello.publish[0]: missing required key 'repository'",
    ),
    (
        "publish-repository-tag",
        HEAD + "    publish:\n      - repository: ghcr.io/Acme/hello:1.0\n",
        "dockwright.yaml:5: at images.hello.publish[0].repository: expected a repository such "
        "as registry.example.com/org/name (lowercase, no tag or digest); "
        "found 'ghcr.io/Acme/hello:1.0'",
    ),
    (
        "publish-insecure-string",
        HEAD + "    publish:\n      - {repository: 127.0.0.1:5000/a, insecure: 'no'}\n",
        "dockwright.yaml:5: at images.hello.publish[0].insecure: expected true or false; "
        "found 'no'",
    ),
    (
        "credentials-missing-password",
        HEAD
        + "    publish:\n      - repository: ghcr.io/acme/hello\n"
        + "        credentials: {username-env: GHCR_USER}\n",
        "dockwright.yaml:6: at images.hello.publish[0].credentials: "
        "missing required key 'password-env'",
    ),
    (
        "credentials-env-name",
        HEAD
        + "    publish:\n      - repository: ghcr.io/acme/hello\n"
        + "        credentials: {username-env: GHCR_USER, password-env: $TOKEN}\n",
        "dockwright.yaml:6: at images.hello.publish[0].credentials.password-env: expected an "
        "environment variable name; found '$TOKEN'",
    ),
    (
        "lint-threshold",
        "version: 1\nimages: {}\nlint:\n  failure-threshold: warn\n",
        "dockwright.yaml:4: at lint.failure-threshold: expected one of error, warning, info, "
        "style, ignore, none; found 'warn'",
    ),
    (
        "lint-trusted-scalar",
        "version: 1\nimages: {}\nlint:\n  trustedRegistries: docker.io\n",
        "dockwright.yaml:4: at lint.trustedRegistries: expected a list of non-empty strings; "
        "found 'docker.io'",
    ),
    (
        "lint-unknown",
        "version: 1\nimages: {}\nlint:\n  ignore: [DL3008]\n",
        "dockwright.yaml:4: at lint.ignore: unknown key 'ignore'; did you mean 'ignored'?",
    ),
    (
        "lint-override-level",
        "version: 1\nimages: {}\nlint:\n  override: {fatal: [DL3008]}\n",
        "dockwright.yaml:4: at lint.override.fatal: unknown key 'fatal'; "
        "expected one of error, info, style, warning",
    ),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_config(
    text: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("dockwright.yaml").write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config("dockwright.yaml", check_paths=False)
    assert str(info.value) == message
    assert info.value.exit_code == 2


PATH_CASES: list[tuple[str, str, str]] = [
    (
        "context-missing",
        HEAD + "    context: app\n",
        "dockwright.yaml:4: at images.hello.context: expected an existing directory; "
        "found no directory at {root}/app",
    ),
    (
        "dockerfile-defaulted-missing",
        HEAD + "    context: .\n",
        "dockwright.yaml:3: at images.hello.dockerfile: expected an existing file; "
        "found no file at {root}/Dockerfile",
    ),
    (
        "test-missing",
        HEAD + "    dockerfile: Dockerfile.ok\n    tests: [structure.yaml]\n",
        "dockwright.yaml:5: at images.hello.tests[0]: expected an existing file; "
        "found no file at {root}/structure.yaml",
    ),
    (
        "ca-missing",
        HEAD
        + "    dockerfile: Dockerfile.ok\n    publish:\n"
        + "      - {repository: 127.0.0.1:5443/a, ca: certs/ca.pem}\n",
        "dockwright.yaml:6: at images.hello.publish[0].ca: expected an existing file; "
        "found no file at {root}/certs/ca.pem",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"), [c[1:] for c in PATH_CASES], ids=[c[0] for c in PATH_CASES]
)
def test_missing_paths(
    text: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("dockwright.yaml").write_text(text)
    Path("Dockerfile.ok").write_text("FROM scratch\n")
    with pytest.raises(ConfigError) as info:
        load_config("dockwright.yaml")
    assert str(info.value) == message.format(root=tmp_path.resolve())


def test_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        load_config("dockwright.yaml")
    assert str(info.value) == "dockwright.yaml: no such file"


def test_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("dockwright.yaml").write_bytes(b"version: 1\nimages: {}\n# caf\xe9\n")
    with pytest.raises(ConfigError) as info:
        load_config("dockwright.yaml")
    assert str(info.value) == "dockwright.yaml: expected UTF-8 text; found byte 0xe9"
