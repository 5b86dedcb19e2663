"""The domain imports only the standard library (and itself)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "waitlist" / "domain"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_every_domain_module_imports_only_the_standard_library_or_the_domain():
    offenders = {}
    modules = sorted(DOMAIN.glob("*.py"))
    assert len(modules) >= 8
    for path in modules:
        bad = {
            name
            for name in _imports(path)
            if not name.startswith("waitlist.domain")
            and name.split(".")[0] not in sys.stdlib_module_names
        }
        if bad:
            offenders[path.name] = sorted(bad)
    assert offenders == {}


def test_the_import_check_would_catch_a_third_party_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlmodel\nfrom waitlist.storage import db\n")
    names = _imports(bad)
    assert "sqlmodel" in names and "waitlist.storage" in names
