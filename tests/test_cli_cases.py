"""`flask cases open|move|list|stats`: the issue's contract (options, JSON keys), refusals that
exit 2 with a Persian {"error"} and change nothing, and agency isolation through --by."""
from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.clock import local_today, to_local
from app.extensions import db
from app.jalali import format_jalali_date
from app.services.case_inputs import earliest_day
from models import AuditEntry, CaseEvent, Item, PublicQuestion
from search_index.persian import to_persian_digits
from tests.services import case_fixtures

# The shared fixtures (bound here so pytest finds them in this module).
desk, make_item = case_fixtures.desk, case_fixtures.make_item
PERSIAN = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args: str, input: str | None = None, status: int = 0):
        result = runner.invoke(args=["cases", *args], input=input)
        assert result.exit_code == status, result.output
        lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        if args[0] in ("list", "stats") and status == 0:
            return lines  # JSON lines
        assert len(lines) == 1, result.stdout
        return lines[0]

    return run


def _state():
    db.session.expire_all()
    return (db.session.scalar(select(func.count(PublicQuestion.id))),
            db.session.scalar(select(func.count(CaseEvent.id))),
            db.session.scalar(select(func.count(AuditEntry.id))),
            tuple(db.session.scalars(select(PublicQuestion.status).order_by(PublicQuestion.id))))


def refused(cli, *args, input=None, says: str = ""):
    before = _state()
    data = cli(*args, "--json", input=input, status=2)
    assert list(data) == ["error"] and PERSIAN.search(data["error"]), data
    assert says in data["error"]
    assert _state() == before
    return data["error"]


def test_open_from_an_item_and_by_hand(cli, desk, make_item):
    item = make_item()
    data = cli("open", "--item", str(item.id), "--agency", "water", "--opened", "1405/02/20", "--json")
    assert data == {"ref": "1405-000001", "id": data["id"], "status": "new", "agency": "water",
                    "deadline": "1405/02/26", "existing": False}
    assert list(data) == ["ref", "id", "status", "agency", "deadline", "existing"]  # the contract's, then session 43's
    data = cli("open", "--manual", "--title", "نرخ کرایهٔ تاکسی", "--outlet", "رادیو استان", "--channel",
               "press_conference", "--agency", "power", "--priority", "urgent", "--kind", "rumour",
               "--opened", "۱۴۰۵/۰۲/۲۳", "--json")
    assert (data["ref"], data["agency"], data["deadline"]) == ("1405-000002", "power", "1405/02/26")
    case = db.session.get(PublicQuestion, data["id"])
    assert (case.kind, case.priority, case.sources[0].channel) == ("rumour", "urgent", "press_conference")
    assert case.events[0].actor_label == "cli"


def test_open_says_in_persian_what_it_opened_without_json(app, desk, make_item):
    item = make_item()
    result = app.test_cli_runner().invoke(args=["cases", "open", "--item", str(item.id), "--agency", "water",
                                                "--opened", "1405/02/20"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "پرونده 1405-000001 باز شد (تازه (new)، water)؛ مهلت پاسخ: 1405/02/26\n"


@pytest.mark.parametrize("args, says", [
    (["--item", "1", "--agency", "nowhere"], "سازمانی با شناسهٔ «nowhere» نیست"),
    (["--item", "424242", "--agency", "water"], "خبری با شناسهٔ ۴۲۴۲۴۲ نیست"),
    (["--item", "abc", "--agency", "water"], "شناسهٔ خبر باید عدد باشد"),
    (["--item", "1", "--agency", "water", "--opened", "1405/13/01"], "ماه باید از ۱ تا ۱۲ باشد"),
    (["--item", "1", "--agency", "water", "--opened", "2026-05-10"], "سال باید از"),
    (["--item", "1", "--agency", "water", "--priority", "asap"], "اولویت «asap» شناخته نیست"),
    (["--item", "1", "--agency", "water", "--kind", "gossip"], "نوع «gossip» شناخته نیست"),
    (["--item", "1"], "--agency"),
    (["--agency", "water"], "--item ID یا --manual"),
    (["--item", "1", "--manual", "--title", "t", "--outlet", "o", "--channel", "tv", "--agency", "water"],
     "هر دو با هم نه"),
    (["--manual", "--outlet", "رادیو", "--channel", "radio", "--agency", "water"], "--title"),
    (["--manual", "--title", "t", "--channel", "radio", "--agency", "water"], "--outlet"),
    (["--manual", "--title", "t", "--outlet", "رادیو", "--agency", "water"], "--channel"),
    (["--manual", "--title", "t", "--outlet", "رادیو", "--channel", "fax", "--agency", "water"],
     "مجرای «fax» شناخته نیست"),
    (["--item", "99999999999999999999999", "--agency", "water"], "خبری با شناسهٔ"),  # past SQLite's integers
    # An item that is not there is named before a missing --agency (session 40's note: it asked for the agency first)
    (["--item", "999999999"], "خبری با شناسهٔ ۹۹۹۹۹۹۹۹۹ نیست"),
    (["--item", "۹۹۹۹۹۹۹۹۹", "--agency", " "], "خبری با شناسهٔ ۹۹۹۹۹۹۹۹۹ نیست"),
    (["--item", "²", "--agency", "water"], "شناسهٔ خبر باید عدد باشد"),  # a digit int() cannot read: was a ValueError
    (["--item", "1" * 5000, "--agency", "water"], "خبری با شناسهٔ"),  # past int()'s 4,300 digits: was a ValueError
    (["--item", "1", "--agency", "water", "--by", "nobody"], "کاربری با نام «nobody» نیست"),
    (["--item", "1", "--agency", "water", "--by", "power.staff"], "پرونده باز نمی‌کنید"),
    (["--item", "1", "--agency", "water", "--by", "water.viewer"], "نقش «بیننده» پرونده باز نمی‌کند"),  # (round 10: it blamed the agency)
    # Options only --manual reads: the item's own outlet is the source (they were dropped in silence)
    (["--item", "1", "--agency", "water", "--channel", "fax"], "--channel تنها با --manual"),
    (["--item", "1", "--agency", "water", "--outlet", "رادیو استان", "--programme", "صبح"],
     "--outlet، --programme تنها با --manual"),
])
def test_open_refuses_bad_input(cli, desk, make_item, args, says):
    make_item()
    refused(cli, "open", *args, says=says)


def test_open_refuses_a_day_before_the_news_or_years_back(cli, desk, make_item):
    """A year typed «1300» or «1305» for «1405» was accepted: the case opened overdue and
    escalated at once. An item's case is not raised before the item was published."""
    make_item()  # published 1405/02/20, local time
    refused(cli, "open", "--item", "1", "--agency", "water", "--opened", "1405/02/19",
            says="پیش از انتشار آن طرح نشده است: خبر در ۱۴۰۵/۰۲/۲۰ منتشر شد")
    earliest = format_jalali_date(earliest_day())
    for typed in ("1300/01/01", "1305/02/20"):
        refused(cli, "open", "--manual", "--title", "پرسش", "--outlet", "رادیو", "--channel", "radio",
                "--agency", "water", "--opened", typed, says=f"تاریخ طرح پرسش پیش از {earliest} است")
    day = format_jalali_date(earliest_day(), digits="en")  # the earliest day itself is taken
    data = cli("open", "--manual", "--title", "پرسش", "--outlet", "رادیو", "--channel", "radio",
               "--agency", "water", "--opened", day, "--json")
    assert data["status"] == "new"


def test_open_from_an_item_counts_from_the_items_day_in_tehran(cli, desk, make_item):
    """`cases open --item` without --opened counted the deadline from today, the page from the
    item's day: a script gave the same item a later deadline, and a case opened today with a source
    dated days earlier. The item's day is Tehran's (21:00 UTC is after midnight there)."""
    published = datetime.combine(local_today() - timedelta(days=6), time(21, 0), tzinfo=UTC)
    tehran_day = local_today() - timedelta(days=5)
    item, twin = make_item(published_at=published), make_item(title="پرسشی دیگر", published_at=published)
    data = cli("open", "--item", str(item.id), "--agency", "water", "--json")
    typed = format_jalali_date(tehran_day, digits="en")
    same = cli("open", "--item", str(twin.id), "--agency", "power", "--opened", typed, "--json")
    case = db.session.get(PublicQuestion, data["id"])
    assert case.opened_on == tehran_day
    assert data["deadline"] == same["deadline"]  # as if the item's day had been typed


def test_an_item_the_monitor_got_late_counts_from_the_day_it_came(cli, desk, make_item, app):
    """Session 36's note: a case opened from a story of weeks ago that the monitor only got today (an
    archive imported, a feed listing old stories) was dated by the story's day: overdue at once, and
    the next `cases remind` escalated it to the supervisors. The agency could not have answered
    before the story reached it: dated by the day it came; a story got on its day keeps its day."""
    now = datetime.now(UTC)
    old = make_item(published_at=now - timedelta(days=40), fetched_at=now)
    live = make_item(title="پرسشی دیگر", published_at=now - timedelta(days=40))
    late = db.session.get(PublicQuestion, cli("open", "--item", str(old.id), "--agency", "water", "--json")["id"])
    kept = db.session.get(PublicQuestion, cli("open", "--item", str(live.id), "--agency", "power", "--json")["id"])
    assert late.opened_on == local_today() and late.deadline > local_today()
    assert kept.opened_on == to_local(now - timedelta(days=40)).date() and kept.deadline < local_today()
    sent = app.test_cli_runner().invoke(args=["cases", "remind", "--json"])
    assert sent.exit_code == 0, sent.output
    assert late.ref not in sent.stdout and kept.ref in sent.stdout


def test_an_item_its_feed_gave_no_date_may_be_dated_earlier(cli, desk, make_item):
    """A review of the case commands (session 37): an item whose feed gave no date is stored with the
    fetch's time, estimated; `--opened` days before was refused as «before it was published» with
    that fetch day as its publication. Staff who heard the question aired before may date it so."""
    now = datetime.now(UTC)
    item = make_item(published_at=now)
    item.published_is_estimated = True
    db.session.commit()
    before = format_jalali_date(local_today() - timedelta(days=5), digits="en")
    data = cli("open", "--item", str(item.id), "--agency", "water", "--opened", before, "--json")
    assert db.session.get(PublicQuestion, data["id"]).opened_on == local_today() - timedelta(days=5)


def test_opened_wins_over_the_items_day(cli, desk, make_item):
    item = make_item(published_at=datetime.combine(local_today() - timedelta(days=6), time(6, 0), tzinfo=UTC))
    yesterday = local_today() - timedelta(days=1)
    data = cli("open", "--item", str(item.id), "--agency", "water", "--opened",
               format_jalali_date(yesterday, digits="en"), "--json")
    assert db.session.get(PublicQuestion, data["id"]).opened_on == yesterday


def test_the_whole_workflow_from_the_shell(cli, desk):
    ref = cli("open", "--manual", "--title", "چرا آب قطع است؟", "--outlet", "روزنامهٔ شهر", "--channel", "print",
              "--agency", "water", "--opened", "1405/02/20", "--json")["ref"]
    assert cli("move", ref, "--to", "accepted", "--by", "water.staff", "--json")["status"] == "accepted"
    data = cli("move", ref, "--to", "assigned", "--by", "water.staff", "--json")
    assert (data["status"], data["assignee"]) == ("assigned", "water.staff")  # --assignee defaults to --by
    refused(cli, "move", ref, "--to", "drafted", "--by", "water.staff2", input="پاسخ", says="پیش‌نویس پاسخ را")
    data = cli("move", ref, "--to", "drafted", "--by", "water.staff", "--answer-stdin", "--json",
               input="لوله‌گذاری تا پایان هفته تمام می‌شود.\n")
    assert data["answer"] == "لوله‌گذاری تا پایان هفته تمام می‌شود."
    refused(cli, "move", ref, "--to", "approved", "--by", "water.staff", says="مدیر روابط عمومی")
    refused(cli, "move", ref, "--to", "approved", "--by", "supervisor", says="مدیر روابط عمومی")
    cli("move", ref, "--to", "approved", "--by", "water.manager", "--json")
    refused(cli, "move", ref, "--to", "published", "--by", "water.staff", says="نشانی انتشار")
    data = cli("move", ref, "--to", "published", "--by", "water.staff", "--link", case_fixtures.LINK, "--json")
    assert data["links"] == [{"kind": "portal", "url": case_fixtures.LINK, "label": ""}]
    cli("move", ref, "--to", "closed", "--by", "supervisor", "--json")
    refused(cli, "move", ref, "--to", "accepted", "--by", "water.manager", says="دلیل بازگشایی")
    data = cli("move", ref, "--to", "accepted", "--by", "water.manager", "--reason", "پرسش تازه", "--json")
    assert data["status"] == "accepted"
    assert list(data)[:5] == ["ref", "id", "status", "agency", "title"]


def test_move_refusals_change_nothing(cli, desk):
    case = desk.open("new")
    other = desk.open("new", agency=desk.b)
    refused(cli, "move", case.ref, "--to", "closed", "--by", "water.manager", says="نمی‌رود")
    refused(cli, "move", case.ref, "--to", "finished", "--by", "water.manager", says="شناخته نیست")
    refused(cli, "move", case.ref, "--to", "accepted", "--by", "water.viewer", says="پذیرفتن پرسش")
    refused(cli, "move", case.ref, "--to", "accepted", says="--by")
    refused(cli, "move", case.ref, "--by", "water.manager", says="--to")
    refused(cli, "move", case.ref, "--to", "accepted", "--by", "ghost", says="کاربری با نام «ghost» نیست")
    refused(cli, "move", "1405-999999", "--to", "accepted", "--by", "water.manager", says="پرونده‌ای با شمارهٔ")
    # a page pasted where the ref goes is not echoed back whole (5,000 characters on the terminal)
    long_ref = refused(cli, "move", "x" * 5000, "--to", "accepted", "--by", "water.manager", says="پرونده‌ای با شمارهٔ")
    assert len(long_ref) < 200 and "…" in long_ref
    refused(cli, "move", case.ref, "--to", "rejected", "--by", "water.manager", says="دلیل رد کردن")
    refused(cli, "move", case.ref, "--to", "merged", "--by", "water.manager", says="ادغام می‌شود برگزینید")
    # agency isolation: another agency's user does not even find the case
    refused(cli, "move", case.ref, "--to", "accepted", "--by", "power.manager", says="پرونده‌ای با شمارهٔ")
    refused(cli, "move", case.ref, "--to", "merged", "--by", "water.manager", "--into", other.ref,
            says="پرونده‌ای با شمارهٔ")
    data = cli("move", case.ref, "--to", "merged", "--by", "supervisor", "--into", other.ref, "--json")
    assert data["merged_into"] == other.ref
    data = cli("move", other.ref, "--to", "rejected", "--by", "power.staff", "--reason", "پرسش نیست", "--json")
    assert data["reject_reason"] == "پرسش نیست"


def test_control_characters_are_not_stored(cli, desk):
    """A title with a terminal's escape codes was stored as typed, and `cases list` without --json
    printed them to whoever ran it (clearing the screen, here)."""
    ref = cli("open", "--manual", "--title", "چرا\x1b[2J آب\x07 قطع است؟", "--outlet", "رادیو\x00 شهر",
              "--channel", "radio", "--agency", "water", "--json")["ref"]
    case = cli("list", "--json")[0]
    assert (case["ref"], case["title"], case["sources"][0]["outlet"]) == (ref, "چرا[2J آب قطع است؟", "رادیو شهر")
    cli("move", ref, "--to", "accepted", "--by", "water.staff", "--json")
    cli("move", ref, "--to", "assigned", "--by", "water.staff", "--json")
    data = cli("move", ref, "--to", "drafted", "--by", "water.staff", "--answer-stdin", "--json",
               input="سطر یک\r\n\tسطر دو\x1b[0m".encode())
    assert data["answer"] == "سطر یک\n\tسطر دو[0m"  # line breaks (as LF) and tabs stay


@pytest.mark.parametrize("ends", ["\r\n", "\r"])
def test_an_answer_with_windows_or_old_mac_line_ends_is_stored_with_lf(cli, desk, ends):
    """`--answer-stdin` of a Windows text kept its CRs (session 40's note): shown as «^M» later."""
    case = desk.open("assigned")
    text = ends.join(["سلام،", "پاسخ دو سطری است.", ""])
    data = cli("move", case.ref, "--to", "drafted", "--by", "water.staff", "--answer-stdin", "--json",
               input=("\ufeff" + text).encode())
    assert data["answer"] == "سلام،\nپاسخ دو سطری است."
    db.session.expire_all()
    assert db.session.get(PublicQuestion, case.id).answer == data["answer"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_an_answer_in_utf16_with_its_bom_is_read(cli, desk, encoding):
    """Notepad's «Unicode» and PowerShell's Out-File write UTF-16 with a BOM: it was refused as «not
    UTF-8» (session 40's round of bad input). Without a BOM it is refused (it was stored as garbage until
    session 46: test_an_answer_in_utf16_without_its_bom_or_binary_is_refused_not_stored_as_garbage)."""
    case = desk.open("assigned")
    text = "\ufeffپاسخ سازمان\r\nسطر دوم" if encoding == "utf-16-be" else "پاسخ سازمان\r\nسطر دوم"
    data = cli("move", case.ref, "--to", "drafted", "--by", "water.staff", "--answer-stdin", "--json",
               input=text.encode(encoding))
    assert data["answer"] == "پاسخ سازمان\nسطر دوم"


def test_an_answer_too_long_on_stdin_is_refused_without_reading_it_all(cli, desk):
    """The review of the commands (session 26): all of standard input was read before the length
    was checked (a 400 MB pipe took 1.3 GB). Now it reads what 20,000 characters can hold."""
    case = desk.open("assigned")
    refused(cli, "move", case.ref, "--to", "drafted", "--by", "water.staff", "--answer-stdin",
            input=b"a" * 300_000, says="۲۰۰۰۰")
    data = cli("move", case.ref, "--to", "drafted", "--by", "water.staff", "--answer-stdin", "--json",
               input=("پ" * 20_000).encode())  # 40,000 bytes, the longest answer: taken
    assert len(data["answer"]) == 20_000


@pytest.mark.parametrize("data", ["پاسخ سازمان".encode("utf-16-le"), "پاسخ سازمان\r\nسطر دوم".encode("utf-16-be"),
                                  "Answer".encode("utf-16-le"), b"\x7fELF\x02\x01\x01\x00\x00\x00\x00"])
def test_an_answer_in_utf16_without_its_bom_or_binary_is_refused_not_stored_as_garbage(cli, desk, data):
    """UTF-16 without a BOM reads as UTF-8 (its bytes are ASCII): «پاسخ سازمان» was stored «~'3. 3'2E'F», the
    U+0006 and NUL of each letter left out as control characters; a program piped in by mistake was stored as
    «ELF» (session 46)."""
    case = desk.open("assigned")
    refused(cli, "move", case.ref, "--to", "drafted", "--by", "water.staff", "--answer-stdin", input=data,
            says="UTF-16 بی BOM")


def test_an_answer_that_is_not_utf8_is_refused(cli, desk):
    case = desk.open("assigned")
    refused(cli, "move", case.ref, "--to", "drafted", "--by", "water.staff", "--answer-stdin",
            input=b"\xff\xfe\xd9 \xc7\xe1", says="UTF-8")
    data = cli("move", case.ref, "--to", "drafted", "--by", "water.staff", "--answer-stdin", "--json",
               input="\ufeffپاسخ\n".encode())  # a BOM, as Notepad writes it, is not part of the answer
    assert data["answer"] == "پاسخ"


def test_an_option_that_is_not_utf8_is_refused(cli, desk):
    """Bytes on the command line that are not UTF-8 (a script's text in Windows-1256) reach Python
    as lone surrogates: a title, an agency or a reference so written was a UnicodeEncodeError
    traceback from the database driver (exit 1), and a period or a --now came back inside the JSON
    error as bytes that are not UTF-8 either."""
    case = desk.open("new")
    before = _state()
    bad = os.fsdecode("عنوان".encode("cp1256"))  # as Python reads such an argument
    refused(cli, "open", "--manual", "--title", bad, "--outlet", "رادیو", "--channel", "radio", "--agency", "water",
            says="«--title» با نویسه‌گذاری UTF-8 نوشته نشده است")
    refused(cli, "list", "--agency", bad, says="«--agency»")
    refused(cli, "move", case.ref + bad, "--to", "accepted", "--by", "water.manager", says="«REF»")
    refused(cli, "move", case.ref, "--to", "rejected", "--by", "water.manager", "--reason", bad, says="«--reason»")
    refused(cli, "stats", "--period", bad, says="«--period»")
    refused(cli, "remind", "--now", bad, says="«--now»")
    assert _state() == before


def test_list_filters_and_isolation(cli, desk):
    overdue = desk.open("assigned")  # opened 1405/02/20: long past its deadline
    theirs = desk.open("new", agency=desk.b)
    closed = desk.open("closed")

    def refs(*args):
        return [row["ref"] for row in cli("list", *args, "--json")]

    assert sorted(refs()) == sorted([overdue.ref, theirs.ref, closed.ref])
    assert refs("--agency", "power") == [theirs.ref]
    assert refs("--status", "closed") == [closed.ref]
    assert refs("--overdue", "--agency", "water") == [overdue.ref]
    assert all(row["overdue"] for row in cli("list", "--overdue", "--json"))
    assert refs("--by", "power.staff") == [theirs.ref]
    # Another agency's cases, asked for as a user who does not see them: refused, not an empty list
    # (a script read it as "no cases").
    refused(cli, "list", "--by", "water.viewer", "--agency", "power", says="پرونده‌های سازمان «power» را نمی‌بیند")
    refused(cli, "stats", "--period", "1405-02", "--by", "water.viewer", "--agency", "power", says="نمی‌بیند")
    assert refs("--by", "supervisor", "--agency", "power") == [theirs.ref]
    assert refs("--status", " closed ") == [closed.ref]  # trimmed, as `move --to` is
    refused(cli, "list", "--status", "done", says="وضعیت «done» شناخته نیست")
    refused(cli, "list", "--agency", "nowhere", says="سازمانی با شناسهٔ")


def test_stats_lines_and_isolation(cli, desk):
    desk.open("published")
    desk.open("assigned", agency=desk.b)
    rows = cli("stats", "--period", "1405-02", "--json")
    assert [list(r) for r in rows] == [["agency", "period", "opened", "answered", "answered_on_time", "on_time_pct",
                                        "median_working_days_to_answer", "open", "overdue", "as_of",
                                        "overdue_longest_days", "agency_name", "as_of_iso", "as_of_jalali"]] * 2
    water = rows[0]
    # open and overdue are today's, whatever the month (issue 11: «open and overdue now»), and say so
    assert water["as_of"] == water["as_of_jalali"] == format_jalali_date(local_today(), digits="en")
    assert water["as_of_iso"] == local_today().isoformat()  # as `contacts stats` and the scorecard give theirs
    assert (water["agency"], water["period"], water["opened"], water["open"]) == ("water", "1405-02", 1, 0)
    assert [r["open"] for r in cli("stats", "--period", "1405-02", "--agency", "power", "--json")] == [1]
    assert [r["agency"] for r in cli("stats", "--period", "۱۴۰۵-۰۲", "--by", "water.viewer", "--json")] == ["water"]
    refused(cli, "stats", "--period", "1405-13", says="خوانده نشد")
    refused(cli, "stats", says="ماه را بنویسید (--period)")  # not «ماه «» خوانده نشد» (round 8)


def test_stats_without_json_is_a_persian_line(app, desk):
    """The review of the commands (session 26): it printed English «opened=1  answered=1 …»."""
    desk.open("published")
    result = app.test_cli_runner().invoke(args=["cases", "stats", "--period", "1405-02", "--agency", "water"])
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    # its slug, period, date and figures as the JSON gives them (README; a review of the commands, round 8)
    assert line.startswith(desk.a.name_fa + " (water)، ماه 1405-02") and "طرح‌شده: 1" in line and "=" not in line


@pytest.mark.parametrize(("link", "says"), [
    ("https://water.example.ir/news/" + "a" * 2000, "بیش از اندازه بلند است (۲۰۳۰ نویسه؛ دست‌بالا ۲۰۰۰ نویسه)"),
    ("http://[water.example.ir/news/1", "کامل بنویسید"),  # an IPv6 bracket never closed: urlsplit's ValueError
    ("https://water.example.ir/news/1\n2", "کامل بنویسید"),  # a line break inside the address
    ("http://x", "کامل بنویسید"),  # no domain (session 27's note: it was stored)
    ("https://portal./news/1", "کامل بنویسید"),
    ("https://water.example.ir:99999/news/1", "کامل بنویسید"),  # no port
    ("https:///news/1", "کامل بنویسید"),
    # names that reach this machine by their spelling (session 46): taken as public pages
    ("http://127.0.0.1.nip.io/answers/7", "«127.0.0.1.nip.io» جایی نیست که مردم صفحه را در آن ببینند"),
    ("https://localtest.me/answers/7", "«localtest.me» جایی نیست که مردم صفحه را در آن ببینند"),
])
def test_a_bad_publication_link_is_refused_for_its_real_reason(cli, desk, link, says):
    """An address over 2,000 characters was told to be written «in full», the wrong reason; «http://[…»
    was a ValueError traceback (exit 1); a line break inside the address was stored with it."""
    case = desk.open("approved")
    error = refused(cli, "move", case.ref, "--to", "published", "--by", "water.staff", "--link", link, says=says)
    if "بلند" in says:
        assert "کامل بنویسید" not in error and not re.search(r"[0-9]", error)
    data = cli("move", case.ref, "--to", "published", "--by", "water.staff", "--link", case_fixtures.LINK, "--json")
    assert data["status"] == "published"


def test_a_title_or_outlet_of_invisible_characters_alone_is_refused(cli, desk):
    """A ZWNJ, a ZWJ or a word joiner alone was stored as a blank-looking title or outlet."""
    for title, outlet, says in (("\u200c", "رادیو", "عنوان پرسش را بنویسید"),
                                ("\u200d\u2060\ufeff", "رادیو", "عنوان پرسش را بنویسید"),
                                ("چرا آب قطع است؟", "\u200c", "نام رسانه‌ای")):
        refused(cli, "open", "--manual", "--title", title, "--outlet", outlet, "--channel", "radio",
                "--agency", "water", says=says)


def test_a_reference_copied_from_a_persian_line_is_found(cli, desk):
    """A number copied from right-to-left text carries a direction mark (or a word processor's dash):
    «پرونده‌ای با شمارهٔ <RLM>۱۴۰۵-۰۰۰۰۰۱ نیست» showed a number that looked like the real one."""
    spellings = (lambda ref: "\u200f" + to_persian_digits(ref), lambda ref: to_persian_digits(ref) + "\u200e",
                 lambda ref: ref.replace("-", "\u2013"), lambda ref: f"\u2067{ref}\u2069")
    for spelled in spellings:
        case = desk.open("new")
        assert cli("move", spelled(case.ref), "--to", "accepted", "--by", "water.staff", "--json")["ref"] == case.ref
    refused(cli, "move", "\u200f", "--to", "accepted", "--by", "water.staff", says="شمارهٔ پرونده را بنویسید")


def test_list_prints_one_line_a_case_when_a_title_holds_a_line_break(app, cli, desk):
    cli("open", "--manual", "--title", "کمبود آب\nدر روستا", "--outlet", "رادیو استان", "--channel", "radio",
        "--agency", "water", "--json")
    result = app.test_cli_runner().invoke(args=["cases", "list"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].endswith("کمبود آب در روستا")


def test_an_option_the_move_does_not_read_is_refused_not_dropped(cli, desk):
    """`--answer-stdin` on a move that takes no answer lost the piped text in silence (and --link,
    --into, --agency, --assignee likewise): now the move is refused, naming the option and the
    statuses that read it, and nothing changes; with the options it reads, the move goes through."""
    case = desk.open("new")
    says = refused(cli, "move", case.ref, "--to", "accepted", "--by", "water.staff", "--answer-stdin",
                   input="متن پاسخی که گم می‌شد", says="--answer-stdin")
    assert "(assigned) → پیش‌نویس پاسخ (drafted)، پیش‌نویس پاسخ (drafted) → پاسخ تأییدشده (approved)" in says and "از «تازه (new)» به «پذیرفته (accepted)»" in says
    refused(cli, "move", case.ref, "--to", "accepted", "--by", "water.staff", "--link", case_fixtures.LINK,
            says="تنها در پاسخ تأییدشده (approved) → پاسخ منتشرشده (published)")
    refused(cli, "move", case.ref, "--to", "accepted", "--by", "water.staff", "--link-label", "درگاه",
            says="--link-label")
    refused(cli, "move", case.ref, "--to", "rejected", "--by", "water.staff", "--reason", "پرسش نیست",
            "--assignee", "water.staff", says="پذیرفته (accepted) → واگذارشده (assigned)")
    refused(cli, "move", case.ref, "--to", "accepted", "--by", "water.staff", "--into", case.ref, says="تازه (new) → ادغام‌شده (merged)")
    # a move that is not in the workflow is refused for that, whatever the options
    refused(cli, "move", case.ref, "--to", "published", "--by", "water.staff", "--agency", "water", says="نمی‌رود")
    assert cli("move", case.ref, "--to", "accepted", "--by", "supervisor", "--agency", "water",
               "--reason", "پذیرفته شد", "--json")["status"] == "accepted"
    refused(cli, "move", case.ref, "--to", "assigned", "--by", "water.manager", "--agency", "water",
            says="تنها در تازه (new) → پذیرفته (accepted)")
    assert cli("move", case.ref, "--to", "assigned", "--by", "water.manager", "--assignee", "water.staff",
               "--json")["assignee"] == "water.staff"
    # reopening (closed → accepted) reads no agency, though accepting a new case does: the moves are named
    closed = desk.open("closed")
    says = refused(cli, "move", closed.ref, "--to", "accepted", "--by", "water.manager", "--reason", "پرسش تازه",
                   "--agency", "water", says="از «بسته (closed)» به «پذیرفته (accepted)»")
    assert "تنها در تازه (new) → پذیرفته (accepted)" in says


def test_usernames_are_read_as_the_login_reads_them(cli, desk):
    """`--by` and `--assignee` compared bytes: «WATER.STAFF», an Arabic «ي»/«ك» or Persian digits
    were «no such user» though the login and `user create` read them as the account's name."""
    ref = cli("open", "--manual", "--title", "چرا آب قطع است؟", "--outlet", "روزنامهٔ شهر", "--channel", "print",
              "--agency", "water", "--by", "Water.Manager", "--json")["ref"]
    cli("move", ref, "--to", "accepted", "--by", "WATER.MANAGER", "--json")
    assert cli("move", ref, "--to", "assigned", "--by", " water.manager ", "--assignee", "WATER.Staff2",
               "--json")["assignee"] == "water.staff2"
    assert [c["ref"] for c in cli("list", "--by", "Water.Viewer", "--json")] == [ref]
    refused(cli, "list", "--by", "water.nobody", says="کاربری با نام «water.nobody» نیست")
    desk.staff2.is_active_account = False  # a deactivated account is said so, not «no such user» (session 26's review)
    db.session.commit()
    refused(cli, "list", "--by", "water.staff2", says="«water.staff2» غیرفعال است")


def test_a_draft_goes_back_to_its_author_named_with_assignee(cli, desk):
    """Sending a drafted or approved case back to the one who wrote it, named with --assignee, was
    refused as «already assigned» (without --assignee the same move passed)."""
    for status in ("drafted", "approved"):
        case = desk.open(status)
        data = cli("move", case.ref, "--to", "assigned", "--by", "water.manager", "--assignee", "water.staff",
                   "--reason", "منبع را بیفزایید", "--json")
        assert (data["status"], data["assignee"]) == ("assigned", "water.staff")
    # an assigned case given to its own assignee is no move: refused as one, exit 2, "already" (session 45)
    data = cli("move", case.ref, "--to", "assigned", "--by", "water.manager", "--assignee", "water.staff", "--json",
               status=2)
    assert data["already"] is True and data["status"] == "assigned" and "چیزی تغییر نکرد" in data["error"]


@pytest.mark.parametrize("period", ["1405–02", "۱۴۰۵−۰۲", "\u200f1405-02\u200f", "1405—02"])
def test_a_month_copied_from_a_persian_line_is_read(cli, desk, period):
    desk.open("published")
    assert cli("stats", "--period", period, "--agency", "water", "--json")[0]["period"] == "1405-02"



@pytest.mark.parametrize("args", [
    ("move", "1405-0\x1b]0;pwned\x07\x1b[2J\x9b2J", "--to", "accepted", "--by", "water.manager"),
    ("list", "--agency", "w\x1b]0;pwned\x07\x9b2J"),
    ("list", "--by", "x\x1b]0;pwned\x07\x1b[2J"),
    ("stats", "--period", "1405\x1b]0;pwned\x07"),
    ("open", "--manual", "--title", "t", "--outlet", "o", "--channel", "tv\x1b]0;pwned\x07", "--agency", "water"),
    ("move", "1405-000001", "--to", "accepted", "--by", "water.manager", "--bogus\x1b]0;pwned\x07"),
    ("remind", "--now", "1405/09/20T\x1b]0;pwned\x07"),
])
def test_a_refusal_never_prints_terminal_escape_codes(app, desk, args):
    """A refusal quotes what was typed; with an escape sequence in it, a terminal reading it had its
    title set or its screen cleared (click strips some colour codes, and nothing on a terminal)."""
    desk.open("new")
    runner = app.test_cli_runner()
    for json_flag in ((), ("--json",)):
        result = runner.invoke(args=["cases", *args, *json_flag])
        assert result.exit_code == 2, result.output
        shown = result.stdout + result.stderr
        assert PERSIAN.search(shown) and not any(code in shown for code in ("\x1b", "\x07", "\x9b", "\x7f")), shown


def test_control_characters_are_not_stored_in_a_case_nor_printed(cli, app, desk):
    """C1 controls (the one-byte CSI «\\x9b») and DEL passed the storage fold and reached `cases list`."""
    data = cli("open", "--manual", "--title", "چرا آب\x9b2J قطع\x7f است؟", "--outlet", "رادیو\x85 استان",
               "--channel", "radio", "--agency", "water", "--json")
    case = db.session.get(PublicQuestion, data["id"])
    assert case.title == "چرا آب2J قطع است؟" and case.sources[0].outlet_name == "رادیو استان"
    result = app.test_cli_runner().invoke(args=["cases", "list"])
    assert "\x9b" not in result.stdout and "چرا آب2J قطع است؟" in result.stdout


@pytest.mark.parametrize("status", ["published", "closed", "rejected", "merged"])
def test_overdue_with_a_status_that_is_never_overdue_is_refused(cli, desk, status):
    """`--overdue --status closed` could never list anything: it printed nothing and exited 0, which a
    script reads as "no case is late"."""
    desk.open(status)
    says = refused(cli, "list", "--status", status, "--overdue", says="--overdue")
    assert status in says
    cli("list", "--status", "new", "--overdue", "--json")  # an open status is a question to ask: exit 0


@pytest.mark.parametrize("typed", ["1405-1", "۱۴۰۵-۱", "1405/000001", "١٤٠٥ / ١", "1405-000001",
                                   "1405-0000001"])  # seven digits: "not found" (a review of the commands, round 9)
def test_a_reference_as_people_say_it_finds_the_case(cli, desk, typed):
    """«1405-1» or «۱۴۰۵/۱» (the zeros left out, a slash) was "no such case"."""
    case = desk.open("new")
    assert case.ref == "1405-000001"
    assert cli("move", typed, "--to", "accepted", "--by", "water.manager", "--json")["status"] == "accepted"


@pytest.mark.parametrize("channel, priority, kind, stored_kind", [
    ("رادیو", "کم‌فوریت", "گلایه", "complaint"),  # the Persian names the refusal lists: «رادیو (radio)»
    ("رادیو", "كم فوريت", "شايعه", "rumour"),  # Arabic letters and a space for the ZWNJ, as keyboards type them
    ("Radio", "LOW", "Rumour", "rumour"),  # a code in another letter case
])
def test_a_choice_is_read_by_its_persian_name_or_its_code_in_any_case(cli, desk, channel, priority, kind,
                                                                      stored_kind):
    data = cli("open", "--manual", "--title", "کرایهٔ تاکسی", "--outlet", "رادیو استان", "--channel", channel,
               "--priority", priority, "--kind", kind, "--agency", "water", "--opened", "1405/02/20", "--json")
    case = db.session.get(PublicQuestion, data["id"])
    assert (case.sources[0].channel, case.priority, case.kind) == ("radio", "low", stored_kind)
    refused(cli, "open", "--manual", "--title", "t", "--outlet", "o", "--channel", "رادیوی", "--agency", "water",
            says="مجرای «رادیوی» شناخته نیست")


def test_a_status_is_read_by_its_persian_name_or_its_code_in_any_case(cli, desk):
    ref = desk.open("new").ref
    assert cli("move", ref, "--to", "پذیرفته", "--by", "water.manager", "--json")["status"] == "accepted"
    assert cli("move", ref, "--to", "Assigned", "--by", "water.manager", "--json")["status"] == "assigned"
    assert [c["ref"] for c in cli("list", "--status", "واگذار شده", "--json")] == [ref]
    said = refused(cli, "move", ref, "--to", "گم", "--by", "water.manager", says="وضعیت «گم» شناخته نیست")
    assert "بسته (closed)" in said and "واگذارشده (assigned)" in said
    assert "پاسخ منتشرشده (published)" in refused(cli, "list", "--status", "x", says="وضعیت «x» شناخته نیست")


@pytest.mark.parametrize("typed", ["WATER", " Water ", "آب و فاضلاب", "آب‌وفاضلاب"])
def test_an_agency_is_read_by_its_slug_in_any_case_or_its_persian_name(cli, desk, typed):
    ref = desk.open("new").ref
    assert [c["ref"] for c in cli("list", "--agency", typed, "--json")] == [ref]
    said = refused(cli, "list", "--agency", "آب", says="سازمانی با شناسهٔ «آب» نیست")
    assert "power، water" in said  # the slugs it could have been


def test_an_agency_name_shared_by_two_is_refused_and_an_inactive_namesake_is_passed_over(cli, desk, make_agency):
    ref = desk.open("new").ref
    make_agency(slug="water_old", name_fa="آب‌وفاضلاب", is_active=False)  # the same name, retired
    assert [c["ref"] for c in cli("list", "--agency", "آب و فاضلاب", "--json")] == [ref]
    make_agency(slug="water_rural", name_fa="آب و  فاضلاب")  # the same name once folded, active
    said = refused(cli, "list", "--agency", "آب و فاضلاب", says="نام چند سازمان است")
    assert "water، water_rural" in said and "water_old" not in said


@pytest.mark.parametrize("typed", ["clo sed", "CLO\u200cSED", "n ew", "بستن"])
def test_a_status_code_with_a_typo_is_refused_not_guessed(cli, desk, typed):
    ref = desk.open("published").ref
    refused(cli, "move", ref, "--to", typed, "--by", "water.manager", says="شناخته نیست")


def test_json_lines_escape_the_unicode_line_separators(app, desk):
    """The review of the commands (session 26): a title with U+2028 / U+2029 was written raw in
    the JSON lines, and a reader splitting lines the Unicode way cut one case in several."""
    runner = app.test_cli_runner()
    opened = runner.invoke(args=["cases", "open", "--manual", "--title", "خط\u2028دو\u2029سه", "--outlet",
                                 "رسانه\u2028ی", "--channel", "tv", "--agency", "water", "--json"])
    assert opened.exit_code == 0, opened.output
    listed = runner.invoke(args=["cases", "list", "--status", "new", "--json"]).stdout
    assert "\u2028" not in listed and "\u2029" not in listed
    assert len(listed.splitlines()) == listed.count("\n")
    [case] = [json.loads(line) for line in listed.splitlines() if "خط" in line]
    assert case["title"].startswith("خط")


def test_a_title_and_an_outlet_are_one_line(cli, desk):
    """The review of the commands (session 26): «$'a\\nb'» was stored with its line break."""
    ref = cli("open", "--manual", "--title", "قطع آب\nدر شهر", "--outlet", "رادیو\tشهر", "--channel", "radio",
              "--agency", "water", "--json")["ref"]
    case = next(c for c in cli("list", "--json") if c["ref"] == ref)
    assert (case["title"], case["sources"][0]["outlet"]) == ("قطع آب در شهر", "رادیو شهر")


@pytest.mark.parametrize("option", ["--assignee", "--link", "--into", "--agency"])
def test_an_option_given_empty_is_refused_not_read_as_left_out(cli, desk, option):
    """«--assignee ""» assigned the case to the --by user, as if the option were not there (a review
    of the commands, round 3): a script's empty variable is its mistake, and nothing is done."""
    case = desk.open("accepted")
    refused(cli, "move", case.ref, "--to", "assigned", "--by", "water.manager", option, "", says="خالی آمده است")
    assert {row["ref"]: row["status"] for row in cli("list", "--json")}[case.ref] == "accepted"


@pytest.mark.parametrize("args", [
    ("list", "--by", ""), ("list", "--status", " "), ("list", "--agency", " "), ("stats", "--period", "1405-02",
                                                                                "--agency", ""),
    ("stats", "--period", "1405-02", "--by", ""),
    ("open", "--manual", "--title", "پرسش", "--outlet", "رادیو", "--channel", "radio", "--agency", "water", "--by", ""),
    ("open", "--manual", "--title", "پرسش", "--outlet", "رادیو", "--channel", "radio", "--agency", "water",
     "--opened", " "),
    # «نوع «» شناخته نیست» quoted nothing (session 42's hostile round)
    ("open", "--manual", "--title", "پرسش", "--outlet", "رادیو", "--channel", "radio", "--agency", "water",
     "--kind", ""),
    ("open", "--manual", "--title", "پرسش", "--outlet", "رادیو", "--channel", "radio", "--agency", "water",
     "--priority", " "),
], ids=["list --by", "list --status", "list --agency", "stats --agency", "stats --by", "open --by", "open --opened",
        "open --kind", "open --priority"])
def test_a_blank_option_of_any_cases_command_is_refused(cli, desk, args):
    """«--by ""» (a script's «--by "$USER"» with the variable unset) listed every agency's cases and
    opened a case as the shell, with every right; «--status " "» listed every status (a review of the
    commands, round 4). Refused, and nothing is done."""
    refused(cli, *args, says="خالی آمده است")


def test_a_title_of_tatweels_is_none_and_a_links_label_is_one_line(cli, desk):
    """«ـ‌ـ» was a case's title and «ـ» its outlet, and «--link-label $'a\\nb'» was stored with its line
    break (a review of the commands, round 4)."""
    refused(cli, "open", "--manual", "--title", "ـ\u200cـ", "--outlet", "رادیو", "--channel", "radio",
            "--agency", "water")
    refused(cli, "open", "--manual", "--title", "پرسش", "--outlet", "ـ", "--channel", "radio", "--agency", "water")
    case = desk.open("approved")
    moved = cli("move", case.ref, "--to", "published", "--by", "water.staff", "--link",
                "https://water.example.ir/news/1", "--link-label", "پاسخ\nدر پایگاه", "--json")
    assert [link["label"] for link in moved["links"]] == ["پاسخ در پایگاه"]


def test_a_user_of_a_switched_off_agency_is_refused_as_the_login_refuses_them(cli, desk):
    """A review of the cases commands, round 9: `--by water.staff` moved a case while water was
    switched off, whose staff cannot log in."""
    ref = cli("open", "--manual", "--title", "چرا آب قطع است؟", "--outlet", "روزنامهٔ شهر", "--channel", "print",
              "--agency", "water", "--opened", "1405/02/20", "--json")["ref"]
    desk.a.is_active = False
    db.session.commit()
    refused(cli, "move", ref, "--to", "accepted", "--by", "water.staff", says="خاموش است")
    refused(cli, "list", "--by", "water.manager", says="خاموش است")
    desk.a.is_active = True
    db.session.commit()
    assert cli("move", ref, "--to", "accepted", "--by", "water.staff", "--json")["status"] == "accepted"


def test_a_case_opens_today_from_items_dated_ahead_of_their_fetch(cli, desk, make_item, app, tmp_path):
    """A review of hostile feeds, round 11: an item dated 20 hours ahead (a wrong clock), or written
    in Tehran's clock without a zone (read as UTC: 3½ hours ahead), was kept with that date, and
    `cases open --item` refused it, --opened today too («… پیش از انتشار آن طرح نشده است»). Such a
    date is now the fetch's, marked estimated; an item stored so before opens from its fetch's day."""
    now = datetime.now(UTC)
    ahead = (now + timedelta(hours=20)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    naive = to_local(now).strftime("%Y-%m-%d %H:%M:%S")
    items = "".join(f"<item><guid>{n}</guid><link>https://news.example.ir/f/{n}</link><title>خبر {n}</title>"
                    f"<pubDate>{written}</pubDate></item>" for n, written in enumerate((ahead, naive)))
    path = tmp_path / "ahead.xml"
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}'
                    "</channel></rss>", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["feeds", "import-file", str(path)])
    assert result.exit_code == 0, result.output
    stored = {i.title: i for i in db.session.scalars(select(Item))}
    assert stored["خبر 0"].published_is_estimated and stored["خبر 0"].published_at == stored["خبر 0"].fetched_at
    assert not stored["خبر 1"].published_is_estimated  # its own clock, read in the installation's zone
    assert abs(stored["خبر 1"].published_at - now) < timedelta(seconds=5)
    legacy = make_item(title="پرسشی دیگر", published_at=now + timedelta(hours=20), fetched_at=now)
    for item in (stored["خبر 0"], stored["خبر 1"], legacy):
        data = cli("open", "--item", str(item.id), "--agency", "water", "--json")
        assert db.session.get(PublicQuestion, data["id"]).opened_on == local_today()
    data = cli("open", "--item", str(legacy.id), "--agency", "power", "--opened",
               format_jalali_date(local_today(), digits="en"), "--json")
    assert data["status"] == "new"


def test_an_item_id_copied_from_a_persian_line_is_read_as_a_case_number_is(cli, desk, make_item):
    """A review of the commands' contracts (session 39): «--item <RLM>12» was refused with «شناسهٔ خبر
    باید عدد باشد (نوشته‌شده: <RLM>12)», which shows a number; the case numbers read such marks already."""
    item = make_item()
    data = cli("open", "--item", "\u200f" + to_persian_digits(item.id) + "\u200c", "--agency", "water", "--json")
    assert data["status"] == "new"
    refused(cli, "open", "--item", "\u200f", "--agency", "water", says="شناسهٔ خبر باید عدد باشد")


def test_a_cases_id_given_for_its_number_is_told_which_is_which(cli, desk):
    """The JSON gives a case's "id" and its "ref"; a script that passed the id back was told «no
    case numbered 13», of a case that is there (a review of the commands' contracts, session 39).
    Not read as the id (13 could be this year's 13th): the refusal says what a case number is."""
    case = desk.open("new")
    error = refused(cli, "move", str(case.id), "--to", "accepted", "--by", "water.staff")
    assert "سال-شماره" in error and "«ref»" in error, error


def test_full_width_digits_are_read_as_persian_ones_are(app, cli, desk, make_item):
    """Session 42's hostile round: digits typed full-width («１４０５», an East Asian keyboard layout or
    a pasted document) were read by some options (a period, a count: Python's int() reads them) and
    refused by others — a Jalali date «تاریخ «１４٠٥/٠٩/١٠» خوانده نشد», a case number «no case
    numbered １٤٠٥-…», an item id «must be a number», a year. All read them now, as Persian digits."""
    item = make_item()
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    data = cli("open", "--item", str(item.id).translate(wide), "--agency", "water",
               "--opened", "1405/02/20".translate(wide), "--json")
    assert (data["ref"], data["deadline"]) == ("1405-000001", "1405/02/26")
    moved = cli("move", data["ref"].translate(wide), "--to", "accepted", "--by", "water.staff", "--json")
    assert moved["status"] == "accepted"
    runner = app.test_cli_runner()
    for args in (["calendar", "add-working-days", "１٤٠٥/٠٢/٢٠", "5", "--json"],
                 ["calendar", "propose-lunar", "--year", "１４０６", "--json"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0 and "error" not in json.loads(result.stdout.splitlines()[0]), result.output
