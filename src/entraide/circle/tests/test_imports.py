"""accounts and the personal apps never import the circle: it acts on them through core's
registries (ARCHITECTURE.md, import direction)."""

import ast
from pathlib import Path

import entraide

LOWER_APPS = (
    "core",
    "accounts",
    "notifications",
    "journal",
    "goals",
    "thoughts",
    "assessments",
    "safety",
    "treatments",
)


def test_lower_apps_never_import_the_circle():
    root = Path(entraide.__file__).parent
    found = []
    for app in LOWER_APPS:
        for path in (root / app).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
                if any(n == "entraide.circle" or n.startswith("entraide.circle.") for n in names):
                    found.append(str(path.relative_to(root)))
    assert not found, found
    assert (root / "accounts").is_dir() and (root / "circle").is_dir()
