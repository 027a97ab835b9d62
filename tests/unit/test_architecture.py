"""The shape of the package: no import cycles (a function-level import counts), packages
depend only as docs/architecture.md says, and no module grows past 500 lines but the parser."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
MAX_LINES = 500
# The Dockerfile parser is one state machine and may be longer.
LONG_ALLOWED = {"dockwright.dockerfile.parser"}
# Still to be split; this list only shrinks.
LONG_TODO: set[str] = set()
# Module cycles still to be broken; this list only shrinks.
CYCLES_TODO: set[frozenset[str]] = set()


def _modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(name: str) -> str:
    while name not in MODULES and "." in name:
        name = name.rpartition(".")[0]
    return name


def _statements(node: ast.AST) -> Iterator[ast.AST]:
    """Every statement that runs at some point: function bodies included, imports made only
    for the type checker excluded."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield other
                yield from _statements(other)
            continue
        yield child
        yield from _statements(child)


def imports_of(name: str) -> set[str]:
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _statements(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(_resolve(a.name) for a in node.names if a.name.startswith("dockwright"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            if base.startswith("dockwright"):
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    found.add(full if full in MODULES else _resolve(base))
    found.discard(name)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_new_import_cycles() -> None:
    cycles = set(_cycles(GRAPH))
    assert cycles <= CYCLES_TODO, sorted(sorted(c) for c in cycles - CYCLES_TODO)
    assert not CYCLES_TODO - cycles, "a cycle is gone: remove it from CYCLES_TODO"


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_packages_form_no_cycle() -> None:
    packages: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        for target in targets:
            a, b = _package(module), _package(target)
            if a and b and a != b:
                packages.setdefault(a, set()).add(b)
    assert _cycles(packages) == []


def test_the_detector_sees_function_level_imports() -> None:
    graph = {"a": {"b"}, "b": {"a"}, "c": {"a"}}
    assert _cycles(graph) == [frozenset({"a", "b"})]
    tree = ast.parse(
        "if TYPE_CHECKING:\n    import dockwright.x\nelse:\n    import dockwright.y\n"
        "def f():\n    import dockwright.z\n"
    )
    names = [a.name for n in _statements(tree) if isinstance(n, ast.Import) for a in n.names]
    assert names == ["dockwright.y", "dockwright.z"]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    if module in LONG_ALLOWED:
        return
    if module in LONG_TODO:
        assert lines > MAX_LINES, "short enough now: remove it from LONG_TODO"
        return
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by what it holds"


def _documented_imports() -> dict[str, set[str] | None]:
    """The imports column of docs/architecture.md's package table (None: any package)."""
    doc = SRC.parent / "docs" / "architecture.md"
    out: dict[str, set[str] | None] = {}
    for line in doc.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        package = cells[0].strip("`").removesuffix("/").removesuffix(".py")
        named = set(re.findall(r"`([a-z_]+)`", cells[2]))
        out[package] = None if cells[2] == "any package" else named
    return out


def test_packages_import_only_what_the_architecture_doc_says() -> None:
    documented = _documented_imports()
    actual: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        for target in targets:
            a, b = _package(module), _package(target)
            if a and b and a != b and b != "errors" and a != "__main__":
                actual.setdefault(a, set()).add(b)
    assert set(actual) <= set(documented), sorted(set(actual) - set(documented))
    undocumented = {
        package: sorted(targets - allowed)
        for package, targets in actual.items()
        if (allowed := documented[package]) is not None and targets - allowed
    }
    assert not undocumented, f"imports docs/architecture.md does not list: {undocumented}"
