"""domain, services and adapters never import reflex (GUIDE §2): statically and at runtime."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "heurecivique_app"
LAYERS = ("domain", "services", "adapters", "jobs")
FILES = sorted(p for layer in LAYERS for p in (PACKAGE / layer).rglob("*.py"))


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):  # walk: also catches imports inside functions
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
              and getattr(node.func, "attr", getattr(node.func, "id", "")) in
              {"import_module", "__import__"}
              and node.args and isinstance(node.args[0], ast.Constant)):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def test_the_layers_have_modules() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in FILES}
    assert {"domain/models.py", "services/missions/lifecycle.py", "adapters/db.py"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_reflex_import(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    offending = [
        f"{path.name}:{line} imports {module}"
        for line, module in _imported_modules(tree)
        if module == "reflex" or module.startswith("reflex.")
    ]
    assert not offending, offending


def test_detector_sees_every_import_form() -> None:
    source = (
        "import os, reflex as rx\n"
        "from reflex.state import State\n"
        "def f():\n    import reflex.app\n"
        "importlib.import_module('reflex')\n"
    )
    modules = [m for _, m in _imported_modules(ast.parse(source))]
    assert modules.count("reflex") == 2 and "reflex.state" in modules
    assert "reflex.app" in modules


def test_importing_the_layers_does_not_load_reflex() -> None:
    modules = [
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in FILES
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "import heurecivique_app.services.missions.participation\n"
        "import heurecivique_app.services.intake\n"
        "import heurecivique_app.services.selectors, heurecivique_app.adapters.db\n"
        "loaded = sorted(m for m in sys.modules if m == 'reflex' or m.startswith('reflex.'))\n"
        "assert not loaded, loaded\n"
        "print(len([m for m in sys.modules if m.startswith('heurecivique_app.')]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PACKAGE.parent, capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= len(modules)
