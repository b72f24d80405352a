"""The map (docs/architecture.md) holds: its layers and frozen names are what the code does.

The project's modules are read, not imported: an import is an edge from the importing app to the imported
one. Tests and migrations may import what they test or were made with, so only the apps' code counts.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGE = ROOT / "{{ cookiecutter.project_slug }}"
MAP = ROOT / "docs" / "architecture.md"
# Apps the map does not name (the ones startapp makes) are in this layer; so is what lies outside the apps.
NEW_APPS_LAYER = 4
OUTSIDE_THE_APPS = {"settings", "urls", "dev_urls", "wsgi", "asgi"}


def table_rows(heading):
    """The rows of the first table under ``heading`` in the map, as lists of cells without backquotes."""
    section = MAP.read_text(encoding="utf-8").split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines() if line.startswith("| `")]
    return [[cell.strip().strip("`") for cell in row] for row in rows]


def layers():
    return {row[0]: int(row[1]) for row in table_rows("The apps, in layers")}


def frozen_names():
    """{"core.media": "files.media", ...}"""
    return {row[0]: row[1] for row in table_rows("Frozen names")}


def module_name(path):
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")


def imported_modules(path):
    """The project modules ``path`` imports, as names inside the package ("files.media")."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".")[:-1] if path.name != "__init__.py" else module_name(path).split(".")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                yield from (".".join([*base, *(node.module or alias.name).split(".")]) for alias in node.names)
            elif (node.module or "").startswith(f"{PACKAGE.name}."):
                yield node.module.removeprefix(f"{PACKAGE.name}.")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(f"{PACKAGE.name}."):
                    yield alias.name.removeprefix(f"{PACKAGE.name}.")


def is_app_code(path):
    parts = path.relative_to(PACKAGE).parts
    return len(parts) > 1 and not {"tests", "migrations", "app_template"} & set(parts)


def app_of(name):
    return name.split(".")[0]


def layer_of(app):
    return 0 if app in OUTSIDE_THE_APPS else layers().get(app, NEW_APPS_LAYER)


def app_imports():
    """(importing module, imported module) for each import of one app's code from another app."""
    frozen = frozen_names()
    for path in sorted(PACKAGE.rglob("*.py")):
        importer = module_name(path)
        if not is_app_code(path) or importer in frozen:
            continue
        for imported in imported_modules(path):
            if app_of(imported) != app_of(importer):
                yield importer, imported


def test_each_app_on_the_map_is_an_app_of_the_project():
    installed = {name.removeprefix(f"{PACKAGE.name}.") for name in settings.PROJECT_APPS}
    assert layers(), "docs/architecture.md has no table of apps"
    assert [app for app in layers() if app not in installed or not (PACKAGE / app / "apps.py").is_file()] == []


def may_import(importer, imported):
    """An app imports from lower layers only; the project's own apps (the last layer) also from each other."""
    return layer_of(imported) < layer_of(importer) or layer_of(imported) == layer_of(importer) == NEW_APPS_LAYER


def test_no_app_imports_from_its_layer_or_above():
    wrong = [
        f"{importer} imports {imported}"
        for importer, imported in app_imports()
        if app_of(importer) not in OUTSIDE_THE_APPS and not may_import(app_of(importer), app_of(imported))
    ]
    assert wrong == [], "Imports up or across the layers of docs/architecture.md:\n" + "\n".join(wrong)


def test_no_import_cycle_between_apps():
    edges = {}
    for importer, imported in app_imports():
        edges.setdefault(app_of(importer), set()).add(app_of(imported))

    def cycle_from(app, path):
        if app in path:
            return [*path[path.index(app) :], app]
        return next((found for after in edges.get(app, ()) if (found := cycle_from(after, [*path, app]))), None)

    cycles = {" -> ".join(cycle) for app in edges if (cycle := cycle_from(app, []))}
    assert cycles == set(), "Import cycles between apps: " + "; ".join(sorted(cycles))


@pytest.mark.parametrize("frozen", frozen_names())
def test_a_frozen_name_only_re_exports_its_new_home(frozen):
    path = PACKAGE / f"{frozen.replace('.', '/')}.py"
    new_home = frozen_names()[frozen]
    assert list(imported_modules(path)) == [new_home]
    assert (PACKAGE / f"{new_home.replace('.', '/')}.py").is_file()


def test_every_module_that_says_it_is_frozen_is_on_the_map():
    said = [path for path in PACKAGE.rglob("*.py") if path.read_text(encoding="utf-8").startswith('"""Frozen')]
    assert {module_name(path) for path in said} <= set(frozen_names())


def test_new_apps_import_what_the_map_allows():
    """The app templates import apps below layer 4, never a frozen name: new code uses the new homes."""
    templates = [ROOT / "app_template", *PACKAGE.glob("*/app_template")]
    wrong = []
    for folder in templates:
        for path in folder.rglob("*.py-tpl"):
            # The new app's package and the folders below it: a relative import that climbs them all is the project's.
            depth = 1 + len(path.relative_to(folder).parts[:-1])
            for dots, module in re.findall(r"from (\.+)(\w+(?:\.\w+)*) import", path.read_text(encoding="utf-8")):
                if len(dots) > depth and (module in frozen_names() or layer_of(app_of(module)) >= NEW_APPS_LAYER):
                    wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert wrong == []


def test_no_command_imports_another_command():
    """Commands share code through a module of their app (devtools/scaffold.py), never through each other."""
    commands = sorted(PACKAGE.glob("*/management/commands/*.py"))
    wrong = [
        f"{module_name(path)} imports {imported}"
        for path in commands
        for imported in imported_modules(path)
        if ".management.commands." in f".{imported}."
    ]
    assert commands and wrong == []
