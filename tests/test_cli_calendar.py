"""`flask calendar …`: the deadline JSON other tools read, and holidays from the shell."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jalali import parse_jalali_date as J
from models import AuditEntry, Holiday


def test_add_working_days_json_across_nowruz(app):
    for year in ("1405", "1406"):  # as `init` does: a year without its lunar holidays is warned of (session 43)
        assert app.test_cli_runner().invoke(args=["calendar", "propose-lunar", "--year", year]).exit_code == 0
    result = app.test_cli_runner().invoke(args=["calendar", "add-working-days", "1405/12/25", "5", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {key: data[key] for key in ("start", "days", "due")} == {"start": "1405/12/25", "days": 5, "due": "1406/01/08"}
    assert [{"date": day["date"], "reason": day["reason"]} for day in data["skipped"]] == [
        {"date": "1405/12/28", "reason": "جمعه، تعطیل هفتگی"},
        {"date": "1405/12/29", "reason": "تعطیل رسمی: ملی شدن صنعت نفت"},
        {"date": "1406/01/01", "reason": "تعطیل رسمی: نوروز"},
        {"date": "1406/01/02", "reason": "تعطیل رسمی: نوروز"},
        {"date": "1406/01/03", "reason": "تعطیل رسمی: نوروز"},
        {"date": "1406/01/04", "reason": "تعطیل رسمی: نوروز"},
        {"date": "1406/01/06", "reason": "جمعه، تعطیل هفتگی"},
    ]
    # Added after the contract's keys: each skipped day's holiday name (null for a rest day) and
    # the weekly rest days counted with (what a case's page says the counting again from)
    assert [day["holiday"] for day in data["skipped"]] == [None, "ملی شدن صنعت نفت", *["نوروز"] * 4, None]
    assert data["rest_days"] == [4]
    assert list(data) == ["start", "days", "due", "skipped", "rest_days", "warnings"] and data["warnings"] == []


def test_a_year_without_holidays_in_the_calendar_is_warned_of(app):
    """«1408/12/28 3» fell on Nowruz, said as a plain answer: years not in the calendar were counted
    as if they had no holiday (a review of the commands, round 4)."""
    data = json.loads(app.test_cli_runner().invoke(args=["calendar", "add-working-days", "1420/12/28", "3",
                                                         "--json"]).output)
    assert data["due"].startswith("1421/01/") and len(data["warnings"]) == 2
    assert "۱۴۲۰" in data["warnings"][0] and "هیچ تعطیلی" in data["warnings"][0]


def test_add_working_days_reads_persian_digits_and_explains(app):
    result = app.test_cli_runner().invoke(args=["calendar", "add-working-days", "۱۴۰۵/۱۲/۲۵", "5"])
    assert result.exit_code == 0, result.output
    assert "موعد ۱۴۰۶/۰۱/۰۸" in result.output and "نوروز" in result.output


def test_bad_date_or_count_is_a_usage_error(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["calendar", "add-working-days", "1404/12/30", "5", "--json"])
    assert result.exit_code == 2
    assert "کبیسه نیست" in result.output
    result = runner.invoke(args=["calendar", "add-working-days", "1405/01/01", "-3"])
    assert result.exit_code == 2


def test_holidays_add_list_remove(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["calendar", "holidays", "add", "1405/04/25", "عاشورای حسینی"])
    assert result.exit_code == 0, result.output
    assert result.output == "تعطیلی 1405/04/25 «عاشورای حسینی» افزوده شد.\n"
    assert db.session.scalar(select(Holiday.name).where(Holiday.day == J("1405/04/25"))) == "عاشورای حسینی"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "holiday.added"))
    assert entry.actor_label == "cli" and entry.actor_id is None

    result = runner.invoke(args=["calendar", "holidays", "add", "1405/04/25", "دوباره"])
    assert result.exit_code == 2 and "خطا: " in result.output and "از پیش تعطیل ثبت شده است" in result.output

    lines = runner.invoke(args=["calendar", "holidays", "list", "1405", "--json"]).output.splitlines()
    rows = [json.loads(line) for line in lines]
    assert {"date": "1405/04/25", "name": "عاشورای حسینی", "fixed_solar": False, "kind": "other",
            "status": "confirmed"} in rows
    assert len(rows) == 11

    result = runner.invoke(args=["calendar", "holidays", "remove", "1405/04/25"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(select(Holiday).where(Holiday.day == J("1405/04/25"))) is None
    again = runner.invoke(args=["calendar", "holidays", "remove", "1405/04/25"])  # a re-run (session 46)
    assert again.exit_code == 0 and again.output == "تعطیلی 1405/04/25 «عاشورای حسینی» پیش‌تر برداشته شده است؛ " \
                                                    "چیزی تغییر نکرد.\n"
    never = runner.invoke(args=["calendar", "holidays", "remove", "1405/04/26"])  # never a holiday: a day typed wrong
    assert never.exit_code == 2 and "روز ۱۴۰۵/۰۴/۲۶ تعطیل ثبت‌شده‌ای نیست." in never.output


def test_holidays_add_and_remove_speak_json(app):
    """``list`` and ``propose-lunar`` took --json, ``add`` and ``remove`` refused it (a review of the
    commands, round 3): a script could not read their result."""
    runner = app.test_cli_runner()

    def run(*args):
        result = runner.invoke(args=["calendar", "holidays", *args, "--json"])
        return result.exit_code, json.loads(result.stdout)

    assert run("add", "1405/04/25", "عاشورا") == (0, {"date": "1405/04/25", "name": "عاشورا", "added": True})
    code, refused = run("add", "1405/04/25", "دوباره")
    assert code == 2 and "از پیش تعطیل ثبت شده است" in refused["error"]
    assert run("add", "1405/04/26", "\u200c")[1] == {"error": "نام تعطیلی را بنویسید."}
    assert run("remove", "1405/04/25") == (0, {"date": "1405/04/25", "name": "عاشورا", "removed": True})
    assert run("remove", "1405/04/25") == (0, {"date": "1405/04/25", "name": "عاشورا", "removed": False})


def test_holidays_remove_run_again_is_already_done_only_where_the_day_last_lost_its_holiday(app):
    """`holidays remove` run again by a script was refused, exit 2, «not a holiday», where `add` run again exits 0
    "added": false (session 45's note): now exit 0, "removed": false, the name removed, nothing stored or audited.
    A day never a holiday, or one whose holiday was moved away (it is on another day), stays refused: a typed
    day that may be wrong (session 46)."""
    runner = app.test_cli_runner()

    def run(*args):
        result = runner.invoke(args=["calendar", "holidays", *args, "--json"])
        return result.exit_code, json.loads(result.stdout)

    assert run("add", "1405/04/25", "عاشورا")[0] == 0
    assert run("remove", "۱۴۰۵/۰۴/۲۵")[0] == 0
    entries = db.session.scalar(select(func.count(AuditEntry.id)))
    assert run("remove", "1405/4/25") == (0, {"date": "1405/04/25", "name": "عاشورا", "removed": False})
    assert run("remove", "1405/04/25", "--statutory") == (0, {"date": "1405/04/25", "name": "عاشورا", "removed": False})
    assert db.session.scalar(select(func.count(AuditEntry.id))) == entries
    assert run("add", "1405/04/25", "تاسوعا") == (0, {"date": "1405/04/25", "name": "تاسوعا", "added": True})
    holiday = db.session.scalar(select(Holiday).where(Holiday.day == J("1405/04/25")))
    from app.cli.calendar import _CliAdmin
    from app.services.holidays import update_holiday
    update_holiday(holiday, J("1405/04/24"), "تاسوعا", actor=_CliAdmin())  # moved away: no removal of that day
    assert run("remove", "1405/04/25") == (2, {"error": "روز ۱۴۰۵/۰۴/۲۵ تعطیل ثبت‌شده‌ای نیست."})
    assert run("remove", "1405/04/27") == (2, {"error": "روز ۱۴۰۵/۰۴/۲۷ تعطیل ثبت‌شده‌ای نیست."})


def test_a_holiday_added_again_under_its_name_is_there_unchanged(app):
    """`holidays add` run again by a script (the same day and name) was refused, exit 2 («… از پیش
    تعطیل ثبت شده است»), where `propose-lunar` run again adds nothing and exits 0: now
    ``"added": false``, exit 0, nothing stored or audited (spacing and ZWNJ aside, as the name is
    read); another name on that day is still refused (session 44)."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["calendar", "holidays", "add", "1405/04/25", "تاسوعای حسینی", "--json"]).exit_code == 0
    audited = db.session.scalar(select(func.count(AuditEntry.id)))
    again = runner.invoke(args=["calendar", "holidays", "add", "۱۴۰۵/۰۴/۲۵", " تاسوعای‌حسینی ", "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == {"date": "1405/04/25", "name": "تاسوعای حسینی", "added": False}
    text = runner.invoke(args=["calendar", "holidays", "add", "1405/04/25", "تاسوعای حسینی"])
    assert text.exit_code == 0 and "پیش‌تر ثبت شده است" in text.stdout
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audited
    assert runner.invoke(args=["calendar", "holidays", "add", "1405/04/25", "عاشورا", "--json"]).exit_code == 2


def test_a_holiday_added_over_a_proposal_of_that_name_is_not_there_unchanged(app):
    """A lunar holiday proposed and not confirmed is not the holiday `holidays add` stores (confirmed): the re-run
    answer ``"added": false``, exit 0, told a script it was there while it stayed «در انتظار تأیید» (session 44's
    review). Refused as before, exit 2, the proposal named as such; nothing stored."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["calendar", "propose-lunar", "--year", "1404", "--json"]).exit_code == 0
    audited = db.session.scalar(select(func.count(AuditEntry.id)))
    result = runner.invoke(args=["calendar", "holidays", "add", "1404/04/14", "عاشورای حسینی", "--json"])
    assert result.exit_code == 2, result.output
    assert "در انتظار تأیید" in json.loads(result.stdout)["error"]
    assert db.session.scalar(select(func.count(AuditEntry.id))) == audited


def test_propose_lunar_json_twice_adds_nothing_twice(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["calendar", "propose-lunar", "--year", "1404", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["year", "added", "skipped"] and data["year"] == 1404
    assert {"date": "1404/04/14", "name": "عاشورای حسینی", "hijri": "1447-01-10"} in data["added"]
    assert len(data["added"]) == 17
    assert {"date": "1404/01/01", "name": "شهادت حضرت علی (ع)", "hijri": "1446-09-21",
            "reason": "already_a_holiday", "holiday": "نوروز"} in data["skipped"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "holiday.lunar_proposed"))
    assert entry.actor_label == "cli"

    again = json.loads(runner.invoke(args=["calendar", "propose-lunar", "--year", "۱۴۰۴", "--json"]).output)
    assert again["added"] == [] and {row["reason"] for row in again["skipped"]} == {"proposed_before"}
    lines = runner.invoke(args=["calendar", "holidays", "list", "1404", "--json"]).output.splitlines()
    rows = [json.loads(line) for line in lines]
    assert {"date": "1404/04/14", "name": "عاشورای حسینی", "fixed_solar": False, "kind": "lunar",
            "status": "proposed"} in rows
    assert len(rows) == 10 + 17
    text = runner.invoke(args=["calendar", "holidays", "list", "1404"]).output
    assert "1404/04/14  عاشورای حسینی  (در انتظار تأیید)" in text


def test_propose_lunar_text_output(app):
    result = app.test_cli_runner().invoke(args=["calendar", "propose-lunar", "--year", "1405"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1405: ")
    assert "  + 1405/04/04  عاشورای حسینی" in result.output
    assert "(خود تعطیل است: نوروز)" in result.output  # 2 Shawwal 1447 is 1405/01/01


@pytest.mark.parametrize("args, message", [
    (["--year", "abc"], "سال باید عدد باشد، مانند ۱۴۰۶ (نوشته‌شده: «abc»)."),
    (["--year", "1200"], "تعطیلی‌های قمری را برای سال‌های ۱۳۰۴ تا ۱۴۵۵ می‌توان پیشنهاد داد (نوشته‌شده: ۱۲۰۰)."),
    ([], "سال را بنویسید."),
])
def test_propose_lunar_refuses_a_bad_year_with_exit_2(app, args, message):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["calendar", "propose-lunar", *args, "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output) == {"error": message}
    result = runner.invoke(args=["calendar", "propose-lunar", *args])
    # «خطا: …» on standard error as every command's refusal (it was the bare message: session 39)
    assert result.exit_code == 2 and result.stderr == f"خطا: {message}\n" and result.stdout == ""
    assert db.session.scalar(select(Holiday).where(Holiday.kind == "lunar")) is None


def test_add_working_days_refuses_a_negative_or_a_huge_count_in_persian(app):
    """«-3» was «no such option», and 100,000 days printed one 1.2 MB line ending in the year 1725
    (a review of the commands)."""
    runner = app.test_cli_runner()
    negative = runner.invoke(args=["calendar", "add-working-days", "1405/12/25", "-3", "--json"])
    assert negative.exit_code == 2 and "عددی منفی" in json.loads(negative.output)["error"]
    huge = runner.invoke(args=["calendar", "add-working-days", "1405/12/25", "100000", "--json"])
    assert huge.exit_code == 2 and "۲۰۰۰" in json.loads(huge.output)["error"] and len(huge.output) < 300



@pytest.mark.parametrize("day", ["1300/01/05", "۱۳۹۹/۱۲/۲۸", "1499/06/01"])
def test_a_holiday_out_of_the_installations_years_is_refused(app, day):
    """`calendar holidays add 1300/01/05` was stored (session 40's review): a holiday is taken from
    the first day a record may carry (1 Farvardin five Jalali years back, as --today and a case's
    day) to the end of the next Jalali year (propose-lunar's reach); refused in Persian, nothing stored."""
    from sqlalchemy import func, select

    from app.extensions import db
    from models import Holiday

    before = db.session.scalar(select(func.count(Holiday.id)))
    result = app.test_cli_runner().invoke(args=["calendar", "holidays", "add", day, "روز آزمایشی", "--json"])
    assert result.exit_code == 2, result.output
    error = json.loads(result.stdout)["error"]
    assert "سال را درست" in error
    if day != "1499/06/01":  # before the first day: a day to record, no figures («چیزی برای شمردن») asked for
        assert "شمردن" not in error, error
    assert db.session.scalar(select(func.count(Holiday.id))) == before


@pytest.mark.parametrize("start", ["1300/01/01", "۱۳۹۹/۱۲/۲۹"])
def test_add_working_days_refuses_a_start_before_the_installations_first_day(app, start):
    """`calendar add-working-days 1300/01/01 10` computed a deadline of 1921 (session 40's note): a
    start before the first day a record may carry is refused as the holidays and --today are, exit 2,
    {"error"} in Persian with --json, «خطا: …» on standard error without."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["calendar", "add-working-days", start, "10", "--json"])
    assert result.exit_code == 2, result.output
    assert list(json.loads(result.stdout)) == ["error"]
    assert "سال را درست" in json.loads(result.stdout)["error"]
    text = runner.invoke(args=["calendar", "add-working-days", start, "10"])
    assert text.exit_code == 2 and text.stdout == "" and text.stderr.startswith("خطا: ")


def test_a_bad_date_argument_is_one_persian_sentence(app):
    """«مقدار «START» درست نیست (تاریخ را بنویسید.).»: a Persian reason wrapped in brackets meant for
    click's English, its full stop doubled (session 42's hostile round)."""
    result = app.test_cli_runner().invoke(args=["calendar", "add-working-days", "1404/12/30", "5", "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error.startswith("مقدار «START» درست نیست: اسفند سال ۱۴۰۴ فقط ۲۹ روز دارد") and ".)" not in error, error


def test_propose_lunar_counts_in_the_lines_digits(app):
    """«1404: 17 تعطیلی قمری پیشنهاد شد …، 0 کنار گذاشته شد»: counts in ASCII digits in a Persian line,
    where every other command's counts show the page's (session 42's hostile round); the year and the
    days stay as the JSON gives them."""
    line = app.test_cli_runner().invoke(args=["calendar", "propose-lunar", "--year", "1404"]).stdout.splitlines()[0]
    assert line.startswith("1404: ") and re.fullmatch(r"1404: [۰-۹]+ تعطیلی قمری .*، [۰-۹]+ کنار گذاشته شد.", line), line


def test_a_holiday_removed_by_another_process_meanwhile_is_not_removed_twice(app):
    """Two `holidays remove` of one day at once (six run together: two printed "removed": true) both audited
    the removal and both moved the open deadlines: the row another process deleted after this one read it was
    «removed» again (SQLAlchemy only warns of a DELETE that matched no row). Now the second finds no row, stores
    nothing and says "removed": false, as a re-run (session 46)."""
    from sqlalchemy import delete

    from app.cli.calendar import _CliAdmin
    from app.services.holidays import remove_holiday

    runner = app.test_cli_runner()
    assert runner.invoke(args=["calendar", "holidays", "add", "1405/04/25", "عاشورا"]).exit_code == 0
    holiday = db.session.scalar(select(Holiday).where(Holiday.day == J("1405/04/25")))
    db.session.commit()  # read, its transaction ended, as the other process's delete comes
    with db.engine.connect() as other:  # the other process: its removal (and its audit entry, here left out)
        other.execute(delete(Holiday).where(Holiday.id == holiday.id))
        other.commit()
    assert remove_holiday(holiday, actor=_CliAdmin()) is False
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "holiday.removed")) == 0


def test_numbers_pasted_from_a_persian_line_are_read_as_ids_are(app):
    """Session 47: «۵» followed by a ZWNJ or a direction mark (copied from a Persian line) was refused as
    «'5\\u200c'» — a Python escape in the message — while a date or an id pasted so is read; and «1_405», read
    by Python's int() as 1405, listed 1405's holidays. A count and a year take digits only, as ids do."""
    runner = app.test_cli_runner()
    for typed in ("5\u200c", "\u200f۵", "۵\u200e"):
        counted = runner.invoke(args=["calendar", "add-working-days", "1405/02/01", typed, "--json"])
        assert counted.exit_code == 0 and json.loads(counted.output)["days"] == 5, (typed, counted.output)
    for args in (["calendar", "holidays", "list", "1_405", "--json"], ["calendar", "propose-lunar", "--year", "1_406"],
                 ["calendar", "add-working-days", "1405/02/01", "+5", "--json"]):
        refused = runner.invoke(args=args)
        assert refused.exit_code == 2 and f"«{args[-2] if args[-1] == '--json' else args[-1]}»" in refused.output, (
            args, refused.output)
