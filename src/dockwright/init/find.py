"""The Dockerfiles of a repository, and the image each one makes: its name, build context and
structure-test file.

Files are listed by git when the directory is a checkout (so what .gitignore leaves out is
left out), else by walking it. Hidden directories, vendored code (``vendor``,
``node_modules``, ``third_party``), virtualenvs and test data (``testdata``, ``fixtures``) are
skipped: their Dockerfiles are not this repository's images. A Dockerfile is ``Dockerfile``,
``Containerfile``, ``Dockerfile.<variant>`` or ``<name>.Dockerfile`` (not a template or a
document: ``Dockerfile.j2``, ``Dockerfile.md``).

The image's name comes from its directory (``services/api/Dockerfile`` → ``api``; a directory
that only groups Dockerfiles, such as ``docker/``, gives its parent's name) and from the file's
variant (``Dockerfile.dev`` → ``api-dev``, ``worker.Dockerfile`` → ``worker``). Its context is
the Dockerfile's directory, or the nearest directory above it in which every file the
Dockerfile copies exists (for ``docker build -f docker/Dockerfile .`` layouts).
"""

from __future__ import annotations

import glob
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from dockwright import proc
from dockwright.dockerfile import Dockerfile, parse
from dockwright.errors import CommandError, DockerfileParseError

SKIP_DIRS = frozenset(
    {"node_modules", "vendor", "third_party", "third-party", "site-packages", "__pycache__"}
    | {"testdata", "test-data", "fixtures", "__fixtures__"}
)
# Directories that hold Dockerfiles for their parent: the image is named after the parent.
GROUPING_DIRS = frozenset({"docker", "dockerfiles", "container", "containers", "images", "build"})
NOT_DOCKERFILES = frozenset(
    {".md", ".txt", ".rst", ".j2", ".jinja", ".jinja2", ".tpl", ".tmpl", ".template", ".in"}
    | {".erb", ".bak", ".orig", ".sample", ".example", ".swp", ".dockerignore"}
)
_BASES = ("dockerfile", "containerfile")


@dataclass(frozen=True)
class Starter:
    """One image of the starter config: paths are relative to the repository's root."""

    name: str
    dockerfile: PurePosixPath  # relative to the root
    context: PurePosixPath  # relative to the root ("." for the root itself)
    tests: PurePosixPath  # the structure-test file to write, relative to the root

    @property
    def dockerfile_in_context(self) -> str:
        """The Dockerfile relative to the context, as dockwright.yaml's ``dockerfile`` says."""
        return str(self.dockerfile.relative_to(self.context))


def is_dockerfile(name: str) -> bool:
    lower = name.lower()
    if lower in _BASES:
        return True
    for base in _BASES:
        if lower.startswith(base + ".") or lower.endswith("." + base):
            return not any(lower.endswith(ext) for ext in NOT_DOCKERFILES)
    return False


def _skipped(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") or p in SKIP_DIRS for p in parts)


def find_dockerfiles(root: Path) -> list[PurePosixPath]:
    """The repository's Dockerfiles, relative to ``root``, sorted."""
    listed = _git_files(root)
    if listed is None:
        listed = _walk(root)
    found = [
        p
        for p in listed
        if is_dockerfile(p.name) and not _skipped(p.parts[:-1]) and (root / p).is_file()
    ]
    return sorted(set(found), key=lambda p: (len(p.parts), str(p)))


def _git_files(root: Path) -> list[PurePosixPath] | None:
    """Tracked and untracked files git does not ignore; None outside a git checkout."""
    argv = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    try:
        done = proc.run(argv, cwd=root, check=False)
    except CommandError:  # no git
        return None
    if done.returncode != 0:
        return None
    return [PurePosixPath(p) for p in done.stdout.split("\0") if p]


def _walk(root: Path) -> list[PurePosixPath]:
    out = []
    for top, dirs, files in os.walk(root):
        here = Path(top)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in SKIP_DIRS
            and not (here / d / "pyvenv.cfg").exists()
        )
        rel = PurePosixPath(here.relative_to(root).as_posix())
        out += [rel / f for f in files if is_dockerfile(f)]
    return out


def plan_images(root: Path, dockerfiles: list[PurePosixPath]) -> list[Starter]:
    """An image for each Dockerfile: distinct names, contexts, structure-test files."""
    names = _names(root, dockerfiles)
    per_dir = Counter(p.parent for p in dockerfiles)
    out = []
    for path, name in zip(dockerfiles, names, strict=True):
        tests = (
            "structure-test.yaml" if per_dir[path.parent] == 1 else f"{name}.structure-test.yaml"
        )
        out.append(Starter(name, path, _context(root, path), path.parent / tests))
    return out


def _sanitize(text: str) -> str:
    name = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return name or "image"


def _variant(filename: str) -> str:
    lower = filename.lower()
    for base in _BASES:
        if lower.startswith(base + "."):
            return filename[len(base) + 1 :]
        if lower.endswith("." + base):
            return filename[: -len(base) - 1]
    return ""


def _base_parts(root: Path, path: PurePosixPath) -> list[str]:
    """The directories that name the image, innermost last (the root's own name at the top)."""
    parts = [root.resolve().name, *path.parent.parts]
    while len(parts) > 1 and parts[-1].lower() in GROUPING_DIRS:
        parts.pop()
    return parts


def _names(root: Path, dockerfiles: list[PurePosixPath]) -> list[str]:
    def name(path: PurePosixPath, depth: int) -> str:
        parts = _base_parts(root, path)
        variant = _variant(path.name)
        words = parts[-depth:]
        if variant:
            prefix_named = not path.name.lower().startswith(_BASES)
            words = [variant] if prefix_named and depth == 1 else [*words, variant]
        return _sanitize("-".join(words))

    depth = {p: 1 for p in dockerfiles}
    while True:
        chosen = {p: name(p, depth[p]) for p in dockerfiles}
        counts = Counter(chosen.values())
        clashes = [p for p in dockerfiles if counts[chosen[p]] > 1]
        deeper = [p for p in clashes if depth[p] < len(_base_parts(root, p))]
        if not deeper:
            break
        for p in deeper:
            depth[p] += 1
    seen: Counter[str] = Counter()
    out = []
    for p in dockerfiles:  # names still equal: numbered, in the order found
        seen[chosen[p]] += 1
        out.append(chosen[p] if seen[chosen[p]] == 1 else f"{chosen[p]}-{seen[chosen[p]]}")
    return out


def copied_sources(df: Dockerfile) -> list[str]:
    """What COPY and ADD take from the build context (not from a stage, a URL or a heredoc)."""
    out = []
    for ins in df.instructions:
        if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None:
            continue
        for source in ins.args[:-1]:
            if source.startswith("<<") or "://" in source or source.startswith("git@"):
                continue
            out.append(source)
    return out


def _context(root: Path, path: PurePosixPath) -> PurePosixPath:
    try:
        df = parse((root / path).read_text(encoding="utf-8"), path=str(path))
    except (OSError, UnicodeDecodeError, DockerfileParseError):
        return path.parent
    sources = [s for s in copied_sources(df) if "$" not in s]
    if not sources:
        return path.parent
    here = path.parent
    for candidate in [here, *here.parents]:
        base = root / candidate
        if all(glob.glob(str(base / s.lstrip("/")), recursive=False) for s in sources):
            return candidate
    return path.parent
