"""`dockwright init` without an engine: which Dockerfiles it finds, how it names their images,
what it reads off an image (through a stand-in file view and command), the files' text, and
that it writes over nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

import pytest
import yaml

from dockwright.dockerfile import parse
from dockwright.engine.base import ImageConfig, PathStat
from dockwright.errors import UsageError
from dockwright.init.derive import (
    CommandCheck,
    FileCheck,
    MetadataCheck,
    Suite,
    derive,
    version_pattern,
)
from dockwright.init.find import Starter, find_dockerfiles, is_dockerfile, plan_images
from dockwright.init.render import Entry, config_text, structure_text
from dockwright.init.starter import plan
from dockwright.pipeline.config import load_config
from dockwright.structure.config import load_config as load_structure


def _files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("Dockerfile", True),
        ("Containerfile", True),
        ("Dockerfile.dev", True),
        ("worker.Dockerfile", True),
        ("api.dockerfile", True),
        ("Dockerfile.j2", False),
        ("Dockerfile.md", False),
        ("Dockerfile.dockerignore", False),
        ("Dockerfiles", False),
        ("README.md", False),
    ],
)
def test_what_is_a_dockerfile(name: str, found: bool) -> None:
    assert is_dockerfile(name) is found


def test_finds_the_repository_s_dockerfiles_not_vendored_hidden_or_ignored(
    tmp_path: Path,
) -> None:
    _files(
        tmp_path,
        {
            "Dockerfile": "FROM scratch\n",
            "services/api/Dockerfile": "FROM scratch\n",
            "services/api/Dockerfile.dev": "FROM scratch\n",
            "docker/worker.Dockerfile": "FROM scratch\n",
            "vendor/lib/Dockerfile": "FROM scratch\n",
            "node_modules/x/Dockerfile": "FROM scratch\n",
            ".devcontainer/Dockerfile": "FROM scratch\n",
            "tests/fixtures/Dockerfile": "FROM scratch\n",
            "build-output/Dockerfile": "FROM scratch\n",
            ".gitignore": "build-output/\n",
        },
    )
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert find_dockerfiles(tmp_path) == [
        PurePosixPath("Dockerfile"),
        PurePosixPath("docker/worker.Dockerfile"),
        PurePosixPath("services/api/Dockerfile"),
        PurePosixPath("services/api/Dockerfile.dev"),
    ]


def test_without_git_it_walks_and_skips_the_same(tmp_path: Path) -> None:
    _files(
        tmp_path,
        {
            "app/Dockerfile": "FROM scratch\n",
            "venv/lib/Dockerfile": "FROM scratch\n",
            "venv/pyvenv.cfg": "home = /usr\n",
            "third_party/x/Dockerfile": "FROM scratch\n",
        },
    )
    assert find_dockerfiles(tmp_path) == [PurePosixPath("app/Dockerfile")]


def test_image_names_contexts_and_test_files(tmp_path: Path) -> None:
    root = tmp_path / "Shop Front"
    _files(
        root,
        {
            "Dockerfile": "FROM scratch\nCOPY site /site\n",
            "site/index.html": "hi\n",
            "services/api/Dockerfile": "FROM scratch\nCOPY main.py /app/\n",
            "services/api/main.py": "",
            "services/api/Dockerfile.dev": "FROM scratch\n",
            "docker/worker.Dockerfile": "FROM scratch\nCOPY worker/run.sh /run.sh\n",
            "worker/run.sh": "",
            "legacy/api/Dockerfile": "FROM scratch\n",
        },
    )
    starters = plan_images(root, find_dockerfiles(root))
    assert [(s.name, str(s.dockerfile), str(s.context), str(s.tests)) for s in starters] == [
        ("shop-front", "Dockerfile", ".", "structure-test.yaml"),
        ("worker", "docker/worker.Dockerfile", ".", "docker/structure-test.yaml"),
        ("legacy-api", "legacy/api/Dockerfile", "legacy/api", "legacy/api/structure-test.yaml"),
        (
            "services-api",
            "services/api/Dockerfile",
            "services/api",
            "services/api/services-api.structure-test.yaml",
        ),
        (
            "api-dev",
            "services/api/Dockerfile.dev",
            "services/api",
            "services/api/api-dev.structure-test.yaml",
        ),
    ]
    assert starters[1].dockerfile_in_context == "docker/worker.Dockerfile"


class View:
    """An image's files: path -> (type, mode)."""

    def __init__(self, files: dict[str, tuple[str, int]]) -> None:
        self.files = files

    def lstat(self, path: str, *, owner: bool = False) -> PathStat | None:
        found = self.files.get(path)
        return None if found is None else PathStat(path, found[0], found[1], -1, -1, 0)

    def missing(self, path: str) -> str:
        return f"{path}: no such file"


DOCKERFILE = """\
FROM busybox:1.35 AS base
ENV APP_HOME=/opt/app
WORKDIR $APP_HOME
COPY conf/ ./conf/
FROM base
ARG VERSION=1.2.3
COPY app.py lib/*.py ./
COPY --from=base /etc/passwd /etc/passwd.copy
ADD https://example.com/data.tar.gz?x=1 /data/
USER app
EXPOSE 8080/tcp 9090/udp
ENV MODE=prod
ENTRYPOINT ["app"]
CMD ["--serve"]
"""


def test_tests_read_off_the_image(tmp_path: Path) -> None:
    _files(
        tmp_path,
        {"conf/a.ini": "", "conf/b.ini": "", "app.py": "", "lib/x.py": "", "lib/y.txt": ""},
    )
    cfg = ImageConfig(
        env=("PATH=/usr/bin:/bin", "APP_HOME=/opt/app", "MODE=prod"),
        entrypoint=("app",),
        cmd=("--serve",),
        user="app",
        workdir="/opt/app",
        exposed_ports=("8080/tcp", "9090/udp"),
    )
    view = View(
        {
            "/opt/app/conf": ("dir", 0o755),
            "/opt/app/conf/a.ini": ("file", 0o644),
            "/opt/app/app.py": ("file", 0o644),
            "/opt/app/x.py": ("file", 0o600),
            "/etc/passwd.copy": ("file", 0o644),
            "/data": ("dir", 0o755),
            "/usr/bin/app": ("file", 0o755),
            "/bin/sh": ("file", 0o755),
        }
    )
    asked: list[tuple[str, tuple[str, ...]]] = []

    def probe(program: str, args: tuple[str, ...]) -> tuple[bool, str, str] | None:
        asked.append((program, args))
        return True, "app version 1.2.3 (build 77)\nmore\n", ""

    suite = derive(parse(DOCKERFILE), cfg, view, probe, tmp_path)
    assert asked == [("app", ("--version",))]
    assert suite == Suite(
        commands=(
            CommandCheck(
                "app --version",
                "app",
                ("--version",),
                expected_output=(r"^app version \d+\.\d+\.\d+ \(build \d+\)",),
                why="the image's program answers --version; its first line, numbers left free",
            ),
        ),
        files=(
            FileCheck("/opt/app/conf", "drwxr-xr-x", "COPY, line 4"),
            FileCheck("/opt/app/conf/a.ini", "-rw-r--r--", "COPY, line 4"),
            FileCheck("/opt/app/app.py", "-rw-r--r--", "COPY, line 7"),
            FileCheck("/opt/app/x.py", "-rw-------", "COPY, line 7"),
            FileCheck("/etc/passwd.copy", "-rw-r--r--", "COPY, line 8"),
            FileCheck("/data", "drwxr-xr-x", "ADD, line 9"),
        ),
        metadata=MetadataCheck(
            entrypoint=("app",),
            cmd=("--serve",),
            workdir="/opt/app",
            user="app",
            exposed_ports=("8080", "9090"),
            env=(("APP_HOME", "/opt/app"), ("MODE", "prod")),
        ),
    )


def test_a_program_without_version_gets_test_x_or_without_a_shell_a_file_test(
    tmp_path: Path,
) -> None:
    cfg = ImageConfig(env=("PATH=/usr/local/bin:/bin",), cmd=("/bin/sh", "-c", "exec srv -v"))
    files = {"/bin/srv": ("file", 0o755), "/bin/sh": ("file", 0o755)}

    def fails(program: str, args: tuple[str, ...]) -> tuple[bool, str, str] | None:
        return False, "", "unknown option --version"

    df = parse("FROM scratch\n")
    suite = derive(df, cfg, View(files), fails, tmp_path)
    assert suite.commands == (
        CommandCheck(
            "srv is executable",
            "sh",
            ("-c", "test -x /bin/srv"),
            why="the image's program (srv) gives no --version: is it there to run?",
        ),
    )
    del files["/bin/sh"]
    suite = derive(df, cfg, View(files), fails, tmp_path)
    assert suite.commands == ()
    assert suite.files == (
        FileCheck("/bin/srv", "-rwxr-xr-x", "the image's program (no shell to run it)", True),
    )


def test_version_pattern_is_the_first_line_with_numbers_free() -> None:
    assert version_pattern("\nPython 3.11.2\n") == r"^Python \d+\.\d+\.\d+"
    assert version_pattern("v1.0 [x] (a|b) $HOME ^") == r"^v\d+\.\d+ \[x\] \(a\|b\) \$HOME \^"


STARTER = Starter(
    "api",
    PurePosixPath("services/api/Dockerfile"),
    PurePosixPath("services/api"),
    PurePosixPath("services/api/structure-test.yaml"),
)


def test_the_structure_test_file_reads_back_as_written(tmp_path: Path) -> None:
    suite = Suite(
        commands=(CommandCheck("api --version", "api", ("--version",), (r"^api \d+",), (), "why"),),
        files=(
            FileCheck("/srv/api", "-rwxr-xr-x", "COPY, line 3"),
            FileCheck("/srv/bin", "-rwxr-xr-x", "the image's program", True),
        ),
        metadata=MetadataCheck(
            entrypoint=("/srv/api",),
            cmd=(),
            workdir="/srv",
            user="10001:10001",
            exposed_ports=("8080",),
            env=(("MODE", "yes"), ("MSG", 'a "b" # c: d')),
        ),
    )
    text = structure_text(STARTER, suite)
    assert text.splitlines()[:5] == [
        "# Structure tests of the image `api` (container-structure-test, schema 2.0.0),",
        "# written by `dockwright init` from the image services/api/Dockerfile builds; each "
        "passed on it.",
        "# `dockwright run` runs them after each build, as does",
        "# `container-structure-test test --image IMAGE --config FILE`.",
        'schemaVersion: "2.0.0"  # the format of this file',
    ]
    path = tmp_path / "structure-test.yaml"
    path.write_text(text)
    config = load_structure(str(path))
    assert [(t.name, t.command, t.args, t.expected_output) for t in config.command_tests] == [
        ("api --version", "api", ("--version",), (r"^api \d+",))
    ]
    assert [(t.path, t.permissions, t.is_executable_by) for t in config.file_existence_tests] == [
        ("/srv/api", "-rwxr-xr-x", ""),
        ("/srv/bin", "-rwxr-xr-x", "any"),
    ]
    meta = config.metadata_test
    assert (meta.entrypoint, meta.cmd, meta.workdir, meta.user, meta.exposed_ports) == (
        ("/srv/api",),
        (),
        "/srv",
        "10001:10001",
        ("8080",),
    )
    assert [(e.key, e.value, e.is_regex) for e in meta.env_vars] == [
        ("MODE", "yes", False),
        ("MSG", 'a "b" # c: d', False),
    ]


def test_the_config_is_valid_and_says_why_tests_are_missing(tmp_path: Path) -> None:
    _files(tmp_path, {"services/api/Dockerfile": "FROM scratch\n", "worker/Dockerfile": "x"})
    (tmp_path / "services/api/structure-test.yaml").write_text("schemaVersion: 2.0.0\n")
    worker = Starter(
        "worker",
        PurePosixPath("worker/Dockerfile"),
        PurePosixPath("worker"),
        PurePosixPath("worker/structure-test.yaml"),
    )
    text = config_text(
        [Entry(STARTER, True), Entry(worker, False, "the build failed: exit 1")],
        ["DL3008", "DL3018"],
        "",
    )
    assert (
        "    # tests: [worker/structure-test.yaml]  # not written: the build failed: exit 1\n"
        in text
    )
    assert (
        "  ignored: [DL3008, DL3018]  # rules these Dockerfiles break today: fix them, then "
        "take them out\n" in text
    )
    (tmp_path / "dockwright.yaml").write_text(text)
    config = load_config(tmp_path / "dockwright.yaml")
    assert list(config.images) == ["api", "worker"]
    assert config.images["api"].tests == (tmp_path / "services/api/structure-test.yaml",)
    assert config.images["worker"].tests == ()
    assert yaml.safe_load(text)["lint"] == {
        "failure-threshold": "warning",
        "ignored": ["DL3008", "DL3018"],
    }
    with_hadolint = config_text([Entry(STARTER, True)], [], ".hadolint.yaml")
    assert "lint" not in yaml.safe_load(with_hadolint)


def test_writes_over_nothing_unless_forced(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        plan(tmp_path, force=False)
    assert str(caught.value) == (
        f"no Dockerfile in {tmp_path} (hidden, vendored and test-data directories are skipped)"
    )
    _files(tmp_path, {"a/Dockerfile": "FROM scratch\n", "b/Dockerfile": "FROM scratch\n"})
    (tmp_path / "dockwright.yaml").write_text("version: 1\n")
    (tmp_path / "b/structure-test.yaml").write_text("")
    with pytest.raises(UsageError) as caught:
        plan(tmp_path, force=False)
    assert str(caught.value) == (
        f"dockwright.yaml, b/structure-test.yaml already exist in {tmp_path}; --force writes "
        "over them"
    )
    assert [s.name for s in plan(tmp_path, force=True)] == ["a", "b"]
