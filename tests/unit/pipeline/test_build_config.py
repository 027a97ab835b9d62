"""The build keys of an image in dockwright.yaml: what they load into, and one invalid file per
error branch, checked against the whole message."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockwright.engine.base import BuildSecret
from dockwright.errors import ConfigError
from dockwright.pipeline.buildschema import BuildOptions
from dockwright.pipeline.buildstep import build_request
from dockwright.pipeline.config import load_config

VALID = """\
version: 1
images:
  app:
    platforms: linux/arm64
    no-cache: true
    pull: true
    cache-from: [127.0.0.1:5000/acme/app:cache, "type=registry,ref=127.0.0.1:5000/acme/app:main"]
    cache-to: type=inline
    secrets:
      - {id: npm, env: NPM_TOKEN}
      - {id: pip, file: secrets/pip.conf}
    ssh: [default, "git=keys/id_ed25519"]
    reproducible: true
"""


def test_build_keys_load_into_the_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    Path("Dockerfile").write_text("FROM scratch\n")
    Path("secrets").mkdir()
    Path("secrets/pip.conf").write_text("[global]\n")
    Path("dockwright.yaml").write_text(VALID)
    image = load_config("dockwright.yaml").images["app"]
    root = tmp_path.resolve()
    assert image.build == BuildOptions(
        no_cache=True,
        pull=True,
        cache_from=(
            "127.0.0.1:5000/acme/app:cache",
            "type=registry,ref=127.0.0.1:5000/acme/app:main",
        ),
        cache_to=("type=inline",),
        secrets=(
            BuildSecret("npm", env="NPM_TOKEN"),
            BuildSecret("pip", file=str(root / "secrets/pip.conf")),
        ),
        ssh=("default", f"git={root / 'keys/id_ed25519'}"),
        reproducible=True,
    )
    request = build_request(image, None)
    assert request.platform == "linux/arm64"
    assert (request.no_cache, request.pull, request.source_date_epoch) == (True, True, 1700000000)
    assert request.secrets == image.build.secrets and request.cache_to == ("type=inline",)


HEAD = "version: 1\nimages:\n  app:\n"

CASES: list[tuple[str, str, str]] = [
    (
        "no-cache-string",
        HEAD + "    no-cache: yes please\n",
        "dockwright.yaml:4: at images.app.no-cache: expected true or false; found 'yes please'",
    ),
    (
        "cache-to-mapping",
        HEAD + "    cache-to: {type: inline}\n",
        "dockwright.yaml:4: at images.app.cache-to: expected a list of REF or "
        "type=TYPE[,KEY=VALUE...] (an image or a cache, as docker buildx takes it); found a "
        "mapping",
    ),
    (
        "cache-from-bad",
        HEAD + "    cache-from: ['type=registry ref=x']\n",
        "dockwright.yaml:4: at images.app.cache-from[0]: expected REF or "
        "type=TYPE[,KEY=VALUE...] (an image or a cache, as docker buildx takes it); found "
        "'type=registry ref=x'",
    ),
    (
        "secret-both",
        HEAD + "    secrets:\n      - {id: t, env: T, file: t.txt}\n",
        "dockwright.yaml:5: at images.app.secrets[0]: expected one of env or file (where the "
        "secret is); found both",
    ),
    (
        "secret-neither",
        HEAD + "    secrets:\n      - id: t\n",
        "dockwright.yaml:5: at images.app.secrets[0]: expected one of env or file (where the "
        "secret is); found neither",
    ),
    (
        "secret-no-id",
        HEAD + "    secrets:\n      - env: T\n",
        "dockwright.yaml:5: at images.app.secrets[0]: missing required key 'id'",
    ),
    (
        "secret-value",
        HEAD + "    secrets:\n      - {id: t, env: T, value: hunter2}\n",
        "dockwright.yaml:5: at images.app.secrets[0].value: unknown key 'value'; expected one "
        "of env, file, id",
    ),
    (
        "secret-id-twice",
        HEAD + "    secrets:\n      - {id: t, env: A}\n      - {id: t, env: B}\n",
        "dockwright.yaml:6: at images.app.secrets[1].id: expected a secret id not used before; "
        "found 't'",
    ),
    (
        "ssh-bad",
        HEAD + "    ssh: ['my agent']\n",
        "dockwright.yaml:4: at images.app.ssh[0]: expected default or "
        "ID[=SOCKET|KEY[,KEY...]] (as docker build --ssh takes it); found 'my agent'",
    ),
    (
        "reproducible-string",
        HEAD + "    reproducible: always\n",
        "dockwright.yaml:4: at images.app.reproducible: expected true or false; found 'always'",
    ),
    (
        "platform-bad",
        HEAD + "    platforms: [arm64]\n",
        "dockwright.yaml:4: at images.app.platforms[0]: expected a platform such as "
        "linux/amd64; found 'arm64'",
    ),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_build_keys(
    text: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("dockwright.yaml").write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config("dockwright.yaml", check_paths=False)
    assert str(info.value) == message
    assert info.value.exit_code == 2


def test_a_missing_secret_file_is_reported_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("Dockerfile").write_text("FROM scratch\n")
    Path("dockwright.yaml").write_text(HEAD + "    secrets:\n      - id: t\n        file: t.txt\n")
    with pytest.raises(ConfigError) as info:
        load_config("dockwright.yaml")
    assert str(info.value) == (
        "dockwright.yaml:6: at images.app.secrets[0].file: expected an existing file; found no "
        f"file at {tmp_path.resolve() / 't.txt'}"
    )
