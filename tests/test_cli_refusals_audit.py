"""Refusals of the issue-named commands found by a black-box audit of the contracts (issues 3, 4,
5, 13, 15): each drives the command as a script would and expects what the README promises of
every command — exit status 2, a Persian message (``{"error": …}`` on standard output under
--json), nothing stored — where it answered with a traceback, an English ``Error:`` and exit 1,
or exit 0 having done nothing."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

PERSIAN = re.compile(r"[\u0600-\u06FF]")
FEEDS_DIR = Path(__file__).resolve().parent / "data" / "feeds"


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args: str, status: int = 0, stdin: bytes | str | None = None):
        result = runner.invoke(args=list(args), input=stdin)
        assert result.exit_code == status, (result.output, result.exception)
        assert "Traceback" not in result.output
        return result

    return invoke


def _refusal(result) -> str:
    """The one JSON refusal on standard output: its Persian message."""
    [line] = result.stdout.splitlines()
    message = json.loads(line)["error"]
    assert PERSIAN.search(message), message
    return message


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_report_scorecard_to_a_folder_that_is_not_there_exits_2(run, tmp_path, fmt):
    """`--out` into a missing folder was a FileNotFoundError traceback with exit 1."""
    out = tmp_path / "missing" / f"card.{fmt}"
    result = run("report", "scorecard", "--period", "1405-09", "--format", fmt, "--out", str(out), status=2)
    assert result.stdout == "" and str(out) in result.stderr and PERSIAN.search(result.stderr)
    result = run("report", "scorecard", "--period", "1405-09", "--out", str(tmp_path), status=2)
    assert "پوشه" in result.stderr


def test_report_documents_to_a_folder_that_is_not_there_exit_2(run, make_agency, tmp_path):
    make_agency(slug="water", name_fa="آب و فاضلاب")
    out = tmp_path / "missing" / "cases.xlsx"
    result = run("report", "cases", "--period", "1405-09", "--agency", "water", "--format", "xlsx",
                 "--out", str(out), "--json", status=2)
    assert str(out) in _refusal(result) and not out.parent.exists()
    result = run("report", "media", "--period", "1405-09", "--agency", "water", "--format", "xlsx",
                 "--out", str(out), status=2)
    assert result.stderr.startswith("خطا:")
