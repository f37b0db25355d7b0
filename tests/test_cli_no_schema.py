"""A database without Hamzaban's tables (a script run from another folder: the data folder's
default, «instance», is relative; a wrong HAMZABAN_DATA_DIR; `init` not run): said so, with what to
do, in Persian and as {"error"} under --json, exit 2. SQLite's «no such table» was told «the
database was locked or unreachable; run it again shortly», and PostgreSQL's undefined table was a
traceback with exit 1 (a review of the commands' contracts, session 39)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy.exc import OperationalError, ProgrammingError


def test_a_database_without_the_tables_is_told_to_run_init(tmp_path):
    from tests.conftest import REPO

    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path))  # an SQLite file there, no tables in it
    sheet = "نام,رسانه,سطح رسانه\nعلی رضایی,روزنامه,محلی\n".encode()
    for args in (["cases", "list", "--json"], ["directory", "import", "-", "--json"],
                 ["contacts", "lapsed", "--agency", "water", "--json"]):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=REPO, env=env,
                              capture_output=True, timeout=120, input=sheet)
        assert done.returncode == 2, done.stderr.decode()[-500:]
        [line] = done.stdout.decode().splitlines()
        error = json.loads(line)["error"]
        assert "init" in error and "جدول" in error and "قفل" not in error, error
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "cases", "list"], cwd=REPO, env=env,
                          capture_output=True, timeout=120)
    assert done.returncode == 2 and done.stdout == b"" and "init" in done.stderr.decode()


class _Orig(Exception):
    def __init__(self, text: str, sqlstate: str | None = None):
        super().__init__(text)
        self.sqlstate = sqlstate


@pytest.mark.parametrize("error, missing", [
    (OperationalError("SELECT", {}, _Orig("no such table: agencies")), True),
    (OperationalError("SELECT", {}, _Orig("no such column: agencies.name_order")), True),
    (ProgrammingError("SELECT", {}, _Orig('relation "agencies" does not exist', "42P01")), True),
    (ProgrammingError("SELECT", {}, _Orig('column agencies.x does not exist', "42703")), True),
    (OperationalError("SELECT", {}, _Orig("database is locked")), False),
    (ProgrammingError("SELECT", {}, _Orig("syntax error", "42601")), False),
])
def test_what_reads_as_a_missing_schema(error, missing):
    from app.cli.usage import schema_missing

    assert schema_missing(error) is missing
