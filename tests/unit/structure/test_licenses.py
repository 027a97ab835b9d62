"""licenseTests as CST 1.19.1 runs them (pkg/types/v2/licenses.go): every problem, in order."""

from __future__ import annotations

from dataclasses import dataclass, field

from dockwright.engine.base import PathStat
from dockwright.structure.config import LicenseTest
from dockwright.structure.licenses import license_test
from dockwright.structure.views import Listing, Read


@dataclass
class FakeView:
    """A FileView over a dict of paths: directories are implied by the files under them."""

    files: dict[str, bytes] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)

    def _dirs(self) -> set[str]:
        out = set()
        for path in self.files:
            parts = path.split("/")
            out.update("/".join(parts[:i]) for i in range(2, len(parts)))
        return out

    def lstat(self, path: str, *, owner: bool = False) -> PathStat | None:
        if path in self.links:
            return PathStat(path, "symlink", 0o777, -1, -1, 0, self.links[path])
        if path in self.files:
            return PathStat(path, "file", 0o644, -1, -1, len(self.files[path]))
        if path in self._dirs():
            return PathStat(path, "dir", 0o755, -1, -1, 0)
        return None

    def missing(self, path: str) -> str:
        return f"lstat {path}: no such file or directory"

    def read(self, path: str) -> Read:
        for link, target in self.links.items():
            if path.startswith(link + "/"):
                path = target + path[len(link) :]
        if path not in self.files:
            return Read(error=f"open {path}: no such file or directory")
        return Read(self.files[path])

    def listdir(self, path: str) -> Listing:
        prefix = path + "/"
        names = {p[len(prefix) :].split("/")[0] for p in [*self.files, *self.links]
                 if p.startswith(prefix)}  # fmt: skip
        return Listing(tuple(sorted(names))) if names else Listing(error=f"open {path}: gone")


DOC = "/usr/share/doc"


def test_every_problem_is_reported_in_order() -> None:
    view = FakeView(
        files={
            f"{DOC}/a/copyright": b"MIT",
            f"{DOC}/b/changelog.gz": b"",  # no copyright file
            f"{DOC}/c/copyright": b"GNU Affero (agpl)",
            f"{DOC}/libgnutls30/x": b"",  # allowed without one
            f"{DOC}/README": b"a file, not a package",
            f"{DOC}/real/copyright": b"do wtfpl",
            "/l": b"gnu agpl v3",
        },
        links={f"{DOC}/link": f"{DOC}/real"},  # not a directory: skipped
    )
    result = license_test(view, LicenseTest(debian=True, files=("/l", "/missing")))
    assert not result.passed
    assert result.errors == (
        f"Error reading license file for b: lstat {DOC}/b/copyright: no such file or directory",
        f"Error reading license file for {DOC}/b/copyright: open {DOC}/b/copyright: "
        "no such file or directory",
        f"Invalid license for {DOC}/c/copyright, license contains AGPL",
        f"Invalid license for {DOC}/real/copyright, license contains WTFPL",
        "Invalid license for /l, license contains AGPL",
        "Error reading license file for /missing: open /missing: no such file or directory",
    )


def test_passing_and_unreadable_directory() -> None:
    view = FakeView(files={f"{DOC}/a/copyright": b"MIT", f"{DOC}/libgnutls30/x": b""})
    assert license_test(view, LicenseTest(debian=True)).passed
    assert license_test(view, LicenseTest()).passed
    missing = license_test(FakeView(), LicenseTest(debian=True, files=("/x",)))
    assert missing.errors == ("Error reading directory: open /usr/share/doc: gone",)
