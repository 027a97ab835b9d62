"""The builder choice is remembered while the clients and plugins it was made from stay the
same, and probed again when one changes."""

from __future__ import annotations

from pathlib import Path

from dockwright.engine import buildercache
from dockwright.engine.base import Builder

BUILDER = Builder("/usr/bin/docker", "buildkit", "client 20.10.24 has built-in BuildKit")


def test_a_choice_is_found_again_under_the_same_key(tmp_path: Path) -> None:
    client = tmp_path / "docker"
    client.write_text("#!/bin/sh\n")
    cache = tmp_path / "cache" / "builder.json"
    key = buildercache.key(None, "/usr/bin", [str(client)], str(tmp_path / ".docker"))
    assert buildercache.load(cache, key) is None
    buildercache.store(cache, key, BUILDER)
    assert buildercache.load(cache, key) == BUILDER


def test_a_changed_client_or_a_new_plugin_changes_the_key(tmp_path: Path) -> None:
    client = tmp_path / "docker"
    client.write_text("#!/bin/sh\n")
    config = tmp_path / ".docker"
    before = buildercache.key(None, "/usr/bin", [str(client)], str(config))
    assert buildercache.key(None, "/usr/bin", [str(client)], str(config)) == before
    client.write_text("#!/bin/sh\necho newer\n")
    after_client = buildercache.key(None, "/usr/bin", [str(client)], str(config))
    assert after_client != before
    (config / "cli-plugins").mkdir(parents=True)
    (config / "cli-plugins" / "docker-buildx").write_text("")
    assert buildercache.key(None, "/usr/bin", [str(client)], str(config)) != after_client
    assert buildercache.key(None, "/bin", [str(client)], str(config)) != after_client


def test_an_unreadable_or_foreign_cache_file_is_a_miss(tmp_path: Path) -> None:
    cache = tmp_path / "builder.json"
    cache.write_text("not json")
    assert buildercache.load(cache, "k") is None
    cache.write_text('{"key": "k", "builder": []}')
    assert buildercache.load(cache, "k") is None
    (tmp_path / "file").write_text("")
    buildercache.store(tmp_path / "file" / "builder.json", "k", BUILDER)  # not writable: no error
