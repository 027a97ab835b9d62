"""`dockwright publish` runs in every release job: it must not pay for lint, structure tests or
the image export it does not need (start-up cost is most of a re-publish)."""

from __future__ import annotations

from pathlib import Path

from tests.support.imports import modules_after

CONFIG = """\
version: 1
images:
  app:
    context: .
    tags: [{type: raw, value: "1.0.0"}, {type: raw, value: latest}]
    publish:
      - repository: 127.0.0.1:1/acme/app
        insecure: true
"""


def test_publish_path_imports_stay_small(tmp_path: Path) -> None:
    (tmp_path / "dockwright.yaml").write_text(CONFIG)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    code = "from dockwright.cli.main import main\nmain(['publish', '--source', 'app:1'])"
    # No daemon behind this socket: the command gets as far as asking the engine for the image.
    env = {
        "DOCKER_HOST": f"unix://{tmp_path}/no.sock",
        "DOCKER_CONFIG": str(tmp_path),
        "DOCKWRIGHT_ENGINE": "docker",  # auto would turn to a Podman service that answers
    }
    loaded, res = modules_after(code, cwd=tmp_path, extra_env=env)
    assert "cannot reach the Docker daemon" in res.stderr
    assert {"dockwright.engine.docker", "dockwright.publish.flow", "httpx"} <= loaded
    # the schema of dockwright.yaml's update: section, which load_config checks
    update_schema = {
        "dockwright.update",
        "dockwright.update.settings",
        "dockwright.update.patterns",
    }
    ours = {m for m in loaded if m.startswith("dockwright.")} - {"dockwright.cli"} - update_schema
    allowed = (
        "dockwright.cli.main", "dockwright.cli.errors", "dockwright.cli.publish",
        "dockwright.engine", "dockwright.errors", "dockwright.image.ref", "dockwright.image",
        "dockwright.pipeline", "dockwright.proc", "dockwright.record",
        "dockwright.publish", "dockwright.registry", "dockwright.tags", "dockwright.config",
    )  # fmt: skip
    assert all(m.startswith(allowed) for m in ours), sorted(ours)
    # Only building, linting, testing or exporting an image needs these. httpx imports its
    # own command line (click, rich, pygments) when those happen to be installed: what
    # `import httpx` loads by itself is not ours to guard.
    heavy = {
        "dockwright.pipeline.lintstep", "dockwright.publish.archive", "dockwright.engine.build",
        "dockwright.cli.liveview",
        "isal", "multiprocessing", "asyncio", "rich", "pydantic", "jsonschema",
    } - modules_after("import httpx")[0]  # fmt: skip
    assert not loaded & heavy, sorted(loaded & heavy)


def test_dry_run_needs_no_engine(tmp_path: Path) -> None:
    (tmp_path / "dockwright.yaml").write_text(CONFIG)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    code = "from dockwright.cli.main import main\nmain(['publish', '--dry-run'])"
    loaded, res = modules_after(code, cwd=tmp_path)
    assert "would tag 127.0.0.1:1/acme/app:1.0.0  (immutable)" in res.stdout
    assert not loaded & {"dockwright.engine.docker", "httpcore", "dockwright.publish.archive"}
