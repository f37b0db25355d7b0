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
from sqlalchemy import func, select

from app.extensions import db
from models import Feed, ItemRoute

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


def test_routing_test_answers_every_line_and_refuses_the_bad_ones_in_place(run):
    """A line that was not a JSON object stopped the run with «Error: line 1: not JSON» (exit 1,
    the good lines after it never routed); a list, a string or a number as title was a traceback."""
    lines = [b"not json", json.dumps({"id": "a", "title": "قطعی آب شرب در سه روستا"}).encode(),
             b"[1, 2]", json.dumps({"id": 9, "title": 5}).encode(), b"", b"\xff\xfe", b'"a string"',
             json.dumps({"id": "b", "title": "قهرمانی تیم کشتی", "summary": None}).encode()]
    result = run("routing", "test", "--json", status=2, stdin=b"\n".join(lines) + b"\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("line") for o in out] == [1, None, 3, 4, 6, 7, None]  # one answer per non-blank line
    assert [o["id"] for o in out] == [None, "a", None, 9, None, None, "b"]
    assert "water" in out[1]["agencies"] and out[6]["agencies"] == [] and out[6]["question"] is False
    for refused in (out[0], out[2], out[3], out[4], out[5]):
        assert set(refused) == {"line", "id", "error"} and PERSIAN.search(refused["error"])
    assert "title" in out[3]["error"]
    assert db.session.scalar(select(func.count(ItemRoute.id))) == 0  # still stores nothing


def test_routing_test_takes_a_bom_and_exits_0_on_good_input(run):
    line = "\ufeff" + json.dumps({"id": 1, "title": "قطعی آب شرب"}, ensure_ascii=False)
    result = run("routing", "test", "--json", stdin=line.encode("utf-8"))
    assert json.loads(result.stdout)["id"] == 1


def test_feeds_poll_refuses_a_feed_that_is_not_there_or_not_on_the_web(run):
    """`feeds poll --feed 99999 --json` printed a summary of 0 feeds and exited 0, as it did for a
    feed read from a local file: a script could not tell "no news" from "nothing polled"."""
    assert "۹۹۹۹۹" in _refusal(run("feeds", "poll", "--feed", "99999", "--json", status=2))
    run("feeds", "import-file", str(FEEDS_DIR / "demo-ostan-news.rss"))
    local = db.session.scalar(select(Feed.id))
    assert "import-file" in _refusal(run("feeds", "poll", "--feed", str(local), "--json", status=2))
    result = run("feeds", "poll", "--feed", "99999", status=2)
    assert result.stdout == "" and result.stderr.startswith("خطا:")


def test_import_opml_refuses_a_file_that_is_not_opml_with_exit_2(run):
    """It said «Error: …» (Click's English prefix) with exit 1 and no JSON under --json."""
    path = str(FEEDS_DIR / "sample-fa.rss")
    assert "OPML" in _refusal(run("feeds", "import-opml", path, "--json", status=2))
    result = run("feeds", "import-opml", path, status=2)
    assert result.stdout == "" and result.stderr.startswith("خطا:") and "Error" not in result.stderr
    assert db.session.scalar(select(func.count(Feed.id))) == 0


def test_learning_switch_of_an_unknown_agency_exits_2_in_persian(run):
    """It said «Error: no agency 'nowhere'» with exit 1, no JSON under --json."""
    assert "«nowhere»" in _refusal(run("learning", "switch", "nowhere", "off", "--json", status=2))
    assert run("learning", "switch", "nowhere", "on", status=2).stderr.startswith("خطا:")


def test_search_query_without_an_index_exits_2_in_persian(run, app, tmp_path):
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "no-index-here")
    assert "search rebuild" in _refusal(run("search", "query", "آب", "--json", status=2))
    assert run("search", "query", "آب", status=2).stderr.startswith("خطا:")


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


def test_figures_of_a_period_that_has_not_begun_are_refused_as_contacts_stats_does(run, make_agency):
    """`cases stats --period 1450-01` printed a month's figures with today's open and overdue cases
    in them, and `report scorecard` a whole scorecard «as of» a day before its period, where
    `contacts stats` refuses a month not begun yet."""
    make_agency(slug="water", name_fa="آب و فاضلاب")
    assert "۱۴۵۰/۰۱/۰۱" in _refusal(run("cases", "stats", "--period", "1450-01", "--json", status=2))
    for period in ("1450-01", "1450-S2", "1450"):
        result = run("report", "scorecard", "--period", period, "--agency", "water", status=2)
        assert result.stdout == "" and "هنوز آغاز نشده" in result.stderr
    assert json.loads(run("cases", "stats", "--period", "1404-12", "--json").stdout)["period"] == "1404-12"
    assert json.loads(run("report", "scorecard", "--period", "1404", "--agency", "water").stdout)["period"] == "1404"
