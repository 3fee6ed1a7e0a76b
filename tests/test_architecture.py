"""The layers point one way: the core imports no feature app, the site and the open
data reach the apps only through the registry, and no module imports one that imports
it back. Read from the source, imports inside functions included."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["ecosystem", "members", "programmes", "events"]
FEATURE_APPS = {"members", "programmes", "events"}


def modules():
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports():
    """{module: the project modules it imports}."""
    known = modules()
    graph = {}
    for name, path in known.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    dotted = f"{node.module}.{alias.name}"
                    targets.add(dotted if dotted in known else node.module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = {target for target in targets if target in known and target != name}
    return graph


def test_the_core_the_site_and_the_open_data_import_no_feature_app():
    layers = ("ecosystem.core", "ecosystem.pictures", "ecosystem.site", "ecosystem.opendata")
    wrong = {
        name: sorted(t for t in targets if t.split(".")[0] in FEATURE_APPS)
        for name, targets in imports().items()
        if name.startswith(layers)
    }
    assert {name: targets for name, targets in wrong.items() if targets} == {}


def test_no_module_imports_one_that_imports_it_back():
    graph = imports()
    cycles = []

    def visit(name, path):
        for target in graph[name]:
            if target == path[0]:
                cycles.append([*path, target])
            elif target not in path and len(path) < 8:
                visit(target, [*path, target])

    for name in graph:
        visit(name, [name])
    assert cycles == []
