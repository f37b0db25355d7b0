"""The structure ARCHITECTURE.md describes, held by tests: a wrong arrow fails CI.

- import-linter's contracts (.importlinter): layers run one way, no loops between siblings;
- ruff's default rules (pyproject.toml), a few waived with their reason;
- no first-party import hides inside a function (that is how loops were hidden before);
- only services commit; only search_index names a search engine; N_ is defined once.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "views", "models", "search_index")
# Imports that stay inside a function on purpose, each with its reason.
LAZY_IMPORTS = {
    # `import app` must not load the web layer: models import app.clock, and the factory imports models.
    ("app/__init__.py", "app.factory"),
    # the engine is loaded when a backend is first opened, not when the analysis is imported
    ("search_index/__init__.py", "search_index.whoosh_backend"),
    ("search_index/__init__.py", "search_index.tantivy_backend"),
    # scikit-learn (~0.5 s, tens of MB) is loaded by the process that trains, not by every web process
    ("app/services/learning_training.py", "app.learning.training"),
    # waitress (73 ms to import its server) is loaded by `serve`, not by every command
    ("app/worker.py", "app.server_errors"),
    # httpx and httpcore (~0.1 s of CPU a start) are loaded by the process that fetches, not by every command and web
    # process (tests/test_start_imports.py holds it)
    ("app/services/feeds.py", "app.monitor.fetch"),
    ("app/services/feed_addresses.py", "app.monitor.fetch"),
    ("app/services/portal_checks.py", "app.monitor.fetch"),
    ("app/services/feed_pipeline.py", "app.monitor.fetch"),
}


def _sources():
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            yield path.relative_to(REPO).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def test_import_linter_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", "--no-cache", "."], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_first_party_import_hides_in_a_function():
    hidden = []
    for name, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.ImportFrom) and sub.module and sub.module.split(".")[0] in PACKAGES:
                    if (name, sub.module) not in LAZY_IMPORTS:
                        hidden.append(f"{name}:{sub.lineno} {sub.module}")
                elif isinstance(sub, ast.Import):
                    hidden += [f"{name}:{sub.lineno} {a.name}" for a in sub.names if a.name.split(".")[0] in PACKAGES]
    assert hidden == [], "move these imports to the top of their module (or say why in LAZY_IMPORTS)"


def test_only_services_commit():
    # (Leases are short transactions of their own on their own connection: engine.begin().)
    committing = []
    for name, tree in _sources():
        if name.startswith("app/services/"):
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit"
                    and ast.unparse(node.func.value).split(".")[-1] in {"session", "connection", "conn"}):
                committing.append(f"{name}:{node.lineno}")
    assert committing == [], "a use case in app/services commits; other code flushes at most"


def test_only_search_index_names_the_engine():
    outside = [name for name, tree in _sources() if not name.startswith("search_index/")
               for node in ast.walk(tree)
               if isinstance(node, (ast.Import, ast.ImportFrom))
               and any(m.split(".")[0] == "whoosh" for m in
                       ([node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]))]
    assert outside == []


def test_n_is_defined_once():
    places = [name for name, tree in _sources() for node in ast.walk(tree)
              if isinstance(node, ast.FunctionDef) and node.name == "N_"]
    assert places == ["app/i18n.py"]


def test_search_backends_are_built_in_one_place():
    pattern = re.compile(r"\bWhooshBackend\(")
    places = [name for name, _ in _sources() if pattern.search((REPO / name).read_text(encoding="utf-8"))]
    assert places == ["search_index/__init__.py"]
