"""licenseTests as container-structure-test runs them.

Every problem is reported, in order: with ``debian: true``, for each package directory under
``/usr/share/doc`` (symlinks and files there are skipped, as is ``libgnutls30``) a missing
``copyright`` file gives the stat error named by the package, then the read error named by the
path; then each of ``files``. A license file containing ``AGPL`` or ``WTFPL`` (any case) fails.
"""

from __future__ import annotations

from dockwright.structure.config import LicenseTest
from dockwright.structure.results import TestResult
from dockwright.structure.views import FileView

NAME = "License Test"
# CST's hard-coded denylist, and the one Debian package it lets through.
BANNED = ("AGPL", "WTFPL")
DEBIAN_DOC = "/usr/share/doc"
DEBIAN_ALLOWED = ("libgnutls30",)


def _check_file(view: FileView, path: str) -> str:
    """The problem with one license file ('' when none)."""
    read = view.read(path)
    if read.error:
        return f"Error reading license file for {path}: {read.error}"
    upper = read.data.decode(errors="replace").upper()
    for word in BANNED:
        if word in upper:
            return f"Invalid license for {path}, license contains {word}"
    return ""


def license_test(view: FileView, test: LicenseTest) -> TestResult:
    errors: list[str] = []
    if test.debian:
        listing = view.listdir(DEBIAN_DOC)
        if listing.error:
            return TestResult(NAME, False, (f"Error reading directory: {listing.error}",))
        for package in listing.names:
            directory = f"{DEBIAN_DOC}/{package}"
            found = view.lstat(directory)
            if found is None or found.type != "dir" or package in DEBIAN_ALLOWED:
                continue
            path = f"{directory}/copyright"
            problem = _check_file(view, path)
            if problem and view.lstat(path) is None:  # CST stats the file first
                errors.append(f"Error reading license file for {package}: {view.missing(path)}")
            if problem:
                errors.append(problem)
    for path in test.files:
        if problem := _check_file(view, path):
            errors.append(problem)
    return TestResult(NAME, not errors, tuple(errors))
