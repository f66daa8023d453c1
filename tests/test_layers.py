"""Layers point one way: `cms` (the platform) < `search` < `participation` (the engine) < the
features (`occupai`, `hackathon`, `bricolages`, and the engine's own `participation.commandements`
and `participation.bureau`). A module imports only from its own layer or those below it, and a
feature never imports another feature: they meet through the registries of the layers below.

A plain AST walk over every module of those packages (migrations aside: they name apps as
strings), module-level imports and those inside functions alike, plus `importlib.import_module`
with a literal name. Strings that wire apps by name in the composition root (INSTALLED_APPS,
`include("occupai.urls")` in cms/urls.py) are not imports and are not checked. The benchmark's
`bench` app is not a layer of the platform: production never installs it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cms", "search", "participation", "occupai", "hackathon", "bricolages", "accueil", "guide")
FEATURES = ("occupai", "hackathon", "bricolages", "accueil", "guide", "participation.commandements", "participation.bureau")
RANKS = {"cms": 0, "search": 1, "participation": 2}
FEATURE_RANK = 3


def layer(module: str):
    """(rank, name) of the layer a dotted module name belongs to, or None (Django, Wagtail...)."""
    for feature in FEATURES:
        if module == feature or module.startswith(feature + "."):
            return FEATURE_RANK, feature
    top = module.split(".", 1)[0]
    return (RANKS[top], top) if top in RANKS else None


def _module_name(path: Path) -> tuple[list[str], bool]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        return parts[:-1], True
    return parts, False


def imported_modules(path: Path):
    """(line, dotted module name) of every import in the file, relative ones resolved."""
    parts, is_package = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts if is_package else parts[:-1]
                base = base[:len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:  # `from participation import bureau` imports a feature
                yield node.lineno, f"{module}.{alias.name}"
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            yield node.lineno, node.args[0].value


def violation(importer: str, imported: str):
    """Why `importer` may not import `imported`, or None."""
    source, target = layer(importer), layer(imported)
    if source is None or target is None or source[1] == target[1]:
        return None
    if target[0] > source[0]:
        return f"{source[1]} imports {imported}, a layer above it"
    if source[0] == target[0] == FEATURE_RANK:
        return f"the feature {source[1]} imports the feature {target[1]}"
    return None


def python_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def violations():
    found = {}  # one message per import statement
    for path in python_files():
        importer = ".".join(_module_name(path)[0])
        for line, imported in imported_modules(path):
            why = violation(importer, imported)
            if why:
                found.setdefault(f"{path.relative_to(ROOT)}:{line}", why)
    return [f"{where}: {why}" for where, why in sorted(found.items())]


def test_layers_point_one_way_and_features_do_not_import_each_other():
    found = violations()
    assert not found, "Imports against the layers (cms < search < participation < features):\n" + "\n".join(found)


def test_the_walk_sees_every_kind_of_import_it_must_refuse(tmp_path, monkeypatch):
    """The rule itself: relative and function-level imports count, a feature's own sub-modules and
    the layers below do not."""
    assert violation("cms.cache", "participation.models") and violation("search.sync", "participation")
    assert violation("participation.services", "participation.bureau.models")
    assert violation("occupai.views", "hackathon.models") and violation("participation.bureau.views",
                                                                        "participation.commandements.routes")
    assert not violation("occupai.views", "participation.services") and not violation("occupai.views", "cms.web")
    assert not violation("participation.bureau.views", "participation.bureau.models")
    assert not violation("participation.bureau.views", "participation.registry")
    monkeypatch.setattr("tests.test_layers.ROOT", tmp_path)
    module = tmp_path / "cms" / "sub" / "mod.py"
    module.parent.mkdir(parents=True)
    module.write_text("from ..x import y\n\ndef f():\n    from participation import models\n"
                      "    import_module('occupai.views')\n")
    assert [name for _line, name in imported_modules(module)] == [
        "cms.x", "cms.x.y", "participation", "participation.models", "occupai.views"]


def test_the_bench_app_and_its_bare_view_stay_out_of_production(settings):
    from django.urls import NoReverseMatch, reverse

    from cms.settings import base

    assert "bench" not in base.INSTALLED_APPS and "bench" not in settings.INSTALLED_APPS
    with pytest.raises(NoReverseMatch):
        reverse("bare", urlconf=base.ROOT_URLCONF)
    assert reverse("bare", urlconf="bench.urls") == "/bare/"
