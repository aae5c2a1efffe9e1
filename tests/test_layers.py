"""The top-level packages stand on each other in one direction only (README, "Layout").

`core/` is the floor; the catalogue stands on it; the action server and the API stand side by
side on both and meet over HTTP only; the Rasa side (`bot/`) needs nothing but the floor.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "services_catalog": {"core"},
    "actions": {"core", "services_catalog"},
    "api": {"core", "services_catalog"},
    "bot": {"core"},
    "migrations": {"core", "services_catalog", "api"},
}


def imported_packages(package: str) -> dict[str, set[str]]:
    """Each other top-level package `package` imports, with the files that import it."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in ALLOWED and top != package:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_product_package_has_a_place_in_the_rule() -> None:
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert packages - {"tests", "devtools"} == set(ALLOWED) - {"migrations"}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_layers_below_it(package: str) -> None:
    reached = imported_packages(package)
    assert {top: files for top, files in reached.items() if top not in ALLOWED[package]} == {}
