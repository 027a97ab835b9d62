"""The checks of each test kind, as pure functions over a :class:`FileView` and image config.

Messages are container-structure-test's, word for word, so reports read the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from dockwright.engine.base import ImageConfig
from dockwright.structure.config import (
    FileContentTest,
    FileExistenceTest,
    LicenseTest,
    MetadataTest,
)
from dockwright.structure.goexpand import expand_env, file_mode_string
from dockwright.structure.regex import compile_regex
from dockwright.structure.results import TestResult
from dockwright.structure.views import FileView

_EXECUTABLE_MASKS = {"any": 0o111, "owner": 0o100, "group": 0o010, "other": 0o001}
# CST's hard-coded denylist, and the one Debian package it lets through.
_BANNED_LICENSES = ("AGPL", "WTFPL")
_DEBIAN_DOC = "/usr/share/doc"
_DEBIAN_ALLOWED = ("libgnutls30",)


def check_patterns(
    errors: list[str], expected: Sequence[str], excluded: Sequence[str], text: str, where: str
) -> None:
    """An invalid regex fails in both lists, as in CST."""
    for pattern in expected:
        match = compile_regex(pattern)
        if match is None or not match(text):
            errors.append(f"Expected string '{pattern}' not found in {where} '{text}'")
    for pattern in excluded:
        match = compile_regex(pattern)
        if match is None or match(text):
            errors.append(f"Excluded string '{pattern}' found in {where} '{text}'")


def file_existence(view: FileView, test: FileExistenceTest, env: dict[str, str]) -> TestResult:
    name = f"File Existence Test: {test.name}"
    path = expand_env(test.path, env)
    stat = view.lstat(path, owner=test.uid != -1 or test.gid != -1)
    errors: list[str] = []
    if stat is None or stat.type == "other":  # CST sees only files, dirs and links
        if test.should_exist:
            why = view.missing(path) if stat is None else f"File {path} not found in image"
            errors.append(f"Error examining file in container: {why}")
        return TestResult(name, not errors, tuple(errors))
    if not test.should_exist:
        return TestResult(name, False, (f"File {test.path} should not exist but does",))
    mode = file_mode_string(stat.type, stat.mode)
    if test.permissions and mode != test.permissions:
        errors.append(
            f"{test.path} has incorrect permissions. Expected: {test.permissions}, Actual: {mode}"
        )
    if test.is_executable_by:
        mask = _EXECUTABLE_MASKS.get(test.is_executable_by)
        if mask is None:
            errors.append(f"{test.is_executable_by} not recognised as a valid option")
        elif not stat.mode & mask:
            errors.append(
                f"{test.path} has incorrect executable bit. Expected to be executable by "
                f"{test.is_executable_by}, Actual: {mode}"
            )
    if test.uid != -1 or test.gid != -1:
        if stat.uid < 0:  # this view cannot tell owners (CST's tar and host drivers)
            errors.append(f"Error checking ownership of file {test.path}")
        else:
            if test.uid != -1 and stat.uid != test.uid:
                errors.append(
                    f"{test.path} has incorrect user ownership. "
                    f"Expected: {test.uid}, Actual: {stat.uid}"
                )
            if test.gid != -1 and stat.gid != test.gid:
                errors.append(
                    f"{test.path} has incorrect group ownership. "
                    f"Expected: {test.gid}, Actual: {stat.gid}"
                )
    return TestResult(name, not errors, tuple(errors))


def file_content(view: FileView, test: FileContentTest) -> TestResult:
    name = f"File Content Test: {test.name}"
    read = view.read(test.path)  # CST does not expand variables here
    if read.error:
        return TestResult(name, False, (f"Failed to open {test.path}. Error: {read.error}",))
    text = read.data.decode(errors="replace")
    errors: list[str] = []
    check_patterns(
        errors, test.expected_contents, test.excluded_contents, text, "file content string"
    )
    return TestResult(name, not errors, tuple(errors))


def license_check(view: FileView, test: LicenseTest) -> TestResult:
    """CST's licenseTests: the first problem found is the one reported."""

    def fail(message: str) -> TestResult:
        return TestResult("License Test", False, (message,))

    def banned(path: str, data: bytes) -> str:
        upper = data.decode(errors="replace").upper()
        for word in _BANNED_LICENSES:
            if word in upper:
                return f"Invalid license for {path}, license contains {word}"
        return ""

    if test.debian:
        listing = view.listdir(_DEBIAN_DOC)
        if listing.error:
            return fail(f"Error reading directory: {listing.error}")
        for package in listing.names:
            if package in _DEBIAN_ALLOWED:
                continue
            path = f"{_DEBIAN_DOC}/{package}/copyright"
            read = view.read(path)
            if read.error:
                return fail(f"Error reading license file for {path}: {read.error}")
            if message := banned(path, read.data):
                return fail(message)
    for path in test.files:
        read = view.read(path)
        if read.error:
            return fail(f"Error reading license file for {path}: {read.error}")
        if message := banned(path, read.data):
            return fail(message)
    return TestResult("License Test", True)


def metadata(cfg: ImageConfig, test: MetadataTest) -> TestResult:
    """Every mismatch is its own error, in CST's order."""
    errors: list[str] = []
    env = cfg.env_map()
    for want in test.env_vars:
        if want.key not in env:
            errors.append(f"variable {want.key} not found in image env")
        elif not _value_matches(env[want.key], want.value, want.is_regex):
            errors.append(
                f"env var {want.key} value {env[want.key]} does not match expected value: "
                f"{want.value}"
            )
    for key in test.unbound_env_vars:
        if key in env:
            errors.append(f"env variable {key} should not be present in image metadata")
    for want in test.labels:
        if want.key not in cfg.labels:
            errors.append(f"label {want.key} not found in image metadata")
        elif not _value_matches(cfg.labels[want.key], want.value, want.is_regex):
            errors.append(
                f"label {want.key} value {cfg.labels[want.key]} does not match expected "
                f"value: {want.value}"
            )
    if test.entrypoint is not None and tuple(cfg.entrypoint or ()) != test.entrypoint:
        errors.append(
            f"Image entrypoint {_go_list(cfg.entrypoint)} does not match expected "
            f"entrypoint: {_go_list(test.entrypoint)}"
        )
    if test.cmd is not None and tuple(cfg.cmd or ()) != test.cmd:
        errors.append(
            f"Image Cmd {_go_list(cfg.cmd)} does not match expected Cmd: {_go_list(test.cmd)}"
        )
    if test.workdir and cfg.workdir != test.workdir:
        errors.append(f"Image workdir {cfg.workdir} does not match config workdir: {test.workdir}")
    if test.user and cfg.user != test.user:
        errors.append(f"Image user {cfg.user} does not match config user: {test.user}")
    ports = {p.split("/", 1)[0] for p in cfg.exposed_ports}
    errors += [f"Port {p} not found in config" for p in test.exposed_ports if p not in ports]
    errors += [f"Port {p} should not be exposed" for p in test.unexposed_ports if p in ports]
    volumes = set(cfg.volumes)
    errors += [f"Volume {v} not found in config" for v in test.volumes if v not in volumes]
    errors += [f"Volume {v} should not be mounted" for v in test.unmounted_volumes if v in volumes]
    return TestResult("Metadata Test", not errors, tuple(errors))


def _go_list(items: Sequence[str] | None) -> str:
    return "[" + " ".join(items or ()) + "]"


def _value_matches(actual: str, expected: str, is_regex: bool) -> bool:
    if not is_regex:
        return actual == expected
    match = compile_regex(expected)
    return match is not None and match(actual)
