"""The layers the code is built in, checked from its import statements (those inside
functions too; not those only type checkers read): no import circle anywhere, `pledges` never
reaches into `ingest`, the web access and the extractor run without Django, and the
pipeline's services never queue tasks themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pledgewatch", "pledges", "ingest")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[_module_name(path)] = path
    return modules


MODULES = _project_modules()


def _runtime_nodes(tree: ast.AST):
    """Every node but those under `if TYPE_CHECKING:`, which never run."""
    pending = [tree]
    while pending:
        node = pending.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            test = child.test if isinstance(child, ast.If) else None
            if test is not None and "TYPE_CHECKING" in ast.unparse(test):
                pending.extend(child.orelse)
                continue
            pending.append(child)


def _imports(name: str, path: Path) -> set[str]:
    """Every module `name` imports: project modules by name, others by their top package."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _runtime_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
    return {
        module if module in MODULES else module.split(".")[0]
        for module in found
        if module != "__future__"
    }


GRAPH = {name: _imports(name, path) & set(MODULES) for name, path in MODULES.items()}
ALL_IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module, or a module importing itself
    (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_graph_sees_the_imports_it_checks():
    assert "ingest.services" in GRAPH["ingest.tasks"]
    assert "ingest.web.http_client" in GRAPH["ingest.services.policy"]
    assert "django" in ALL_IMPORTS["ingest.services.feeds"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_circle_anywhere():
    assert _cycles(GRAPH) == []


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("pledges", ("ingest",)),
        (
            "ingest.web",
            ("django", "ingest.models", "ingest.services", "ingest.extractor", "pledges"),
        ),
        (
            "ingest.extractor",
            ("django", "ingest.models", "ingest.services", "ingest.web", "pledges"),
        ),
        ("ingest.services", ("ingest.tasks", "ingest.views", "ingest.admin", "celery")),
    ],
)
def test_layers_import_only_what_is_below_them(layer, forbidden):
    offenders = {
        name: sorted(
            module
            for module in ALL_IMPORTS[name]
            if any(module == f or module.startswith(f + ".") for f in forbidden)
        )
        for name in MODULES
        if name == layer or name.startswith(layer + ".")
    }
    assert {name: found for name, found in offenders.items() if found} == {}
