"""Dependencies point down (docs/design.md, "Where code lives"): models <- services <- routes/console.

An AST walk over app/**/*.py builds the import graph between packages (app/<name>/ or a top-level
module app/<name>.py), module-level and function-level imports alike, and checks that
(a) app/models/ imports nothing but itself and app/extensions.py,
(b) no package imports another package's routes, console or *_routes module (app/blueprints.py, the
    one list that registers them, and create_app excepted),
(c) no two packages depend on each other, directly or through others.
"""
import ast
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"

# The registry: it imports every blueprint and console module, and nothing imports it but create_app.
REGISTRY = {"app", "app.blueprints"}

# Edges left in a cycle for now, each with its reason. Every entry is one edge (importer, imported)
# that the cycle check ignores; the test fails when an entry is no longer needed, so the list shrinks.
ALLOWED_CYCLE_EDGES: dict[tuple[str, str], str] = {}


def module_name(path):
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module):
    return ".".join(module.split(".")[:2])


MODULES = {module_name(path) for path in APP.rglob("*.py")}


def imports_of(path):
    """(imported module, line) for every import of an app module in `path`, at any depth."""
    module, is_package = module_name(path), path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from app.x import y` imports the module app.x.y when there is one (else a name in app.x)
            names = [target] + [f"{target}.{alias.name}" for alias in node.names
                                if f"{target}.{alias.name}" in MODULES]
        else:
            continue
        for name in names:
            if name == "app" or name.startswith("app."):
                yield name, node.lineno


def import_graph():
    """{importing module: {(imported module, line)}} over app/."""
    return {module_name(path): set(imports_of(path)) for path in sorted(APP.rglob("*.py"))}


def package_edges(graph):
    edges = defaultdict(set)
    for module, imported in graph.items():
        source = package_of(module)
        if source in REGISTRY:
            continue
        for target, _line in imported:
            destination = package_of(target)
            if destination != source and destination != "app":
                edges[source].add(destination)
    return edges


def is_web_module(module):
    """A routes, console or *_routes module of a package under app/ (app/console.py is the shared frame)."""
    parts = module.split(".")
    return len(parts) >= 3 and (parts[-1] in ("routes", "console") or parts[-1].endswith("_routes"))


def cycles(edges):
    """The strongly connected components of more than one package (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(edges.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(set(edges) | {d for targets in edges.values() for d in targets}):
        if node not in index:
            visit(node)
    return found


def test_models_import_no_domain_package():
    wrong = [f"{module}:{line} imports {target}"
             for module, imported in import_graph().items() if package_of(module) == "app.models"
             for target, line in imported if package_of(target) not in ("app.models", "app.extensions")]
    assert wrong == []


def test_no_package_imports_another_packages_routes_or_console():
    wrong = [f"{module}:{line} imports {target}"
             for module, imported in import_graph().items() if package_of(module) not in REGISTRY
             for target, line in imported
             if is_web_module(target) and package_of(target) != package_of(module)]
    assert wrong == []


def test_packages_form_no_cycle():
    edges = package_edges(import_graph())
    for (source, destination) in ALLOWED_CYCLE_EDGES:
        edges[source].discard(destination)
    assert cycles(edges) == []


def test_every_allowed_edge_is_still_needed():
    edges = package_edges(import_graph())
    for (source, destination), reason in ALLOWED_CYCLE_EDGES.items():
        assert destination in edges[source], f"{source} -> {destination} no longer exists: drop it ({reason})"
        assert any(source in component and destination in component for component in cycles(edges)), \
            f"{source} -> {destination} is in no cycle any more: drop it"


def test_the_checks_see_a_cycle_and_an_upward_import():
    """The walk itself: a made-up pair of packages that import each other is a cycle, and a module of
    app/models importing app/events would be found."""
    assert cycles({"app.a": {"app.b"}, "app.b": {"app.a"}}) == [["app.a", "app.b"]]
    assert cycles({"app.a": {"app.b"}}) == []
    assert is_web_module("app.messages.console") and is_web_module("app.privacy.admin_routes")
    assert not is_web_module("app.console") and not is_web_module("app.messages.services")
    assert "app.extensions" in {package_of(target) for target, _line in import_graph()["app.models.user"]}
