"""`report cases|media|digest|scorecard --out -` and `--out /dev/stdout`: the document alone on
standard output, its summary line on standard error, as `directory export … -` writes (a review of
the commands' contracts, session 39: «--out -» wrote a file named «-» in the current folder, and
piped, «--out /dev/stdout» ended the workbook with the summary line or the JSON object)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

PERSIAN = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def water(make_agency):
    return make_agency(slug="water", name_fa="آب و فاضلاب")


@pytest.mark.parametrize("args", [
    ["report", "cases", "--period", "1405-09", "--agency", "water", "--format", "xlsx"],
    ["report", "media", "--period", "1405-09", "--agency", "water", "--format", "xlsx"],
    ["report", "scorecard", "--period", "1405-09", "--agency", "water", "--format", "xlsx"],
])
def test_a_dash_is_standard_output(app, water, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = app.test_cli_runner().invoke(args=[*args, "--out", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"PK") and b"\xd9\x86\xd9\x88\xd8\xb4\xd8\xaa\xd9\x87" not in result.stdout_bytes
    assert "نوشته شد" in result.stderr and not (tmp_path / "-").exists()


def test_a_dash_with_json_is_refused_and_nothing_is_written(app, water, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = app.test_cli_runner().invoke(args=["report", "cases", "--period", "1405-09", "--agency", "water",
                                                "--format", "xlsx", "--out", "-", "--json"])
    assert result.exit_code == 2, result.output
    [line] = result.stdout.splitlines()
    assert PERSIAN.search(json.loads(line)["error"]) and "«-»" in json.loads(line)["error"]
    assert not (tmp_path / "-").exists()


def test_the_scorecards_json_lines_to_a_dash_are_standard_output(app, water, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = app.test_cli_runner().invoke(args=["report", "scorecard", "--period", "1405-09", "--out", "-"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["agency"] for line in result.stdout.splitlines()] == ["water"]
    assert not (tmp_path / "-").exists()


@pytest.mark.one_database
def test_dev_stdout_on_a_pipe_gets_the_document_alone(app, water, tmp_path):
    from tests.conftest import REPO

    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "flask", "--app", "app", "report", *args], cwd=REPO, env=env,
                              capture_output=True, timeout=120)

    done = run("cases", "--period", "1405-09", "--agency", "water", "--format", "xlsx", "--out", "/dev/stdout")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.startswith(b"PK") and done.stdout.endswith(b"\x00\x00"), done.stdout[-80:]
    assert "نوشته شد" in done.stderr.decode()
    done = run("scorecard", "--period", "1405-09", "--agency", "water", "--format", "xlsx", "--out", "/dev/stdout")
    assert done.returncode == 0 and done.stdout.endswith(b"\x00\x00"), done.stdout[-80:]
    done = run("cases", "--period", "1405-09", "--agency", "water", "--format", "xlsx", "--out", "/dev/stdout", "--json")
    assert done.returncode == 2 and "«/dev/stdout»" in json.loads(done.stdout)["error"]


@pytest.mark.one_database
def test_a_pdf_or_workbook_is_not_written_to_a_terminal(app, water, tmp_path):
    """As `directory export --format xlsx -` (session 36): the bytes would garble the terminal and
    save nothing; refused in Persian, naming the document's own file name to write it under."""
    from tests.conftest import on_a_terminal

    env = {k: v for k, v in os.environ.items() if not k.startswith("HAMZABAN_")}
    env.update(HAMZABAN_DATA_DIR=str(tmp_path), HAMZABAN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"])
    code, shown, stderr = on_a_terminal(["report", "cases", "--period", "1405-09", "--agency", "water", "--format", "pdf",
                                         "--out", "-"], env)
    assert code == 2 and b"%PDF" not in shown and "پایانه" in stderr and ".pdf" in stderr, stderr
