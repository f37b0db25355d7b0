"""What a `flask` process loads to start: every command, server and worker the desk (and the test
suite, ~50 times a pass) starts builds the app first. Flask-Migrate (Alembic, Mako) and numpy are
loaded where they are used (a migration, a restore, a MinHash, the classifier), not at the start:
they were 0.46 s of a start's 2.2 s of CPU (session 46, bench/README.md). httpx (and httpcore, h11)
is loaded by the feed fetcher when a feed or a portal is fetched: ~0.2 s of CPU a start (session 47)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.one_database  # the modules a start imports, not the database

PROBE = """
import sys
from app.factory import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "k" * 40, "DATA_DIR": sys.argv[1]})
with app.app_context():
    app.cli.get_command(None, "db")
print(" ".join(sorted(name for name in ("flask_migrate", "alembic", "mako", "numpy", "httpx", "httpcore") if name in sys.modules)))
"""


def test_the_app_starts_without_flask_migrate_numpy_or_httpx(tmp_path):
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [], done.stdout


def test_the_db_commands_are_flask_migrates_once_named(app):
    """`flask db` is still Flask-Migrate's group, its commands and options, loaded when named."""
    result = app.test_cli_runner().invoke(args=["db", "--help"])
    assert result.exit_code == 0, result.output
    for command in ("upgrade", "downgrade", "current", "heads", "migrate", "check", "--directory"):
        assert command in result.output, result.output
    assert app.extensions["migrate"].directory == str(REPO / "migrations")
