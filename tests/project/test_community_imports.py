"""The community apps import only core, accounts and notifications: never a personal app nor the
circle, so that nothing of a person's private space can be reached from a shared space."""

from __future__ import annotations

import ast
from pathlib import Path

import entraide

COMMUNITY_APPS = ("community",)
ALLOWED = {"core", "accounts", "notifications", *COMMUNITY_APPS}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return {n.split(".")[1] for n in names if n.startswith("entraide.") and n.count(".") >= 1}


def test_community_apps_import_only_core_accounts_and_notifications():
    root = Path(entraide.__file__).parent
    checked = 0
    for app in COMMUNITY_APPS:
        for path in (root / app).rglob("*.py"):
            if "tests" in path.relative_to(root).parts:
                continue
            wrong = imported_apps(path) - ALLOWED
            assert not wrong, f"{path.relative_to(root)} imports {sorted(wrong)}"
            checked += 1
    assert checked >= 8


def test_the_import_check_sees_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from entraide.journal.models import Checkin\nimport entraide.circle.gate\n")
    assert imported_apps(bad) - ALLOWED == {"journal", "circle"}
