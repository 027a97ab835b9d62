"""Real config files against the tools they were written for.

Every real ``.hadolint.yaml``: ours and hadolint 2.15.1 lint one fixed Dockerfile with it, and
must find the same (code, line, level) and agree on the exit status; a file hadolint rejects
(it says "Error parsing your config file" and lints with defaults) we reject with a
ConfigError. Every real structure-test config: it loads, or container-structure-test 1.19.1
also rejects it when it reads it (``--driver tar`` on a one-file image: no command runs).
Where we differ from the tool on purpose (docs/lint.md, docs/structure-tests.md) the test says
which difference it is.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import tarfile
from pathlib import Path

import pytest
from tests.support import corpus

from dockwright import proc
from dockwright.errors import ConfigError
from dockwright.lint.config import load_config as load_lint_config
from dockwright.lint.engine import failed, lint_path
from dockwright.lint.report import to_json
from dockwright.structure.config import load_config as load_structure_config

pytestmark = pytest.mark.corpus

BIN = Path(sys.executable).parent
HADOLINT = shutil.which("hadolint", path=str(BIN))
CST = shutil.which("container-structure-test", path=str(BIN))

# Triggers the rules real configs ignore, override or configure most.
DOCKERFILE = """\
FROM ubuntu
FROM docker.io/library/alpine:latest AS a
FROM quay.io/x/y:1.0 AS b
LABEL maintainer="me" version="one" org.opencontainers.image.created="yesterday"
USER root
RUN cd /tmp && apt-get update && apt-get install -y curl
RUN apk add --no-cache bash
RUN pip install flask && npm install express
RUN wget -O - https://example.com | sh
RUN echo $HOME
RUN sudo ls
ADD app.tar.gz /app
WORKDIR app
CMD echo hi
"""

# Deliberate differences (docs/lint.md): where hadolint goes on, we reject the file.
STRICTER = (
    "expected a rule code like DL3008",  # an entry that is no rule code
    "unknown key",  # an unknown level under override
)


def _hadolint(config: Path, dockerfile: Path) -> tuple[bool, set[tuple[str, int, str]], bool]:
    """(config accepted, findings, failed) as hadolint 2.15.1 sees them."""
    assert HADOLINT is not None
    res = proc.run(
        [HADOLINT, "--config", str(config), "--format", "json", str(dockerfile)],
        check=False,
        cwd=dockerfile.parent,
        env={"PATH": "/usr/bin:/bin", "HOME": str(dockerfile.parent)},
    )
    rejected = "Error parsing your config file" in res.stderr
    # a config's own `format: json` adds a second report (formats concatenate): read the first
    first, _ = json.JSONDecoder().raw_decode(res.stdout)
    found = {(str(f["code"]), int(f["line"]), str(f["level"])) for f in first}
    return not rejected, found, res.returncode != 0


def test_hadolint_configs_apply_as_in_hadolint(tmp_path: Path) -> None:
    configs = corpus.require("hadolint")
    if HADOLINT is None:
        pytest.skip("hadolint not installed")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(DOCKERFILE)
    agree, differ = 0, []
    for config in configs:
        accepted, theirs, their_fail = _hadolint(config, dockerfile)
        try:
            ours_config = load_lint_config(config)
        except ConfigError as exc:
            if not accepted:
                agree += 1
            elif any(s in str(exc) for s in STRICTER):
                differ.append(f"{config}: deliberate, we reject: {exc}")
            else:
                pytest.fail(f"{config}: hadolint applies it, we reject it: {exc}")
            continue
        assert accepted, f"{config}: hadolint rejects it, we apply it"
        findings = lint_path(str(dockerfile), ours_config)
        ours = {(str(f["code"]), int(f["line"]), str(f["level"]))
                for f in json.loads(to_json(findings))}  # fmt: skip
        assert ours == theirs, (
            f"{config}: only ours {ours - theirs}, only hadolint's {theirs - ours}"
        )
        assert failed(findings, ours_config) == their_fail, config
        agree += 1
    print(f"\n{len(configs)} .hadolint.yaml files: {agree} agree; {len(differ)} deliberate:")
    print("\n".join(differ))


def _one_file_image(tmp_path: Path) -> Path:
    """A `docker save` archive of one layer holding /etc/hostname: enough to read configs."""
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w") as tar:
        info = tarfile.TarInfo("etc/hostname")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"vm\n"))
    config = json.dumps(
        {"architecture": "amd64", "os": "linux", "config": {"Env": ["PATH=/bin"]},
         "rootfs": {"type": "layers", "diff_ids": []}}
    ).encode()  # fmt: skip
    import hashlib

    diff_id = "sha256:" + hashlib.sha256(layer.getvalue()).hexdigest()
    config = config.replace(b'"diff_ids": []', f'"diff_ids": ["{diff_id}"]'.encode())
    manifest = json.dumps(
        [{"Config": "config.json", "RepoTags": ["corpus:1"], "Layers": ["layer.tar"]}]
    ).encode()
    archive = tmp_path / "image.tar"
    with tarfile.open(archive, "w") as tar:
        for name, data in (("layer.tar", layer.getvalue()), ("config.json", config),
                           ("manifest.json", manifest)):  # fmt: skip
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return archive


def _cst_rejects(image: Path, config: Path) -> str | None:
    """CST's complaint when it cannot read ``config`` (a result named ""), else None."""
    assert CST is not None
    res = proc.run(
        [CST, "test", "--driver", "tar", "--image", str(image), "--config", str(config),
         "--output", "json"],
        check=False,
    )  # fmt: skip
    results = json.loads(res.stdout or "{}").get("Results") or []
    return next((" ".join(r.get("Errors", [])) for r in results if r["Name"] == ""), None)


def test_structure_configs_load_or_cst_rejects_them_too(tmp_path: Path) -> None:
    configs = corpus.require("structure")
    if CST is None:
        pytest.skip("container-structure-test not installed")
    image = _one_file_image(tmp_path)
    loaded, both_reject, differ = 0, 0, []
    for config in configs:
        try:
            load_structure_config(str(config))
            loaded += 1
            assert _cst_rejects(image, config) is None, f"{config}: CST rejects it, we load it"
        except ConfigError as exc:
            theirs = _cst_rejects(image, config)
            if theirs is not None:
                both_reject += 1
            elif "regular expression (RE2)" in str(exc):
                differ.append(f"{config}: deliberate (invalid regex at load time): {exc}")
            else:
                pytest.fail(f"{config}: CST reads it, we reject it: {exc}")
    print(f"\n{len(configs)} structure configs: {loaded} load, {both_reject} rejected by both;"
          f" {len(differ)} deliberate:")  # fmt: skip
    print("\n".join(differ))
