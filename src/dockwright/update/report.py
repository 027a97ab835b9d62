"""What an update run changed, as data (JSON-able) and as a unified diff."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from dockwright.update.plan import Outcome, Plan, Update


def _update(u: Update) -> dict[str, object]:
    dep = u.dependency
    return {
        "file": dep.file,
        "line": dep.line,
        "kind": dep.kind,
        "dep-type": dep.dep_type,
        "datasource": dep.datasource,
        "name": dep.name,
        "package": dep.package,
        "update-type": u.update_type,
        "from": {"value": u.old_value, "digest": u.old_digest},
        "to": {"value": u.new_value, "digest": u.new_digest},
        "group": u.group,
        "files": sorted({e.file for e in u.edits}),
    }


def _outcome(o: Outcome) -> dict[str, object]:
    dep = o.dependency
    return {
        "file": dep.file,
        "line": dep.line,
        "kind": dep.kind,
        "datasource": dep.datasource,
        "name": dep.name,
        "value": dep.value,
        "digest": dep.digest,
        "reason": o.reason,
    }


def to_json(plan: Plan, *, written: bool) -> dict[str, object]:
    """``changed``: updates were found; ``written``: the files were rewritten."""
    return {
        "changed": plan.changed,
        "written": written and plan.changed,
        "updates": [_update(u) for u in plan.updates],
        "current": [_outcome(o) for o in plan.others if o.status == "current"],
        "skipped": [_outcome(o) for o in plan.others if o.status == "skipped"],
        "failed": [_outcome(o) for o in plan.others if o.status == "failed"],
    }


def unified_diff(file: str, old: str, new: str) -> str:
    """``git diff``-style text for one file (``a/``/``b/`` labels, and the no-newline
    marker where a side does not end with one)."""
    if old == new:
        return ""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(a, b, f"a/{file}", f"b/{file}"):
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def diff(originals: Mapping[str, str], rewritten: Mapping[str, str]) -> str:
    return "".join(
        unified_diff(f, originals[f], rewritten[f]) for f in sorted(rewritten) if f in originals
    )


def describe(u: Update) -> str:
    """``python 3.12-slim → 3.13-slim (Dockerfile:3)``, digests shortened."""
    dep = u.dependency
    old = _shown(u.old_value, u.old_digest)
    new = _shown(u.new_value, u.new_digest)
    return f"{dep.name} {old} → {new} ({dep.where})"


def _shown(value: str | None, digest: str | None) -> str:
    text = value or ""
    if digest:
        algo, _, hexa = digest.partition(":")
        text += f"@{algo}:{hexa[:12]}"
    return text
