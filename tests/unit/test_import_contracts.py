"""The import contracts of pyproject.toml ([tool.importlinter]) hold, and they bite.

import-linter reads the imports of every module (statically, functions included)
and checks the layers: pages > components/state > presenters > services > domain,
adapters only through the composition root (wiring.py) and the services, a
domain that imports nothing of the app, no reflex below the UI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on ``project`` (its pyproject.toml and heurecivique_app/)."""
    env = {**os.environ, "PYTHONPATH": str(project), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(project / "pyproject.toml")],
        cwd=project, env=env, capture_output=True, text=True, timeout=120,
    )


def _broken(output: str) -> set[str]:
    return {line.rsplit(" BROKEN", 1)[0].strip() for line in output.splitlines()
            if line.rstrip().endswith("BROKEN")}


def test_the_package_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_forbidden_import_breaks_its_contract(tmp_path: Path) -> None:
    """A copy of the package with one wrong import per rule: each contract reports it."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    package = tmp_path / "heurecivique_app"
    shutil.copytree(ROOT / "heurecivique_app", package,
                    ignore=shutil.ignore_patterns("__pycache__", "locales"))
    wrong = {
        "domain/rules.py": "from heurecivique_app.services import audit",
        "state/login.py": "from heurecivique_app.adapters import mail",
        "adapters/mail.py": "from heurecivique_app.services import audit",
        "services/audit.py": "from heurecivique_app.settings import get_settings",
        "presenters/counts.py": "import reflex",
    }
    for path, line in wrong.items():
        module = package / path
        module.write_text(module.read_text(encoding="utf-8") + f"\n{line}  # noqa\n",
                          encoding="utf-8")

    result = _lint(tmp_path)

    assert result.returncode != 0
    assert _broken(result.stdout) == {
        "Layers: app module > pages > components/state > presenters > services > domain",
        "The domain imports nothing of the app (nor reflex)",
        "Adapters are reached only through the composition root (wiring) and the services",
        "Services are handed their adapters and settings; they never reach up",
        "Adapters depend on the domain only, never on what uses them",
        "No reflex below the UI: domain, services, adapters, presenters, routes, composition root",
    }, result.stdout
