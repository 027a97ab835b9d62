from __future__ import annotations

from dataclasses import dataclass, field

from dockwright.engine.base import ImageConfig, PathStat
from dockwright.structure import checks
from dockwright.structure.config import FileExistenceTest, LicenseTest, MetadataTest
from dockwright.structure.views import Listing, Read


@dataclass
class FakeView:
    """A FileView over a dict, for the pure checks."""

    stats: dict[str, PathStat] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)

    def lstat(self, path: str, *, owner: bool = False) -> PathStat | None:
        return self.stats.get(path)

    def missing(self, path: str) -> str:
        return f"lstat {path}: no such file or directory"

    def read(self, path: str) -> Read:
        if path not in self.files:
            return Read(error=f"open {path}: no such file or directory")
        return Read(self.files[path])

    def listdir(self, path: str) -> Listing:
        prefix = path + "/"
        names = {p[len(prefix) :].split("/")[0] for p in self.files if p.startswith(prefix)}
        return Listing(tuple(sorted(names))) if names else Listing(error=f"open {path}: gone")


def test_regex_is_re2_over_the_whole_text() -> None:
    errors: list[str] = []
    checks.check_patterns(
        errors, ["world$", "(?m)^world$", "("], ["(?i)HELLO"], "hello\nworld\n", "output"
    )
    assert errors == [
        "Expected string 'world$' not found in output 'hello\nworld\n'",
        "Expected string '(' not found in output 'hello\nworld\n'",
        "Excluded string '(?i)HELLO' found in output 'hello\nworld\n'",
    ]


def test_existence_owner_unknown_and_special_files() -> None:
    view = FakeView(
        {
            "/x": PathStat("/x", "file", 0o4755, -1, -1, 1),
            "/p": PathStat("/p", "other", 0o644, 0, 0, 0),
        }
    )
    result = checks.file_existence(
        view, FileExistenceTest("t", "/x", uid=0, permissions="urwxr-xr-x"), {}
    )
    assert result.errors == ("Error checking ownership of file /x",)
    fifo = checks.file_existence(view, FileExistenceTest("f", "/p"), {})
    assert fifo.errors == ("Error examining file in container: File /p not found in image",)
    assert checks.file_existence(
        view, FileExistenceTest("n", "$D/p", should_exist=False), {"D": ""}
    ).passed


def test_license_first_problem_wins() -> None:
    view = FakeView(
        files={
            "/usr/share/doc/a/copyright": b"MIT",
            "/usr/share/doc/libgnutls30/x": b"",
            "/l": b"gnu agpl v3",
        }
    )
    assert checks.license_check(view, LicenseTest(debian=True)).passed
    bad = checks.license_check(view, LicenseTest(files=("/l", "/missing")))
    assert bad.errors == ("Invalid license for /l, license contains AGPL",)
    missing = checks.license_check(FakeView(), LicenseTest(debian=True))
    assert missing.errors == ("Error reading directory: open /usr/share/doc: gone",)


def test_metadata_messages() -> None:
    cfg = ImageConfig(env=("A=1", "E="), cmd=("x",), exposed_ports=("80/tcp",), volumes=("/v",))
    result = checks.metadata(
        cfg,
        MetadataTest(
            cmd=(), entrypoint=None, exposed_ports=("80", "81"), unmounted_volumes=("/v",)
        ),
    )
    assert result.errors == (
        "Image Cmd [x] does not match expected Cmd: []",
        "Port 81 not found in config",
        "Volume /v should not be mounted",
    )
