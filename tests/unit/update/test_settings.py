"""The ``update:`` section: values, rule merging, and whole error messages."""

from __future__ import annotations

import pytest
import yaml

from dockwright.errors import ConfigError
from dockwright.update.settings import Registry, Rule, UpdateSettings, parse_settings

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
  datasources: {pypi: "http://127.0.0.1:8080/pypi"}
  rules:
    - match: python
      policy: major
      group: base-images
    - match: [python, "ghcr.io/acme/*"]
      pin-digests: false
      prereleases: true
      ignore-versions: [4.0]
      versioning: semver
"""


def test_every_key() -> None:
    settings = parse_settings(yaml.safe_load(FULL)["update"])
    assert settings == UpdateSettings(
        policy="patch",
        pin_digests=True,
        prereleases=False,
        ignore=("node", "/^ghcr\\.io/"),
        ignore_versions=("3.13*",),
        registries={
            "127.0.0.1:5000": Registry(insecure=True),
            "registry.example.com": Registry(ca="certs/ca.pem"),
        },
        datasources={"pypi": "http://127.0.0.1:8080/pypi"},
        rules=(
            Rule(("python",), policy="major", group="base-images"),
            Rule(
                ("python", "ghcr.io/acme/*"),
                pin_digests=False,
                prereleases=True,
                ignore_versions=("4.0",),
                versioning="semver",
            ),
        ),
    )


def test_rules_merge_in_order() -> None:
    settings = parse_settings(yaml.safe_load(FULL)["update"])
    python = settings.for_dependency("python")
    assert (python.policy, python.pin_digests, python.prereleases, python.group) == (
        "major",
        False,
        True,
        "base-images",
    )
    assert python.ignore_versions == ("3.13*", "4.0")
    assert python.versioning == "semver"
    other = settings.for_dependency("alpine")
    assert (other.policy, other.pin_digests, other.ignored) == ("patch", True, False)
    assert settings.for_dependency("node").ignored
    assert settings.for_dependency("ghcr.io/x/y").ignored


def test_defaults() -> None:
    assert parse_settings(None) == UpdateSettings()
    effective = UpdateSettings().for_dependency("x")
    assert (effective.policy, effective.pin_digests, effective.prereleases) == (
        "minor",
        False,
        False,
    )


def _lines(text: str) -> dict[str, int]:
    """Key path -> line, the way a caller that composed the YAML provides it."""
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, f"{path}.{key.value}" if path else key.value)
                lines[f"{path}.{key.value}" if path else key.value] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines[f"{path}[{i}]"] = item.start_mark.line + 1
                walk(item, f"{path}[{i}]")

    walk(yaml.compose(text), "")
    return lines


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
            "dockwright.yaml:2: at update.pin-digest: unknown key 'pin-digest'; expected one of "
            "datasources, ignore, ignore-versions, pin-digests, policy, prereleases, registries, "
            "rules",
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
            "update:\n  ignore: ['/(/']\n",
            "dockwright.yaml:2: at update.ignore[0]: expected a regular expression; found '/(/' "
            "(missing ), unterminated subpattern at position 0)",
        ),
        (
            "update:\n  registries:\n    'https://x': {insecure: true}\n",
            "dockwright.yaml:3: at update.registries.https://x: expected a registry host[:port]; "
            "found 'https://x'",
        ),
        (
            "update:\n  datasources: {pypi: pypi.org}\n",
            "dockwright.yaml:2: at update.datasources.pypi: expected an http:// or https:// URL; "
            "found 'pypi.org'",
        ),
        (
            "update:\n  rules: {match: x}\n",
            "dockwright.yaml:2: at update.rules: expected a list of rules; found a mapping",
        ),
        ("update: [1]\n", "dockwright.yaml:1: at update: expected a mapping; found a list"),
    ],
)
def test_bad_values_name_file_line_and_key_path(text: str, message: str) -> None:
    lines = _lines(text)
    with pytest.raises(ConfigError) as info:
        parse_settings(yaml.safe_load(text)["update"], file="dockwright.yaml", line_at=lines.get)
    assert str(info.value) == message
