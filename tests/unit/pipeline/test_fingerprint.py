"""What a build's fingerprint sees (so what makes the job cache hit or miss), and the cache."""

from __future__ import annotations

import os
from pathlib import Path

from dockwright.lint.config import LintConfig
from dockwright.pipeline.cache import Cache
from dockwright.pipeline.fingerprint import canonical, context_digest, digest


def _context(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("print('hi')\n")
    (tmp_path / "notes.md").write_text("notes\n")
    (tmp_path / ".dockerignore").write_text("*.md\n")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM scratch\nCOPY src /src\n")
    return tmp_path, dockerfile


def test_a_file_change_is_a_miss(tmp_path: Path) -> None:
    context, dockerfile = _context(tmp_path)
    before = context_digest(context, dockerfile)
    assert context_digest(context, dockerfile) == before
    (context / "src" / "app.py").write_text("print('bye')\n")
    assert context_digest(context, dockerfile) != before


def test_a_dockerignored_file_change_is_a_hit(tmp_path: Path) -> None:
    context, dockerfile = _context(tmp_path)
    before = context_digest(context, dockerfile)
    (context / "notes.md").write_text("other notes\n")
    (context / "more.md").write_text("new\n")
    assert context_digest(context, dockerfile) == before


def test_new_files_modes_and_links_are_misses(tmp_path: Path) -> None:
    context, dockerfile = _context(tmp_path)
    seen = {context_digest(context, dockerfile)}
    (context / "src" / "new.py").write_text("")
    seen.add(context_digest(context, dockerfile))
    os.chmod(context / "src" / "app.py", 0o755)
    seen.add(context_digest(context, dockerfile))
    os.symlink("app.py", context / "src" / "link.py")
    seen.add(context_digest(context, dockerfile))
    (context / "src" / "empty").mkdir()
    seen.add(context_digest(context, dockerfile))
    assert len(seen) == 5


def test_the_state_directory_is_not_an_input(tmp_path: Path) -> None:
    context, dockerfile = _context(tmp_path)
    before = context_digest(context, dockerfile)
    Cache.beside(context).put("build", "k", {"image_id": "sha256:1"})
    (context / ".dockwright" / "reports").mkdir()
    (context / ".dockwright" / "reports" / "run.json").write_text("{}")
    assert context_digest(context, dockerfile) == before


def test_an_exception_brings_back_a_file_of_an_ignored_directory(tmp_path: Path) -> None:
    context, dockerfile = _context(tmp_path)
    (context / "logs").mkdir()
    (context / "logs" / "keep.log").write_text("1")
    (context / "logs" / "other.log").write_text("1")
    (context / ".dockerignore").write_text("logs\n!logs/keep.log\n")
    before = context_digest(context, dockerfile)
    (context / "logs" / "other.log").write_text("2")
    assert context_digest(context, dockerfile) == before
    (context / "logs" / "keep.log").write_text("2")
    assert context_digest(context, dockerfile) != before


def test_digests_of_arguments_and_settings() -> None:
    assert digest("build", {"A": "1"}) == digest("build", {"A": "1"})
    assert digest("build", {"A": "1"}) != digest("build", {"A": "2"})
    assert digest("build", {"A": "1", "B": "2"}) == digest("build", {"B": "2", "A": "1"})
    # lint settings hold frozensets: their order must not change the digest
    settings = LintConfig.from_mapping({"ignored": ["DL3008", "DL3009", "DL3015"]})
    assert canonical(settings)["ignored"] == ["DL3008", "DL3009", "DL3015"]  # type: ignore[index]


def test_the_cache(tmp_path: Path) -> None:
    cache = Cache.beside(tmp_path)
    assert cache.get("build", "k") is None
    cache.put("build", "k", {"image_id": "sha256:1"})
    assert cache.get("build", "k") == {"image_id": "sha256:1"}
    assert (tmp_path / ".dockwright" / ".gitignore").read_text().endswith("*\n")
    assert Cache.beside(tmp_path, read=False).get("build", "k") is None  # --no-cache
    (tmp_path / ".dockwright" / "cache" / "build" / "k.json").write_text("{not json")
    assert cache.get("build", "k") is None  # a damaged entry is a miss
    assert Cache(None).get("build", "k") is None


def test_content_digests_are_remembered_by_stat(tmp_path: Path) -> None:
    context, dockerfile = _context(tmp_path)
    state = tmp_path / ".dockwright"
    app = context / "src" / "app.py"
    old = 1_600_000_000
    for path in (app, dockerfile, context / ".dockerignore"):
        os.utime(path, (old, old))
    before = context_digest(context, dockerfile, state)
    memo = list((state / "cache" / "files").glob("*.json"))
    assert len(memo) == 1 and "src/app.py" in memo[0].read_text()
    assert context_digest(context, dockerfile, state) == before
    # same size, same modification time: the change of ctime still shows it
    app.write_text("print('ho')\n")
    os.utime(app, (old, old))
    assert context_digest(context, dockerfile, state) != before
    assert context_digest(context, dockerfile) == context_digest(context, dockerfile, state)
