"""The package's shape, read from its source with ast: only the app layer imports streamlit, imports point one way
(no cycle between modules or between subpackages), and each subpackage imports only what its docstring allows.

Every import counts, including those inside functions: a lazy import hides a cycle, it does not remove it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "dashboard"
ALLOWED = re.compile(r"^May import: (.+?)\.?$", re.MULTILINE)


def _name(path: Path) -> str:
    """The dotted module name of a file under the project ('dashboard.core', 'dashboard.report.build')."""
    parts = list(path.relative_to(PROJECT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
SUBPACKAGES = sorted(name.split(".")[1] for name, path in MODULES.items() if path.name == "__init__.py" and "." in name)


def _resolve(name: str) -> str | None:
    """The package module an imported name belongs to (the longest known prefix), None outside the package."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> set[str]:
    """Every module (package-internal ones resolved to their file, others by top-level name) `module` imports."""
    path = MODULES[module]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_resolve(alias.name) or alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package upwards
                package = module if path.name == "__init__.py" else module.rpartition(".")[0]
                package = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                found.add(_resolve(f"{base}.{alias.name}") or _resolve(base) or base.split(".")[0])
    found.discard(module)
    return found


GRAPH = {module: {name for name in imports_of(module) if name in MODULES} for module in MODULES}


def subpackage(module: str) -> str | None:
    """'report' for dashboard.report.build; None for the root package and the modules beside it (cli, __main__)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in SUBPACKAGES else None


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the directed graph as a path (first node repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def allowed_imports(name: str) -> set[str]:
    """The subpackages a subpackage may import, from the 'May import: ...' line of its __init__ docstring."""
    docstring = ast.get_docstring(ast.parse(MODULES[f"dashboard.{name}"].read_text(encoding="utf-8"))) or ""
    match = ALLOWED.search(docstring)
    assert match, f"dashboard/{name}/__init__.py: its docstring needs a 'May import: ...' line"
    stated = match.group(1).strip()
    return set() if stated.startswith("nothing") else {part.strip() for part in stated.split(",")}


def test_the_parser_sees_the_package():
    assert {"core", "db", "app", "report", "metrics", "charts"} <= set(SUBPACKAGES)
    assert "dashboard.report.summary" in GRAPH["dashboard.report.build"]
    assert "streamlit" in imports_of("dashboard.app.data")
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_only_the_app_layer_imports_streamlit():
    offenders = [m for m in MODULES if "streamlit" in imports_of(m) and subpackage(m) != "app"]
    assert not offenders, f"streamlit imported outside dashboard/app/: {offenders}"


def test_no_import_cycle_between_modules():
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_no_import_cycle_between_subpackages():
    layers: dict[str, set[str]] = {name: set() for name in SUBPACKAGES}
    for module, targets in GRAPH.items():
        if subpackage(module):
            layers[subpackage(module)] |= {
                subpackage(t) for t in targets if subpackage(t) not in (None, subpackage(module))
            }
    cycle = find_cycle(layers)
    assert cycle is None, "subpackage cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_a_subpackage_imports_only_what_its_docstring_allows(name):
    allowed = allowed_imports(name)
    assert allowed <= set(SUBPACKAGES), f"dashboard/{name}/__init__.py names unknown subpackages"
    for module, targets in GRAPH.items():
        if subpackage(module) != name:
            continue
        for target in targets:
            if subpackage(target) is None:
                pytest.fail(f"{module} imports {target}: subpackages never import the root package or the CLI")
            stated = sorted(allowed) or "nothing"
            assert subpackage(target) in {name, *allowed}, (
                f"{module} imports {target}, but dashboard/{name}/__init__.py allows only {stated}"
            )


def test_the_root_package_imports_only_core():
    assert {subpackage(target) for target in GRAPH["dashboard"]} <= {"core"}
