"""The apps depend downwards only (docs: house style): core ← organisations ← catalog ← cases ←
documents ← {notifications, reports} ← {portal, tracking, eservice, accounts ← backoffice} ← api.
Notifications sits above documents: the filing confirmation attaches the request document.
The API sits on top: it is the wizard's and the back office's own forms, selectors, permissions
and action table over HTTP (one rule, not a copy), and nothing imports it."""

from __future__ import annotations

import ast
from pathlib import Path

LAYERS = [
    {"core"},
    {"organisations"},
    {"catalog"},
    {"cases"},
    {"documents"},
    {"notifications", "reports"},
    {"portal", "tracking", "eservice", "accounts"},
    {"backoffice"},
    {"api"},
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}
ALLOWED_SIDEWAYS = {("backoffice", "accounts")}
ROOT = Path(__file__).resolve().parent.parent / "onestop"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_every_app_imports_only_the_apps_below_it() -> None:
    upward = []
    for app, level in LEVEL.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for module in _imports(path):
                parts = module.split(".")
                if parts[0] != "onestop" or len(parts) < 2 or parts[1] == app:
                    continue
                other = parts[1]
                if LEVEL.get(other, -1) >= level and (app, other) not in ALLOWED_SIDEWAYS:
                    upward.append(f"{path.relative_to(ROOT.parent)} imports {module}")
    assert upward == []
