"""`dockwright init` on a fresh repository, end to end: it builds both images through the
engine, writes dockwright.yaml and a structure-test file per image, and then `dockwright run
--no-publish` passes, and container-structure-test 1.19.1 passes the generated tests too."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

from dockwright.cli.main import COMMANDS, main

pytestmark = pytest.mark.integration

CST = Path(sys.executable).parent / "container-structure-test"
DOCKER = "/usr/bin/docker"

WEB = """\
FROM dockwright.local/busybox:1.35
WORKDIR /srv/www
COPY index.html ./
COPY conf/ /etc/web/
ENV WEB_ROOT=/srv/www PORT=8080
EXPOSE 8080/tcp
USER 65534
ENTRYPOINT ["httpd", "-f", "-p", "8080", "-h", "/srv/www"]
"""

CLI = """\
FROM dockwright.local/debian:bookworm
COPY greet.sh /usr/local/bin/greet
ENTRYPOINT ["greet"]
CMD ["world"]
"""

GREET = """\
#!/bin/sh
if [ "$1" = --version ]; then echo "greet 2.3.1"; exit 0; fi
echo "hello, $1"
"""


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    (root / "web" / "conf").mkdir(parents=True)
    (root / "tools" / "cli").mkdir(parents=True)
    (root / "web" / "Dockerfile").write_text(WEB)
    (root / "web" / "index.html").write_text("<h1>hello</h1>\n")
    (root / "web" / "conf" / "web.conf").write_text("root=/srv/www\n")
    (root / "tools" / "cli" / "Dockerfile").write_text(CLI)
    (root / "tools" / "cli" / "greet.sh").write_text(GREET)
    (root / "tools" / "cli" / "greet.sh").chmod(0o755)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "first"], cwd=root, check=True)
    return root


def _remove(*refs: str) -> None:
    if refs:
        subprocess.run([DOCKER, "image", "rm", "--force", *refs], capture_output=True, check=False)


@pytest.mark.skipif(not CST.exists(), reason="container-structure-test not installed")
def test_init_then_run_and_container_structure_test_pass(
    tmp_path: Path,
    base_images: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = _repo(tmp_path)
    monkeypatch.setitem(COMMANDS, "init", ("dockwright.cli.init", "a starter dockwright.yaml"))
    built: list[str] = []
    try:
        assert main(["init", str(root)]) == 0
        out = capsys.readouterr().out
        built += re.findall(r"sha256:[0-9a-f]{64}", out)
        lines = [re.sub(r"sha256:[0-9a-f]{64}", "<id>", line) for line in out.splitlines()]
        lines = [line for line in lines if not line.startswith("builder: ")]
        assert lines[:3] + sorted(lines[3:5]) + lines[5:] == [  # images finish in any order
            "2 Dockerfiles:",
            "  web  web/Dockerfile (context web)",
            "  cli  tools/cli/Dockerfile (context tools/cli)",
            "  cli  <id>: 3 structure tests pass",
            "  web  <id>: 5 structure tests pass",
            f"wrote {root}/web/structure-test.yaml",
            f"wrote {root}/tools/cli/structure-test.yaml",
            f"wrote {root}/dockwright.yaml",
            "next: dockwright run --no-publish (then add a publish: repository to publish)",
        ]
        web = yaml.safe_load((root / "web" / "structure-test.yaml").read_text())
        assert web["commandTests"] == [
            {"name": "httpd is executable", "command": "sh", "args": ["-c", "test -x /bin/httpd"]}
        ]
        assert [t["path"] for t in web["fileExistenceTests"]] == [
            "/srv/www/index.html",
            "/etc/web",
            "/etc/web/web.conf",
        ]
        assert web["metadataTest"] == {
            "entrypoint": ["httpd", "-f", "-p", "8080", "-h", "/srv/www"],
            "workdir": "/srv/www",
            "user": "65534",
            "exposedPorts": ["8080"],
            "envVars": [
                {"key": "WEB_ROOT", "value": "/srv/www"},
                {"key": "PORT", "value": "8080"},
            ],
        }
        cli = yaml.safe_load((root / "tools" / "cli" / "structure-test.yaml").read_text())
        assert cli["commandTests"][0]["expectedOutput"] == [r"^greet \d+\.\d+\.\d+"]

        env = {k: v for k, v in os.environ.items() if k != "CI" and not k.startswith("GITHUB")}
        run = subprocess.run(
            [sys.executable, "-m", "dockwright", "run", "--no-publish"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        record = json.loads((root / ".dockwright" / "reports" / "run.json").read_text())
        images = {
            job["name"]: step["image_id"]
            for job in record["jobs"]
            for step in job["steps"]
            if step["kind"] == "build"
        }
        built += images.values()
        assert sorted(images) == ["cli", "web"]
        tests = {"web": "web/structure-test.yaml", "cli": "tools/cli/structure-test.yaml"}
        for name, image_id in images.items():
            tag = f"dockwright-test/init-{name}:{uuid.uuid4().hex[:12]}"
            subprocess.run([DOCKER, "tag", image_id, tag], check=True)
            built.append(tag)
            cst = subprocess.run(
                [str(CST), "test", "--image", tag, "--config", str(root / tests[name])],
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert cst.returncode == 0, cst.stdout + cst.stderr
            assert "FAIL" not in cst.stdout
    finally:
        _remove(*reversed(built))
