"""The layers point one way: the core imports no feature app, the site and the open
data reach the apps only through the registry, and no module imports one that imports
it back. Apps point one way too: an app imports only apps installed before it
(settings.INSTALLED_APPS), so no two apps import each other. Today's direction:

    members      imports no other app (it holds the organizations every app points at)
    programmes   may import members
    events       may import members and programmes
    suggestions  may import members, programmes and events

What two apps share (roles, text parsing, lookups) lives in the core; a filter one app
gives another's list is attached through the registry (programmes give the lists of
organizations their ?programme=). Read from the source, imports inside functions
included; the apps are the project's own in INSTALLED_APPS, so a new app is checked
without editing this file."""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
# The project's own apps, in the order they are installed: every app whose code is in
# this repository ("ecosystem", the core and its layers, then the feature apps), not
# those installed into a virtualenv that may sit inside it (.venv).
LOCAL_APPS = [
    config.name
    for config in apps.get_app_configs()
    if Path(config.path).is_relative_to(ROOT) and "site-packages" not in Path(config.path).parts
]
PACKAGES = [name.split(".")[0] for name in LOCAL_APPS]
# "ecosystem" holds the layers (core, pictures, opendata, site, project); the others
# are the feature apps, each bringing record types or a feature of its own.
FEATURE_APPS = [name for name in PACKAGES if name != "ecosystem"]


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


def part_of(module):
    """The app a module belongs to, or for the project package its layer:
    "members.filters" -> "members", "ecosystem.core.roles" -> "ecosystem.core"."""
    top, *rest = module.split(".")
    return f"{top}.{rest[0]}" if top == "ecosystem" and rest else top


def part_imports():
    """{app or layer: the other apps and layers its modules import}."""
    graph = {}
    for name, targets in imports().items():
        graph.setdefault(part_of(name), set()).update(part_of(t) for t in targets)
    return {part: targets - {part} for part, targets in graph.items()}


def app_imports():
    """{feature app: the other feature apps its modules import}."""
    graph = part_imports()
    return {app: graph.get(app, set()) & set(FEATURE_APPS) for app in FEATURE_APPS}


def cycles_in(graph):
    """Every path that leads from a node back to it, as "a -> b -> a"."""
    cycles = []

    def visit(node, path):
        for target in sorted(graph.get(node, ())):
            if target == path[0]:
                cycles.append(" -> ".join([*path, target]))
            elif target not in path:
                visit(target, [*path, target])

    for node in graph:
        visit(node, [node])
    return cycles


def test_every_local_app_is_checked():
    """suggestions (and any app added later) is read like the others."""
    assert {"members", "programmes", "events", "suggestions"} <= set(FEATURE_APPS)
    assert all((ROOT / package / "apps.py").exists() for package in PACKAGES)


def test_no_app_imports_an_app_that_imports_it_back():
    assert cycles_in(app_imports()) == []


def test_no_app_or_layer_imports_one_that_imports_it_back():
    """Layers and apps together (the open data once imported the project's middleware,
    which the project's URLs import back)."""
    assert cycles_in(part_imports()) == []


def test_an_app_imports_only_apps_installed_before_it():
    """The one direction, written in INSTALLED_APPS: an app that needs another comes
    after it (the registry relies on it: programmes attach a filter to the lists of
    organizations that members registered first)."""
    wrong = {
        app: sorted(t for t in targets if FEATURE_APPS.index(t) > FEATURE_APPS.index(app))
        for app, targets in app_imports().items()
    }
    assert {app: targets for app, targets in wrong.items() if targets} == {}
