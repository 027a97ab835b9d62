"""What an update reads of dockwright.yaml beyond the loaded config: where each build arg's
value is written (from the config layer's composed nodes), the registries of publish entries;
and the check that a rewritten dockwright.yaml still reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.errors import ConfigError
from dockwright.pipeline.config import load_config
from dockwright.update.deps import Dependency
from dockwright.update.plan import Plan, Update
from dockwright.update.rewrite import Edit
from dockwright.update.session import Found, config_source, rewritten, written_build_args
from dockwright.update.settings import Registry
from dockwright.update.sourced import Sourced


def _where(text: str, found: dict[tuple[str, str], Sourced]) -> dict[tuple[str, str], str]:
    """What each located value's span holds in ``text`` (it must be the value)."""
    out = {}
    for key, value in found.items():
        span = value.span()
        assert span is not None
        out[key] = text[span[1] : span[2]]
        assert out[key] == value.text
    return out


def test_values_are_located_by_character_not_byte() -> None:
    text = (
        "# café ☕ 𝄞\r\n"
        "images:\r\n"
        "  app:\r\n"
        "    build-args:\r\n"
        "      PY: 3.12  # é\r\n"
        '      NODE: "22"\r\n'
        "      GO: '1.22'\r\n"
        '      E: "é-1"\r\n'
    )
    found = written_build_args(text, "dockwright.yaml")
    assert _where(text, found) == {
        ("app", "PY"): "3.12",
        ("app", "NODE"): "22",
        ("app", "GO"): "1.22",
        ("app", "E"): "é-1",
    }
    assert found[("app", "PY")].locs[0] == ("dockwright.yaml", text.index("3.12"))


def test_a_byte_order_mark_and_aliases() -> None:
    text = "\ufeffimages:\n  a: &common\n    build-args: {PY: 3.12}\n  b: *common\n"
    found = written_build_args(text, "f")
    assert _where(text, found) == {("a", "PY"): "3.12", ("b", "PY"): "3.12"}
    assert found[("a", "PY")] == found[("b", "PY")]  # one place, both images


def test_values_written_otherwise_than_they_read_are_left_out() -> None:
    text = (
        "images:\n"
        "  app:\n"
        "    build-args:\n"
        "      A: 'it''s'\n"
        '      B: "\\u0033.12"\n'
        "      C: |\n"
        "        3.12\n"
        "      D: >-\n"
        "        3.12\n"
        "      E:\n"
        "        3.12\n"
        "      F: [3.12]\n"
    )
    assert _where(text, written_build_args(text, "f")) == {("app", "E"): "3.12"}


def test_config_source_from_the_loaded_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("Dockerfile").write_text("FROM scratch\n")
    Path("certs").mkdir()
    Path("certs/ca.pem").write_text("")
    text = (
        "version: 1\n"
        "images:\n"
        "  app:\n"
        "    build-args: {PY: 3.12, 'Q': 'it''s'}\n"
        "    publish:\n"
        "      - {repository: 127.0.0.1:5000/acme/app, insecure: true}\n"
        "      - {repository: registry.example.com/acme/app, ca: certs/ca.pem}\n"
        "      - {repository: acme/app}\n"
        "      - {repository: localhost/acme/app, insecure: false}\n"
    )
    Path("dockwright.yaml").write_bytes(text.encode())
    config = load_config("dockwright.yaml")
    source = config_source(config.path, config.images.values())
    assert (source.file, source.text) == ("dockwright.yaml", text)
    (image,) = source.images
    assert (image.name, image.dockerfile) == ("app", tmp_path.resolve() / "Dockerfile")
    assert image.build_args == {
        "PY": Sourced.at("3.12", "dockwright.yaml", text.index("3.12")),
        "Q": Sourced.nowhere("it's"),
    }
    assert source.registries == {
        "127.0.0.1:5000": Registry(insecure=True),
        "registry.example.com": Registry(ca=f"{tmp_path.resolve()}/certs/ca.pem"),
    }


def test_a_rewrite_that_would_break_dockwright_yaml_is_refused() -> None:
    text = "version: 1\nimages:\n  app:\n    build-args: {PY: 3.12}\n"
    start = text.index("3.12")
    dep = Dependency("dockwright.yaml", 4, "from", "final", "docker", "python", "python", "3.12")
    edit = Edit("dockwright.yaml", start, start + 4, "3.13, PY: 3.14")
    found = Found(texts={"dockwright.yaml": text})
    with pytest.raises(ConfigError) as info:
        rewritten(found, Plan((Update(dep, "minor", "3.13", None, (edit,)),)))
    assert str(info.value) == (
        "dockwright.yaml:4: at images.app.build-args.PY: the update would break this file: "
        "duplicate key 'PY' (first defined at line 4)"
    )
