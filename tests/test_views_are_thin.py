"""Layering that import-linter cannot see: views read through services (no session, no query
building), and services hand back data, not HTML (no Markup, nothing from the web layer).

Read from the source with ast, so a function-local import counts as much as a top-level one.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
VIEWS = sorted((REPO / "views").rglob("*.py"))
SERVICES = sorted((REPO / "app" / "services").rglob("*.py"))


def _imports(tree: ast.AST) -> list[tuple[str, str | None]]:
    """(module, name) for every import in the module; name is None for ``import module``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.module, alias.name) for alias in node.names]
    return found


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _parsed(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_the_checked_folders_are_where_the_test_looks():
    assert len(VIEWS) > 5 and len(SERVICES) > 10


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: p.name)
def test_a_view_reads_through_services(path: Path):
    tree = _parsed(path)
    source = path.read_text(encoding="utf-8")
    assert "db.session" not in source, f"{path.name} uses db.session: move the read into a service function"
    for module, name in _imports(tree):
        assert not _under(module, "sqlalchemy"), f"{path.name} imports {module}: queries belong in services"
        assert not _under(module, "app.extensions"), f"{path.name} imports app.extensions (the database)"
        assert not (module == "app" and name == "extensions"), f"{path.name} imports app.extensions"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "session" and getattr(node.value, "id", "") == "db":
            raise AssertionError(f"{path.name} line {node.lineno}: db.session in a view")


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_a_service_returns_data_not_html(path: Path):
    for module, name in _imports(_parsed(path)):
        assert not (_under(module, "markupsafe") and name in (None, "Markup", "escape")), \
            f"{path.name} imports markupsafe.{name or ''}: services return data; templates and filters make HTML"
        assert not _under(module, "app.web") and not (module == "app" and name == "web"), \
            f"{path.name} imports {module}: presentation sits above the services"
