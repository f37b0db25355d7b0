"""`flask contacts lapsed|stats`: the issue's contract (JSON lines with "outlet" and "days"),
--today and --days in any digits, refusals that exit 2 with a Persian {"error"}."""
from __future__ import annotations

import json
import re

import pytest

from tests.services import contact_fixtures
from tests.services.contact_fixtures import log_at
from tests.test_cli_report import records_floor

cworld = contact_fixtures.cworld
PERSIAN = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args: str, status: int = 0):
        result = runner.invoke(args=["contacts", *args])
        assert result.exit_code == status, result.output
        return result

    return run


def _lines(result):
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_lapsed_json_lines(cli, cworld):
    log_at(cworld.staff, "1405/08/01 10:00", outlet=cworld.local2)  # 1 Aban
    log_at(cworld.staff, "1405/08/30 10:00", outlet=cworld.local1)  # 30 Aban
    lines = _lines(cli("lapsed", "--agency", "water", "--today", "1405/09/10", "--json"))
    assert [(line["outlet"], line["days"]) for line in lines] == [("هفته‌نامهٔ کرانه", None), ("رادیو محلی", 39)]
    assert set(lines[1]) >= {"outlet", "days", "outlet_id", "scope", "city", "last_contact"}
    assert (lines[1]["last_contact"], lines[1]["last_contact_jalali"], lines[1]["scope"]) == (
        "2026-10-23", "1405/08/01", "local")
    persian = _lines(cli("lapsed", "--agency", "water", "--today", "۱۴۰۵/۰۹/۰۱", "--days", "۲۹", "--json"))
    assert [(line["outlet"], line["days"]) for line in persian] == [("هفته‌نامهٔ کرانه", None), ("رادیو محلی", 30)]
    assert _lines(cli("lapsed", "--agency", "power", "--today", "1405/09/01", "--json"))[0]["days"] is None


def test_lapsed_human_table(cli, cworld):
    log_at(cworld.staff, "1405/08/01 10:00", outlet=cworld.local2)
    out = cli("lapsed", "--agency", "water", "--today", "1405/09/10").stdout
    assert "(بیش از ۳۰ روز): ۳" in out and "رادیو محلی" in out and "1405/08/01" in out and "39" in out


@pytest.mark.parametrize(("args", "says"), [
    ((), "--agency"),  # the contract's {"error"} too, not click's English usage text
    (("--agency", " "), "--agency"),
    (("--agency", "nope"), "سازمانی با شناسهٔ «nope» نیست؛ شناسهٔ سازمان‌ها:"),
    (("--agency", "water", "--today", "1405/13/01"), "ماه باید از ۱ تا ۱۲ باشد"),
    (("--agency", "water", "--today", "yesterday"), "خوانده نشد"),
    (("--agency", "water", "--days", "0"), "عددی از ۱ تا ۳۶۵"),
])
def test_refusals_exit_2_with_a_persian_error(cli, cworld, args, says):
    data = _lines(cli("lapsed", *args, "--json", status=2))
    assert len(data) == 1 and list(data[0]) == ["error"] and PERSIAN.search(data[0]["error"])
    assert says in data[0]["error"]
    text = cli("lapsed", *args, status=2)
    assert says in text.stderr and text.stdout == ""


def test_stats_json(cli, cworld):
    log_at(cworld.staff, "1405/09/01 10:00", outlet=cworld.local1, channel="visit")
    lines = _lines(cli("stats", "--period", "۱۴۰۵-۰۹", "--agency", "water", "--today", "1405/09/05", "--json"))
    assert len(lines) == 1
    line = lines[0]
    assert (line["agency"], line["period"], line["local_outlets"], line["local_outlets_contacted"],
            line["contacts"], line["by_channel"]["visit"]) == ("water", "1405-09", 3, 1, 1, 1)
    assert _lines(cli("stats", "--period", "1405-9x", "--json", status=2))[0]["error"]


def test_stats_refuses_a_today_before_the_month(cli, cworld):
    """--today 1405/08/01 for 1405-09 gave the month's contacts "as of" a day before the month began."""
    log_at(cworld.staff, "1405/09/01 10:00", outlet=cworld.local1)
    data = _lines(cli("stats", "--period", "1405-09", "--agency", "water", "--today", "1405/08/30", "--json",
                      status=2))
    assert len(data) == 1 and list(data[0]) == ["error"] and "--today" in data[0]["error"]
    assert PERSIAN.search(data[0]["error"]) and "ماه ۱۴۰۵-۰۹" in data[0]["error"]  # Persian digits (was «1405-09»)
    first_day = _lines(cli("stats", "--period", "1405-09", "--agency", "water", "--today", "۱۴۰۵/۰۹/۰۱", "--json"))
    assert first_day[0]["contacts"] == 1


def test_stats_as_of_a_day_in_the_month_counts_the_contacts_up_to_that_day(cli, cworld):
    """--today 1405/09/05 counted a contact of 1405/09/10 too: the figures are "as of" that day."""
    log_at(cworld.staff, "1405/09/02 10:00", outlet=cworld.local1, channel="visit")
    log_at(cworld.staff, "1405/09/05 23:30", outlet=cworld.local2, channel="phone")
    log_at(cworld.staff, "1405/09/10 10:00", outlet=cworld.local1, channel="phone")
    fifth = _lines(cli("stats", "--period", "1405-09", "--agency", "water", "--today", "1405/09/05", "--json"))[0]
    assert (fifth["as_of"], fifth["contacts"], fifth["local_outlets_contacted"], fifth["by_channel"]["phone"]) == (
        "2026-11-26", 2, 2, 1)
    # the Jalali days beside the ISO ones, as `contacts lapsed` and `cases stats` give them
    assert fifth["as_of_jalali"] == "1405/09/05"
    local2 = next(r for r in fifth["days_since_last_contact"] if r["outlet_id"] == cworld.local2.id)
    assert (local2["last_contact"], local2["last_contact_jalali"]) == ("2026-11-26", "1405/09/05")
    tenth = _lines(cli("stats", "--period", "1405-09", "--agency", "water", "--today", "1405/09/10", "--json"))[0]
    assert (tenth["contacts"], tenth["by_channel"]["phone"]) == (3, 2)


def test_lapsed_refuses_a_day_still_to_come(cli, cworld):
    """--today 1499/01/01 answered days 34078: a day that has not come is refused in Persian."""
    data = _lines(cli("lapsed", "--agency", "water", "--today", "1499/01/01", "--json", status=2))
    assert list(data[0]) == ["error"] and PERSIAN.search(data[0]["error"]) and "--today" in data[0]["error"]


def test_stats_refuses_a_day_still_to_come_as_lapsed_does(cli, cworld):
    """--today a week ahead counted the days since the last contact up to a day not yet lived (61
    days where today's figure was 54), exit 0; `lapsed` refused the same day."""
    data = _lines(cli("stats", "--period", "1499-01", "--agency", "water", "--today", "1499/01/01", "--json",
                      status=2))
    assert list(data[0]) == ["error"] and PERSIAN.search(data[0]["error"]) and "هنوز نیامده" in data[0]["error"]


def _next_month() -> str:
    from app import clock
    from app.jalali import jalali_month_range, to_jalali

    today = to_jalali(clock.local_today())
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    assert jalali_month_range(year, month)[0] > clock.local_today()
    return f"{year:04d}-{month:02d}"


@pytest.mark.parametrize("period", ["1499-01", "next"])
def test_stats_refuses_a_month_not_begun(cli, cworld, period):
    """--period of a month still to come (no --today) answered figures «as of» today, before the
    month began, exit 0; it is refused as a --today before the month is."""
    period = _next_month() if period == "next" else period
    data = _lines(cli("stats", "--period", period, "--agency", "water", "--json", status=2))
    assert len(data) == 1 and list(data[0]) == ["error"] and PERSIAN.search(data[0]["error"])
    assert "هنوز آغاز نشده" in data[0]["error"]
    text = cli("stats", "--period", period, status=2)
    assert "هنوز آغاز نشده" in text.stderr and text.stdout == ""


def test_stats_text_output_is_persian(cli, cworld):
    """Without --json the figures were printed in English («local outlets contacted 1/3 contacts 1»)."""
    log_at(cworld.staff, "1405/09/01 10:00", outlet=cworld.local1, channel="visit")
    out = cli("stats", "--period", "1405-09", "--agency", "water", "--today", "1405/09/05").stdout
    assert "contacts" not in out and "local outlets" not in out
    lines = out.splitlines()
    # Persian words; its slug, period, date and figures as the JSON gives them, as the other commands'
    # lines (README; it printed Persian digits and no slug: a review of the commands, round 8)
    assert len(lines) == 1 and "شرکت آب و فاضلاب (water)" in lines[0] and "ماه 1405-09 تا 1405/09/05" in lines[0]
    assert "رسانهٔ محلی با تماس: 1 از 3" in lines[0] and "تماس‌ها: 1" in lines[0]


@pytest.mark.parametrize("args", [("lapsed", "--agency", "water", "--days", " "), ("lapsed", "--agency", "water",
                                  "--today", ""), ("stats", "--period", "1405-09", "--agency", " ")])
def test_a_blank_option_is_refused_not_read_as_left_out(cli, cworld, args):
    """«--days " "» counted with the setting's 30 days, «--agency " "» every agency (a review of the
    commands, round 4): a script's empty variable is its mistake."""
    data = _lines(cli(*args, "--json", status=2))
    assert list(data[0]) == ["error"] and "خالی آمده است" in data[0]["error"]


def test_days_copied_from_a_persian_line_are_read(cli, cworld):
    """«--days ۲۹<ZWNJ>» (or with a direction mark) was refused «must be a number from 1 to 365
    (typed: ۲۹)», which shows a number (a review of the commands' contracts, session 39)."""
    log_at(cworld.staff, "1405/08/01 10:00", outlet=cworld.local2)
    plain = _lines(cli("lapsed", "--agency", "water", "--today", "1405/09/01", "--days", "29", "--json"))
    for typed in ("۲۹\u200c", "\u200f29", "\u206629\u2069"):
        assert _lines(cli("lapsed", "--agency", "water", "--today", "1405/09/01", "--days", typed, "--json")) == plain
    assert "عددی از ۱ تا ۳۶۵" in json.loads(cli("lapsed", "--agency", "water", "--days", "\u200f", "--json",
                                                status=2).stdout)["error"]


@pytest.mark.parametrize("args", [
    ["lapsed", "--agency", "water", "--today", "1300/01/01"],
    ["lapsed", "--agency", "water", "--today", "۱۳۰۵/۰۹/۰۱"],
    ["stats", "--period", "1300-01"],
    ["stats", "--period", "1405-09", "--today", "1399/12/29"],
])
def test_a_day_before_any_record_is_refused(cli, cworld, args):
    """Session 40's note: `--today 1300/01/01` was accepted, and every outlet was «never contacted».
    A day (or a month) before the first day a record of the installation may carry — 1 Farvardin five
    Jalali years before its first day, as a case's or a contact's own day — is refused in Persian."""
    result = cli(*args, "--json", status=2)
    error = json.loads(result.stdout)["error"]
    assert PERSIAN.search(error) and records_floor() in error, error


def test_the_floor_stays_where_the_installation_began(cli, cworld):
    """The floor is the installation's, not five years back from today: records entered years ago
    are still counted once that window has moved on."""
    from datetime import timedelta

    from app.clock import local_today, utcnow
    from app.extensions import db
    from app.jalali import format_jalali_date
    from app.services.record_days import earliest_day
    from models import AuditEntry

    assert _lines(cli("lapsed", "--agency", "water", "--today", records_floor("en"), "--json"))  # the first day: read
    began = utcnow() - timedelta(days=3 * 366)
    db.session.add(AuditEntry(action="test.first", actor_label="cli", created_at=began))
    db.session.commit()
    floor = earliest_day(local_today(began))  # three years earlier than today's floor
    assert _lines(cli("lapsed", "--agency", "water", "--today", format_jalali_date(floor, digits="en"), "--json"))
    cli("lapsed", "--agency", "water", "--today", format_jalali_date(floor - timedelta(days=1), digits="en"),
        "--json", status=2)
