from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from tests.support.imports import modules_after

import dockwright.tags as tags
from dockwright.tags import sanitize


def test_all_is_complete_and_resolves() -> None:
    assert sorted(tags.__all__) == sorted(tags._WHERE)
    for name in tags.__all__:
        assert getattr(tags, name) is not None


def test_loading_config_does_not_import_tag_computation() -> None:
    loaded, _ = modules_after("import dockwright.pipeline.config")
    heavy = {"dockwright.tags.context", "dockwright.tags.compute", "zoneinfo", "httpx"}
    assert not loaded & {*heavy, "dockwright.proc"}


@given(st.text())
def test_sanitized_tags_use_docker_alphabet(value: str) -> None:
    result = sanitize(value)
    assert all(c.isascii() and (c.isalnum() or c in "._-") for c in result)
    assert sanitize(result) == result
