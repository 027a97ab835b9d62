"""``--commit``: one git commit per update, or per group, whose message lists each
old → new, in Renovate's words (``Update python Docker tag to v3.13``).

Updates that write the same characters (two images sharing one ARG) go into one commit.
Everything runs through :mod:`dockwright.proc` with argv lists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dockwright import proc
from dockwright.errors import UsageError
from dockwright.update.plan import Update
from dockwright.update.report import describe
from dockwright.update.rewrite import apply
from dockwright.update.versioning.docker import value_to_version


@dataclass(frozen=True)
class Commit:
    message: str
    files: tuple[str, ...]
    updates: tuple[Update, ...]


def _pretty(version: str) -> str:
    return version if version.startswith("v") else f"v{version}"


def subject(updates: Sequence[Update], group: str | None = None) -> str:
    """Renovate's default commit message for one update, or ``Update GROUP`` for a group."""
    if group is not None or len(updates) != 1:
        return f"Update {group}" if group else f"Update {len(updates)} dependencies"
    u = updates[0]
    dep = u.dependency
    docker = dep.datasource == "docker"
    short = (u.new_digest or "").partition(":")[2][:7]
    if u.update_type == "digest":
        return f"Update {dep.name}:{dep.value} Docker digest to {short}"
    topic = f"{dep.name} Docker tag" if docker else f"dependency {dep.name}"
    if u.update_type == "pin":
        return f"Pin {topic} to {short}"
    new = u.new_value or ""
    version = value_to_version(new) if docker else new
    if u.update_type == "major":
        major = version.lstrip("v").split(".")[0]
        return f"Update {topic} to v{major}"
    return f"Update {topic} to {_pretty(version)}"


def message(updates: Sequence[Update], group: str | None = None) -> str:
    lines = [subject(updates, group), ""]
    lines += [f"- {describe(u)}" for u in updates]
    return "\n".join(lines) + "\n"


def units(updates: Sequence[Update], *, by_group: bool) -> list[tuple[str | None, list[Update]]]:
    """The commits to make, in order: (group name or None, updates)."""
    out: list[tuple[str | None, list[Update]]] = []
    where: dict[object, int] = {}
    for u in updates:
        keys: list[object] = [(e.file, e.start, e.end) for e in u.edits]
        if by_group and u.group:
            keys.append(("group", u.group))
        index = next((where[k] for k in keys if k in where), None)
        if index is None:
            index = len(out)
            out.append((u.group if by_group else None, []))
        out[index][1].append(u)
        for k in keys:
            where[k] = index
    return out


def dirty(root: Path, files: Sequence[str]) -> list[str]:
    """Which of ``files`` git sees as changed or untracked."""
    res = proc.run(["git", "status", "--porcelain", "--", *files], cwd=root, check=False)
    if res.returncode != 0:
        why = res.stderr.strip().splitlines()[0] if res.stderr.strip() else "git status failed"
        raise UsageError(f"--commit needs a git checkout: {why}")
    return [line[3:] for line in res.stdout.splitlines() if line.strip()]


def commit_updates(
    root: Path,
    originals: Mapping[str, str],
    updates: Sequence[Update],
    *,
    by_group: bool,
    write: Callable[[str, str], None],
) -> list[Commit]:
    """Write and commit the updates unit by unit. ``originals`` maps each file (as the
    edits name it, a path relative to ``root``) to its text before any update; ``write``
    stores a file's new text."""
    files = sorted({e.file for u in updates for e in u.edits})
    changed = dirty(root, files)
    if changed:
        raise UsageError(
            "--commit: uncommitted changes in " + ", ".join(changed) + "; commit or stash them"
        )
    done: list[Update] = []
    commits: list[Commit] = []
    for group, unit in units(updates, by_group=by_group):
        done += unit
        unit_files = sorted({e.file for u in unit for e in u.edits})
        for file in unit_files:
            edits = [e for u in done for e in u.edits if e.file == file]
            write(file, apply(originals[file], edits))
        text = message(unit, group if len(unit) > 1 or group else None)
        res = proc.run(
            ["git", "commit", "--quiet", "-m", text, "--", *unit_files], cwd=root, check=False
        )
        if res.returncode != 0:
            why = (res.stderr.strip() or res.stdout.strip()).splitlines()
            raise UsageError(
                f"--commit: git commit failed after {len(commits)} commit(s), with "
                f"{', '.join(unit_files)} rewritten: {why[-1] if why else res.returncode}"
            )
        commits.append(Commit(text, tuple(unit_files), tuple(unit)))
    return commits
