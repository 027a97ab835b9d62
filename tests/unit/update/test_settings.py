"""The ``update:`` section: its schema (one field of dockwright.yaml's), the values it gives,
rule merging, and whole error messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.imports import modules_after

from dockwright.config.nodes import compose
from dockwright.config.schema import Ctx, Field, Map
from dockwright.errors import ConfigError
from dockwright.update.policy import POLICIES
from dockwright.update.settings import (
    POLICY_NAMES,
    UPDATE,
    VERSIONING_NAMES,
    Registry,
    Rule,
    UpdateSettings,
    update_settings,
)
from dockwright.update.versioning import VERSIONINGS

ROOT = Path("/repo")
FULL = """\
update:
  policy: patch
  pin-digests: true
  prereleases: false
  ignore: [node, "/^ghcr\\\\.io/"]
  ignore-versions: ["3.13*"]
  registries:
    127.0.0.1:5000: {insecure: true}
    registry.example.com: {ca: certs/ca.pem}
    "[::1]:5000": {ca: /etc/ca.pem}
  datasources: {pypi: "http://127.0.0.1:8080/pypi"}
  rules:
    - match: python
      policy: major
      group: base-images
    - match: [python, "ghcr.io/acme/*"]
      pin-digests: false
      prereleases: true
      ignore-versions: [4.0, 2024-01-02, 3]
      versioning: semver
"""


def settings_of(text: str) -> UpdateSettings:
    """``text``'s ``update:`` checked by its schema (every problem raised at once), then read."""
    ctx = Ctx("dockwright.yaml")
    node = compose(text, "dockwright.yaml", problems=ctx.problems)
    assert node is not None
    data = ctx.check(Map((Field("update", UPDATE),)), node)
    ctx.raise_problems()
    assert isinstance(data, dict)
    return update_settings(data.get("update", {}), ROOT)


def test_every_key() -> None:
    assert settings_of(FULL) == UpdateSettings(
        policy="patch",
        pin_digests=True,
        prereleases=False,
        ignore=("node", "/^ghcr\\.io/"),
        ignore_versions=("3.13*",),
        registries={
            "127.0.0.1:5000": Registry(insecure=True),
            # a CA file is found from dockwright.yaml's directory, as publish entries' are
            "registry.example.com": Registry(ca="/repo/certs/ca.pem"),
            "[::1]:5000": Registry(ca="/etc/ca.pem"),
        },
        datasources={"pypi": "http://127.0.0.1:8080/pypi"},
        rules=(
            Rule(("python",), policy="major", group="base-images"),
            Rule(
                ("python", "ghcr.io/acme/*"),
                pin_digests=False,
                prereleases=True,
                # numbers and dates read as written
                ignore_versions=("4.0", "2024-01-02", "3"),
                versioning="semver",
            ),
        ),
    )


def test_rules_merge_in_order() -> None:
    settings = settings_of(FULL)
    python = settings.for_dependency("python")
    assert (python.policy, python.pin_digests, python.prereleases, python.group) == (
        "major",
        False,
        True,
        "base-images",
    )
    assert python.ignore_versions == ("3.13*", "4.0", "2024-01-02", "3")
    assert python.versioning == "semver"
    other = settings.for_dependency("alpine")
    assert (other.policy, other.pin_digests, other.ignored) == ("patch", True, False)
    assert settings.for_dependency("node").ignored
    assert settings.for_dependency("ghcr.io/x/y").ignored


def test_defaults() -> None:
    assert settings_of("update: {}\n") == UpdateSettings()
    assert update_settings({}, ROOT) == UpdateSettings()
    effective = UpdateSettings().for_dependency("x")
    assert (effective.policy, effective.pin_digests, effective.prereleases) == (
        "minor",
        False,
        False,
    )


def test_the_schema_names_what_the_implementations_hold() -> None:
    assert POLICY_NAMES == POLICIES
    assert sorted(VERSIONING_NAMES) == sorted(VERSIONINGS)


def test_loading_the_config_imports_no_versioning_and_no_datasource() -> None:
    loaded, _ = modules_after("import dockwright.pipeline.config")
    assert sorted(m for m in loaded if m.startswith("dockwright.update")) == [
        "dockwright.update",
        "dockwright.update.patterns",
        "dockwright.update.settings",
    ]
    assert "httpx" not in loaded


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "update:\n  policy: mayor\n",
            "dockwright.yaml:2: at update.policy: expected one of patch, minor, major, digest; "
            "found 'mayor'",
        ),
        (
            "update:\n  pin-digest: true\n",
            "dockwright.yaml:2: at update.pin-digest: unknown key 'pin-digest'; did you mean "
            "'pin-digests'?",
        ),
        (
            "update:\n  pin: true\n",
            "dockwright.yaml:2: at update.pin: unknown key 'pin'; expected one of datasources, "
            "ignore, ignore-versions, pin-digests, policy, prereleases, registries, rules",
        ),
        (
            "update:\n  prereleases: yes please\n",
            "dockwright.yaml:2: at update.prereleases: expected true or false; found 'yes please'",
        ),
        (
            "update:\n  rules:\n    - policy: patch\n",
            "dockwright.yaml:3: at update.rules[0]: missing required key 'match'",
        ),
        (
            "update:\n  rules:\n    - match: x\n      versioning: loose\n",
            "dockwright.yaml:4: at update.rules[0].versioning: expected one of docker, npm, "
            "pep440, semver, semver-coerced; found 'loose'",
        ),
        (
            "update:\n  rules:\n    - {match: x, group: ''}\n",
            "dockwright.yaml:3: at update.rules[0].group: expected a non-empty string; found ''",
        ),
        (
            "update:\n  ignore: ['/(/']\n",
            "dockwright.yaml:2: at update.ignore[0]: expected a regular expression; found '/(/' "
            "(missing ), unterminated subpattern at position 0)",
        ),
        (
            "update:\n  ignore: [node, {a: 1}, '', null]\n",
            "3 problems in dockwright.yaml:\n"
            "dockwright.yaml:2: at update.ignore[1]: expected a name, glob or /regular "
            "expression/; found a mapping\n"
            "dockwright.yaml:2: at update.ignore[2]: expected a name, glob or /regular "
            "expression/; found ''\n"
            "dockwright.yaml:2: at update.ignore[3]: expected a name, glob or /regular "
            "expression/; found null",
        ),
        (
            "update:\n  ignore-versions: {a: 1}\n",
            "dockwright.yaml:2: at update.ignore-versions: expected a list of names, globs or "
            "/regular expressions/; found a mapping",
        ),
        (
            "update:\n  registries:\n    'https://x': {insecure: true}\n",
            "dockwright.yaml:3: at update.registries.https://x: expected a registry host[:port]; "
            "found 'https://x'",
        ),
        (
            "update:\n  registries:\n    x.io: {insecure: 'yes', tls: false}\n",
            "2 problems in dockwright.yaml:\n"
            "dockwright.yaml:3: at update.registries.x.io.insecure: expected true or false; "
            "found 'yes'\n"
            "dockwright.yaml:3: at update.registries.x.io.tls: unknown key 'tls'; expected one "
            "of ca, insecure",
        ),
        (
            "update:\n  datasources: {pypi: pypi.org}\n",
            "dockwright.yaml:2: at update.datasources.pypi: expected an http:// or https:// URL; "
            "found 'pypi.org'",
        ),
        (
            "update:\n  datasources: {docker: 'https://x'}\n",
            "dockwright.yaml:2: at update.datasources.docker: unknown key 'docker'; expected one "
            "of github, npm, pypi",
        ),
        (
            "update:\n  rules: {match: x}\n",
            "dockwright.yaml:2: at update.rules: expected a list of mappings; found a mapping",
        ),
        ("update: [1]\n", "dockwright.yaml:1: at update: expected a mapping; found a list"),
        (
            "update:\n  policy: major\n  policy: patch\n",
            "dockwright.yaml:3: at update.policy: duplicate key 'policy' (first defined at line 2)",
        ),
    ],
)
def test_bad_values_name_file_line_and_key_path(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        settings_of(text)
    assert str(info.value) == message
