"""Gather real inputs nobody here wrote from local git mirrors of public repositories.

Walks every mirror (a bare git directory per repository, e.g. what the ``fetch`` of a
repository brings to ``/work/.mirror/OWNER+NAME/repo``) and writes each distinct file of
these kinds, from the newest commit and, with ``--history``, from every commit:

    dockerfiles/   Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile
    hadolint/      .hadolint.yaml, .hadolint.yml, hadolint.yaml
    structure/     container-structure-test configs (YAML or JSON with schemaVersion and tests)
    circleci/      .circleci/config.yml
    github/        .github/workflows/*.yml

into ``OUT/KIND/OWNER+NAME/BLOB.EXT`` with an ``OUT/index.tsv`` (kind, repository, path,
blob). Nothing of this is committed: the corpus lives outside the checkout, and the tests and
benchmarks that use it (``DOCKWRIGHT_CORPUS=OUT``) skip, saying so, when it is absent.

    python bench/corpus.py --history --per-repo 400 --out /var/lib/dockwright-dev/corpus
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

DEFAULT_MIRRORS = Path("/work/.mirror")
DEFAULT_OUT = Path(os.environ.get("DOCKWRIGHT_STATE", "/var/lib/dockwright-dev")) / "corpus"
_CST_KEYS = (b"commandTests", b"fileExistenceTests", b"fileContentTests", b"metadataTest")


def kind_of(path: str) -> str | None:
    """The corpus kind a repository path names, judged by its name alone (None: not wanted).
    Structure-test candidates are confirmed by their content (see ``is_structure_test``)."""
    name = path.rsplit("/", 1)[-1]
    lower = name.lower()
    if lower in ("dockerfile", "containerfile") or lower.startswith("dockerfile."):
        return "dockerfiles"
    if lower.endswith((".dockerfile", ".containerfile")):
        return "dockerfiles"
    if lower in (".hadolint.yaml", ".hadolint.yml", "hadolint.yaml"):
        return "hadolint"
    if path == ".circleci/config.yml":
        return "circleci"
    if path.startswith(".github/workflows/") and lower.endswith((".yml", ".yaml")):
        return "github"
    if lower.endswith((".yaml", ".yml", ".json")):
        return "structure"
    return None


def is_structure_test(data: bytes) -> bool:
    return b"schemaVersion" in data and any(k in data for k in _CST_KEYS)


def _git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True
    ).stdout


def blobs(git_dir: Path, history: bool) -> Iterator[tuple[str, str]]:
    """(blob id, path) of every file at HEAD and, with ``history``, of every version ever
    committed on any ref; each blob once."""
    seen: set[str] = set()
    for line in _git(git_dir, "ls-tree", "-r", "HEAD").decode(errors="replace").splitlines():
        meta, _, path = line.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and parts[2] not in seen:
            seen.add(parts[2])
            yield parts[2], path
    if not history:
        return
    raw = _git(git_dir, "log", "--all", "--format=", "--raw", "--no-abbrev", "--no-renames")
    for line in raw.decode(errors="replace").splitlines():
        meta, _, path = line.partition("\t")
        parts = meta.split()
        # :old-mode new-mode old-blob new-blob status
        if len(parts) == 5 and parts[4] != "D" and parts[3] not in seen:
            seen.add(parts[3])
            yield parts[3], path


def mirrors(root: Path) -> Iterator[tuple[str, Path]]:
    for entry in sorted(root.iterdir()):
        for git_dir in (entry / "repo" / ".git", entry / "repo"):
            if (git_dir / "HEAD").is_file() and (git_dir / "objects").is_dir():
                yield entry.name, git_dir
                break


def gather(root: Path, out: Path, *, history: bool, per_repo: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    index = []
    for repo, git_dir in mirrors(root):
        wanted: dict[str, list[tuple[str, str]]] = {}
        for blob, path in blobs(git_dir, history):
            kind = kind_of(path)
            if kind is not None:
                wanted.setdefault(kind, []).append((blob, path))
        for kind, items in wanted.items():
            # A deterministic sample that spreads over the history: blob ids are uniform.
            items.sort()
            taken = 0
            for blob, path in items:
                if taken >= per_repo:
                    break
                data = _git(git_dir, "cat-file", "blob", blob)
                if kind == "structure" and not is_structure_test(data):
                    continue
                ext = os.path.splitext(path)[1] if kind != "dockerfiles" else ".Dockerfile"
                target = out / kind / repo / f"{blob[:16]}{ext}"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                index.append(f"{kind}\t{repo}\t{path}\t{blob}")
                taken += 1
                counts[kind] = counts.get(kind, 0) + 1
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.tsv").write_text("\n".join(index) + "\n", encoding="utf-8")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--history", action="store_true", help="every version, not only HEAD")
    parser.add_argument("--per-repo", type=int, default=400, help="files per kind and repository")
    args = parser.parse_args()
    if not args.mirrors.is_dir():
        print(f"no mirrors at {args.mirrors}", file=sys.stderr)
        return 2
    counts = gather(args.mirrors, args.out, history=args.history, per_repo=args.per_repo)
    for kind, n in sorted(counts.items()):
        print(f"{kind}: {n}")
    print(f"corpus in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
