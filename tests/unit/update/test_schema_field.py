"""``update:`` wired into dockwright.yaml's schema is one field: ``Field("update", UPDATE)``."""

from __future__ import annotations

import pytest

from dockwright.errors import ConfigError
from dockwright.pipeline.schema import Ctx, Field, Map, OneOf
from dockwright.update.settings import Rule, UpdateSettings
from dockwright.update.yamlsource import UPDATE
from dockwright.yamlpos import compose

SCHEMA = Map((Field("version", OneOf((1,))), Field("update", UPDATE)))


def test_a_valid_section_gives_settings() -> None:
    node = compose("version: 1\nupdate:\n  policy: patch\n  rules: [{match: x, group: g}]\n", "f")
    assert node is not None
    data = SCHEMA.check(node, (), Ctx("dockwright.yaml"))
    assert data["update"] == UpdateSettings(policy="patch", rules=(Rule(("x",), group="g"),))


def test_a_bad_value_names_file_line_and_key_path() -> None:
    node = compose("version: 1\nupdate:\n  rules:\n    - match: x\n      policy: all\n", "f")
    assert node is not None
    with pytest.raises(ConfigError) as info:
        SCHEMA.check(node, (), Ctx("dockwright.yaml"))
    assert str(info.value) == (
        "dockwright.yaml:5: at update.rules[0].policy: expected one of patch, minor, major, "
        "digest; found 'all'"
    )
