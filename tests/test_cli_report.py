"""`flask report scorecard`: issue 13's JSON contract (one line per agency, every clause 1–14 in
order with figures, status and records) and its refusals (Persian message, exit 2)."""
from __future__ import annotations

import json
import re

import pytest

from tests.services import scorecard_fixtures

sworld = scorecard_fixtures.sworld
PERSIAN = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args: str, status: int = 0):
        result = runner.invoke(args=["report", "scorecard", *args])
        assert result.exit_code == status, result.output
        return result

    return run


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_json_line_per_agency_with_every_clause(cli, sworld):
    lines = _lines(cli("--period", "1403-12").stdout)
    assert [line["agency"] for line in lines] == ["water", "power"]
    water = lines[0]
    assert water["period"] == "1403-12"
    assert [c["clause"] for c in water["clauses"]] == list(range(1, 15))
    for clause in water["clauses"]:
        assert {"clause", "figures", "status", "records", "title"} <= set(clause)
        assert clause["status"] in ("met", "partly", "not_met", "no_data")
        assert isinstance(clause["figures"], dict) and isinstance(clause["records"], dict)
    twelve = water["clauses"][11]
    assert twelve["figures"]["opened"] == 3 and twelve["figures"]["answered_on_time"] == 1
    assert twelve["records"] == {"cases": ["1403-000001", "1403-000002", "1403-000003", "1403-000004"]}
    assert water["clauses"][8]["records"] == {"conferences": [sworld.conferences["K2"].id]}
    assert water["clauses"][10]["records"]["contacts"] == [sworld.contacts[n].id for n in ("T3", "T4", "T6", "T1")]


def test_one_agency_a_season_a_year_and_a_file(cli, sworld, tmp_path):
    [line] = _lines(cli("--period", "1403-S4", "--agency", "water").stdout)
    assert (line["agency"], line["period"], line["clauses"][8]["figures"]["held"]) == ("water", "1403-S4", 2)
    [line] = _lines(cli("--period", "پاییز ۱۴۰۳", "--agency", "power", "--format", "json").stdout)
    assert line["period"] == "1403-S3"
    out = tmp_path / "card.jsonl"
    cli("--period", "1403", "--out", str(out))
    assert [line["period"] for line in _lines(out.read_text(encoding="utf-8"))] == ["1403", "1403"]


@pytest.mark.parametrize("args", [("--period", "1403-13"), ("--period", ""), ("--period", "1403-12", "--agency", "nope"),
                                  ("--period", "1403-12", "--format", "csv"),
                                  ("--period", "1403-12", "--agency", " "),  # every agency, before (round 4)
                                  ("--period", " ")])
def test_refusals_exit_2_in_persian(cli, sworld, args):
    result = cli(*args, status=2)
    assert PERSIAN.search(result.stderr) and result.stdout == ""


@pytest.mark.parametrize("args, says", [
    (["report", "cases", "--period", "1499-01", "--agency", "water"], "هنوز آغاز نشده"),
    (["report", "media", "--period", "1499-S1", "--agency", "water"], "هنوز آغاز نشده"),
    (["report", "digest", "--period", "1499/01/01", "--agency", "water"], "هنوز آغاز نشده"),
    (["portals", "freshness", "--period", "1499-01"], "هنوز آغاز نشده"),
    (["report", "digest", "--send", "--agency", "water"], "--agency را نمی‌خواند"),
    (["report", "cases", "--period", "1403-12", "--agency", "water", "--out", " "], "خالی آمده است"),
    (["portals", "freshness", "--period", " "], "خالی آمده است"),
    (["search", "drain", "--batch", "99999999999999999999"], "--batch"),
    (["search", "rebuild", "--batch", "99999999999999999999"], "--batch"),
    (["directory", "merge-journalists", "1", "1_0", "--dry-run"], "1_0"),
])
def test_the_other_commands_refuse_as_the_cases_commands_do(app, sworld, args, says):
    """A period not begun gave an empty report (and agencies «stale» in a month not lived), --send
    mailed every agency for «--agency water», a blank --out wrote a file named « », a huge --batch
    was a traceback, «1_0» read as 10 in an irreversible merge (a review of the commands, round 5):
    refused with {"error"} in Persian, exit 2."""
    result = app.test_cli_runner().invoke(args=[*args, "--json"])
    assert result.exit_code == 2, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["error"] and PERSIAN.search(data["error"]) and says in data["error"], data

    routing = app.test_cli_runner().invoke(args=["routing", "apply", "1_0"])  # no --json there
    assert routing.exit_code == 2 and "1_0" in routing.output


@pytest.mark.parametrize("args", [
    ["report", "cases", "--period", "1403-12", "--agency", "water", "--format", "pdf", "--out", "{tmp}/cases.xlsx"],
    ["report", "media", "--period", "1403-S4", "--agency", "water", "--format", "xlsx", "--out", "{tmp}/media.PDF"],
    ["report", "digest", "--period", "1403/12/01", "--agency", "water", "--out", "{tmp}/digest.xls"],
    ["report", "scorecard", "--period", "1403-12", "--format", "json", "--out", "{tmp}/card.xlsx"],
    ["report", "scorecard", "--period", "1403-12", "--format", "pdf", "--out", "{tmp}/card.csv"],
])
def test_a_file_named_for_another_format_is_refused_and_nothing_is_written(app, sworld, tmp_path, args):
    """A PDF written into «cases.xlsx» opened in nothing (`directory export` refused such a name, the
    reports wrote it): the same refusal, exit 2, no file."""
    folder = tmp_path / "out"  # the test's database lives in tmp_path
    folder.mkdir()
    result = app.test_cli_runner().invoke(args=[arg.replace("{tmp}", str(folder)) for arg in args])
    assert result.exit_code == 2, result.output
    assert "قالب یا نام" in result.output and list(folder.iterdir()) == []


def test_a_file_named_for_its_format_or_for_none_is_written(app, sworld, tmp_path):
    for name in ("cases.PDF", "cases-report"):  # any case of the suffix, or no suffix the commands know
        result = app.test_cli_runner().invoke(args=["report", "cases", "--period", "1403-12", "--agency", "water",
                                                    "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_bytes().startswith(b"%PDF")


def records_floor(digits: str = "fa") -> str:
    """The first day a record of the installation may carry, as the refusals write it (1 Farvardin
    five Jalali years back: ۱۴۰۰/۰۱/۰۱ in 1405, written here by hand until session 42)."""
    from app.jalali import format_jalali_date
    from app.services.record_days import earliest_recorded_day

    return format_jalali_date(earliest_recorded_day(), digits=digits)


@pytest.mark.parametrize("args", [
    ["report", "scorecard", "--period", "1305"],
    ["report", "cases", "--period", "1305-09", "--agency", "water", "--format", "xlsx"],
    ["report", "digest", "--period", "1300/01/01", "--agency", "water"],
    ["cases", "stats", "--period", "1305-09"],
])
def test_a_period_before_any_record_is_refused(app, sworld, args, tmp_path_factory, monkeypatch):
    """«1305» typed for «1405» gave every agency «not met» (session 40's note): refused in Persian,
    as `contacts lapsed --today` is, nothing written."""
    tmp_path = tmp_path_factory.mktemp("here")  # not the data folder
    monkeypatch.chdir(tmp_path)
    result = app.test_cli_runner().invoke(args=[*args, "--json"])
    assert result.exit_code == 2, result.output
    assert records_floor() in json.loads(result.stdout)["error"]  # the code's floor: it moves every Nowruz
    assert not any(tmp_path.iterdir())


def test_the_digest_mail_setting_is_said_in_persian_and_an_empty_hour_refused(app):
    """Session 42's hostile round: `report digest-mail --on` said «press digest e-mail: on, from 18:00»
    in English (a setting, not a worker's job line), and «--hour ""» (a script's unset variable) was
    read as no hour: the e-mail was turned on at the default hour without a word."""
    runner = app.test_cli_runner()
    said = runner.invoke(args=["report", "digest-mail", "--on", "--hour", "7"])
    assert said.exit_code == 0 and said.stdout == "رایانامهٔ خلاصهٔ خبری روزانه: روشن، از ساعت ۰۷:۰۰\n", said.output
    off = runner.invoke(args=["report", "digest-mail", "--off"])
    assert off.stdout.startswith("رایانامهٔ خلاصهٔ خبری روزانه: خاموش"), off.output
    blank = runner.invoke(args=["report", "digest-mail", "--on", "--hour", "", "--json"])
    assert blank.exit_code == 2 and "خالی آمده است" in json.loads(blank.stdout)["error"], blank.output
    assert json.loads(runner.invoke(args=["report", "digest-mail", "--off", "--json"]).stdout)["hour"] == 7
