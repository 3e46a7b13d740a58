"""The house a newcomer walks: a dozen modules at the top of xtq/ and no import circle."""

import ast
from pathlib import Path

from xtq.config import ROOT

PACKAGE = ROOT / "xtq"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The xtq modules a file imports, anywhere in it (imports inside functions count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("xtq"):
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
    return found & modules


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: imports_of(path, set(files)) - {name} for name, path in files.items()}
    # A package that gathers its own parts (a blueprint whose routes live in submodules, search and its
    # backends) is one room: edges between a package and its own submodules are not circles between rooms.
    return {
        name: {m for m in deps if not (m.startswith(name + ".") or name.startswith(m + ".")) or m == "xtq"}
        for name, deps in graph.items()
    }


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_at_most_twelve_modules_at_the_top():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top


def test_no_import_circle():
    assert cycle(import_graph()) is None


def test_the_circle_check_finds_a_planted_circle():
    graph = import_graph()
    graph["xtq.models"] = graph["xtq.models"] | {"xtq.views.hall"}  # models would import a view
    assert cycle(graph) is not None
