"""Every generator's output for every test configuration, compared whole to its golden file."""

from __future__ import annotations

import pytest
import yaml
from tests.unit.ci.cases import CASES, UPDATE, golden, render


@pytest.mark.parametrize(("config", "provider"), CASES)
def test_output_is_the_golden_file(config: str, provider: str) -> None:
    text = render(config, provider)
    path = golden(config, provider)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("config", "provider"), CASES)
def test_output_is_yaml_and_the_same_every_time(config: str, provider: str) -> None:
    text = render(config, provider)
    assert text == render(config, provider)
    assert isinstance(yaml.safe_load(text), dict)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert all(line == line.rstrip() for line in text.splitlines())
