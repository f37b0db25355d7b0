"""`flask --app app cases …`: open, move, list and count public-question cases from the shell.

The options and JSON keys are the contract of issue 11. A refused or bad input exits 2 with
``{"error": "<Persian message>"}`` (on standard error as text without --json) and changes
nothing. ``--by USERNAME`` acts and reads as that user, inside their agency scope. Run again (a
script re-run), ``open`` prints the case that holds the question with ``"existing": true``, exit 0
(app/services/case_twins.py). ``move`` to the status the case is already in is no move of the issue's
workflow: refused, exit 2, as an illegal move (issue 11's contract; session 45), its ``{"error"}`` with
``"already": true``, ``"ref"`` and ``"status"`` when the case holds what the options name
(app/services/case_reruns.py), so a re-run script can tell it from other refusals.
"""
from __future__ import annotations

import codecs
import functools
import sys
import unicodedata

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from app import clock
from app.cli import usage
from app.cli.case_reminders import remind_command
from app.cli.standard_input import stdin_bytes
from app.cli.usage import json_text, not_blank
from app.extensions import db
from app.jalali import JalaliDateError, format_jalali_date, jalali_month_range, parse_jalali_date
from app.policy import ADMIN
from app.scoping import agency_scope, scope_for_user
from app.services import ServiceError
from app.services.case_reruns import move_once, unread_again
from app.services.case_stats import case_figures, parse_period
from app.services.case_twins import open_item_once, open_manual_once
from app.services.case_workflow import ANSWER_MAX
from app.services.cases import (
    CaseFilters,
    ManualSource,
    PublicationLink,
    agency_by_slug,
    case_as_dict,
    case_by_ref,
    list_cases,
    load_source,
    status_choices,
    status_named,
    status_named_with_code,
    unread_inputs,
    user_by_username,
)
from app.services.digits import row_id, shown_number, shown_ref
from app.services.record_days import refuse_before_records
from models import CASE_STATUSES, OPEN_STATUSES
from search_index.normalization import printable
from search_index.persian import ascii_digits, fold_pasted

cases_cli = usage.Group("cases", help="Public-question cases (clause 12): open, move, list, figures.")
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON (one object, or JSON lines).")


class CliActor:
    """The actor of cases opened from the shell without --by (audited as "cli")."""

    id = None
    role = ADMIN
    username = "cli"
    agency_id = None
    is_active = True
    is_authenticated = True


class CliRefused(Exception):
    """A bad option value, said in Persian; ``extra``: keys printed beside "error" under --json."""

    def __init__(self, message: str, **extra) -> None:
        super().__init__(message)
        self.extra = extra


def _echo(text: str, err: bool = False) -> None:
    """Print ``text`` without control characters (but tab and line breaks): a refusal quotes what
    was typed («cases move $'\\e]0;…\\a'» set the terminal's title, «\\e[2J» cleared it; click
    strips only some colour codes, and none on a terminal), and json.dumps lets DEL and C1 through."""
    click.echo(printable(text), err=err)


def _emit(data: dict, as_json: bool, text: str) -> None:
    _echo(json_text(data, ensure_ascii=False) if as_json else text)


def refusals(command):
    """Turn a refusal into exit status 2 with {"error": …}, after rolling back the session."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            refusal = usage.not_utf8(click.get_current_context())
            if refusal:
                raise CliRefused(refusal)
            return command(*args, **kwargs)
        except (ServiceError, JalaliDateError, CliRefused) as error:
            db.session.rollback()
            if kwargs.get("as_json"):
                _echo(json_text({"error": str(error), **getattr(error, "extra", {})}, ensure_ascii=False))
            else:
                _echo(_("خطا: %(message)s", message=str(error)), err=True)
            sys.exit(2)
    return wrapper


def _actor(username: str | None):
    return user_by_username(username) if username else CliActor()


def _scope(actor):
    return agency_scope(None if isinstance(actor, CliActor) else scope_for_user(actor))


def _agency_seen_by(actor, agency):
    """``agency`` when ``actor`` (``--by``) sees its cases; refused otherwise: an empty answer would
    read as "no cases" to a script."""
    if agency is not None and not isinstance(actor, CliActor):
        scope = scope_for_user(actor)
        if scope is not None and scope != agency.id:
            raise CliRefused(_("کاربر «%(user)s» پرونده‌های سازمان «%(agency)s» را نمی‌بیند؛ --agency را بردارید یا "
                               "سازمان خود او را بنویسید.", user=actor.username, agency=agency.slug))
    return agency


def _read_answer() -> str:
    """The answer from standard input, as UTF-8, or UTF-16 with its BOM (a BOM is dropped). :raise CliRefused: other bytes,
    or more than ANSWER_MAX characters could hold (read no further: a 400 MB pipe took 1.3 GB)."""
    cap = ANSWER_MAX * 4 + 3  # four bytes a character at most, and a BOM
    stdin = stdin_bytes()  # closed («<&-»): refused (exit 2)
    data = stdin.read(cap)
    if len(data) == cap and stdin.read(1):
        raise CliRefused(_("%(what)s نباید بیش از %(n)s نویسه باشد.", what=_("پاسخ"), n=shown_number(ANSWER_MAX)))
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's «Unicode», PowerShell's Out-File
            text = data.decode("utf-16")
            # Bytes that only begin like a BOM (Windows-1256 «ÿþ…») decode to private-use or unassigned
            # characters: refused as not UTF-8, as before.
            if any(unicodedata.category(char) in ("Co", "Cn", "Cs") for char in text):
                raise UnicodeDecodeError("utf-16", data, 0, len(data), "not text")
            return text
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CliRefused(_("متن پاسخ در ورودی استاندارد UTF-8 نیست؛ آن را با نویسه‌گذاری UTF-8 بفرستید.")) from None
    # UTF-16 without its BOM is ASCII bytes to UTF-8: every Persian letter a U+0006 beside a letter, every Latin
    # one a NUL, both left out later as control characters, and «پاسخ سازمان» was stored «~'3. 3'2E'F» (session 46)
    if "\x00" in text or "\x06" in text:
        raise CliRefused(_("متن پاسخ در ورودی استاندارد نویسهٔ NUL یا نویسه‌های کنترلی UTF-16 دارد: متن UTF-8 نیست "
                           "(UTF-16 بی BOM، یا فایلی جز متن)؛ آن را با نویسه‌گذاری UTF-8 بفرستید. چیزی ذخیره نشد."))
    return text


def _item_id(text: str) -> int:
    """The --item id typed (Persian or Arabic-Indic digits too). :raise CliRefused: not a number;
    ServiceError: past the largest id, so no item has it."""
    digits = fold_pasted(ascii_digits(text)).strip()  # copied from a Persian line: its marks, as case numbers
    if not (digits.isascii() and digits.isdecimal()):  # not isdigit(): «²» is a digit int() cannot read
        raise CliRefused(_("شناسهٔ خبر باید عدد باشد (نوشته‌شده: %(value)s).", value=text))
    found = row_id(digits)  # None past the largest id a row can have: no item has it (not the driver's overflow)
    if found is None:
        raise ServiceError(_("خبری با شناسهٔ %(id)s نیست.", id=shown_number(digits[:30])))
    return found


def _case(ref: str):
    """``case_by_ref`` from the shell: a number alone is told what a case number is (the JSON's "id"
    passed back for its "ref" was told «no case numbered 13» of a case that is there; session 39)."""
    try:
        return case_by_ref(ref)
    except ServiceError as error:
        if fold_pasted(ascii_digits(ref or "")).strip().isdecimal():
            raise CliRefused(str(error) + " " + _("شمارهٔ پرونده سال-شماره است، مانند ۱۴۰۵-۰۰۰۱۲۳ (در JSON کلید "
                                                  "«ref»، نه «id»).")) from None
        raise


def _line(case: dict) -> str:
    """One case on one line (a line break in its title is read as a space: scripts read a line a case)."""
    title = " ".join(case["title"].split())
    return f"{case['ref']}  {case['status']:<9} {case['agency'] or '-':<12} {case['deadline']}  {title}"


@cases_cli.command("open")
@click.option("--item", "item_id", default=None, help="The monitored item's id.")
@click.option("--manual", is_flag=True, help="A question raised outside the monitored feeds.")
@click.option("--title", default="", help="The question's title (required with --manual).")
@click.option("--question", default="", help="The question in one sentence (default: the title).")
@click.option("--outlet", default="", help="The outlet's name (with --manual).")
@click.option("--channel", default="", help="tv|radio|print|social|press_conference (with --manual).")
@click.option("--programme", default="", help="The programme (with --manual).")
@click.option("--agency", "agency_slug", default="", help="The responsible agency's slug.")
@click.option("--priority", default="normal", callback=not_blank, help="urgent|normal|low")
@click.option("--kind", default="question", callback=not_blank, help="question|ambiguity|request|complaint|rumour")
@click.option("--opened", default=None, callback=not_blank, help="The Jalali day it was raised, e.g. 1405/09/10 (default: the item's local day with --item, today with --manual).")
@click.option("--by", "by", default=None, callback=not_blank, help="Act as this user (default: the shell, audited as cli).")
@JSON_OPTION
@with_appcontext
@refusals
def open_command(item_id, manual, title, question, outlet, channel, programme, agency_slug, priority, kind,
                 opened, by, as_json) -> None:
    """Open a case from a monitored item or a manual entry; prints ref, id, status, agency, deadline."""
    if item_id and manual:
        raise CliRefused(_("یا --item یا --manual؛ هر دو با هم نه."))
    if not item_id and not manual:
        raise CliRefused(_("منبع پرسش را بگویید: --item ID یا --manual با --title، --outlet و --channel."))
    item = _item_id(item_id) if item_id else None
    unread = [name for name, value in (("--outlet", outlet), ("--channel", channel), ("--programme", programme))
              if value.strip()]
    if item_id and unread:  # the item's own outlet is the source: nothing typed is dropped in silence
        raise CliRefused(_("%(options)s تنها با --manual خوانده می‌شود؛ منبع پرسشِ --item رسانهٔ همان خبر است.",
                           options="، ".join(unread)))
    if manual:
        for value, message in ((title, _("برای ورود دستی عنوان پرسش را با --title بنویسید.")),
                               (outlet, _("برای ورود دستی نام رسانه را با --outlet بنویسید.")),
                               (channel, _("برای ورود دستی مجرا را با --channel بنویسید: tv، radio، print، social یا press_conference."))):
            if not value.strip():
                raise CliRefused(message)
    if item is not None:  # an item that is not there is named before a missing --agency (session 40's note)
        load_source(item, None)
    if not agency_slug.strip():
        raise CliRefused(_("سازمان پاسخ‌گو را با --agency و شناسهٔ آن بگویید."))
    actor = _actor(by)
    agency = agency_by_slug(agency_slug)
    opened_on = parse_jalali_date(opened) if opened.strip() else None
    arguments = {"agency": agency, "title": title, "question": question, "kind": kind, "priority": priority,
                 "opened_on": opened_on}
    with _scope(actor):
        if manual:  # run again (a script re-run), the same question: the case that holds it (session 43)
            case, opened = open_manual_once(actor, manual=ManualSource(
                channel=channel, outlet_name=outlet, programme=programme, reported_on=opened_on), **arguments)
        else:
            case, opened = open_item_once(actor, item_id=item, **arguments)  # again: its case, as a manual one
        data = case_as_dict(case)
    said = (_("پرونده %(ref)s باز شد (%(status)s، %(agency)s)؛ مهلت پاسخ: %(deadline)s") if opened else
            _("همین پرسش (همان رسانه، مجرا و روز) پیش‌تر در پرونده %(ref)s باز شده است؛ پروندهٔ تازه‌ای باز نشد "
              "(%(status)s، %(agency)s)؛ مهلت پاسخ: %(deadline)s"))
    _emit({**{key: data[key] for key in ("ref", "id", "status", "agency", "deadline")}, "existing": not opened},
          as_json, said % {"ref": data["ref"], "status": status_named_with_code(data["status"]),
                           "agency": data["agency"], "deadline": data["deadline"]})


@cases_cli.command("move")
@click.argument("ref")
@click.option("--to", "to_status", default="", help="The status to move to: " + ", ".join(CASE_STATUSES))
@click.option("--by", "by", default="", help="The user who makes the move (required).")
@click.option("--assignee", default=None, help="With --to assigned (default: the --by user).")
@click.option("--reason", default="", help="Why (required to reject or reopen).")
@click.option("--link", default=None, help="Where the answer was published (with --to published).")
@click.option("--link-label", default="", help="A label for --link.")
@click.option("--into", "into_ref", default=None, help="With --to merged: the case it duplicates.")
@click.option("--agency", "agency_slug", default=None, help="With --to accepted: the responsible agency (supervisors).")
@click.option("--answer-stdin", is_flag=True, help="Read the answer text from standard input.")
@JSON_OPTION
@with_appcontext
@refusals
def move_command(ref, to_status, by, assignee, reason, link, link_label, into_ref, agency_slug, answer_stdin,
                 as_json) -> None:
    """Move case REF to another status as the --by user; prints the case."""
    for option, value in (("--assignee", assignee), ("--link", link), ("--into", into_ref), ("--agency", agency_slug)):
        if value is not None and not value.strip():
            # «--assignee ""» assigned the case to the --by user, as if the option were not there
            # (a review of the commands, round 3): an empty value is a script's mistake, not a choice.
            raise CliRefused(_("گزینهٔ %(option)s خالی آمده است؛ مقداری بنویسید یا گزینه را بردارید.", option=option))
    assignee, link, into_ref, agency_slug = (value or "" for value in (assignee, link, into_ref, agency_slug))
    if not by.strip():
        raise CliRefused(_("کاربری را که این کار را می‌کند با --by بگویید."))
    if not to_status.strip():
        raise CliRefused(_("وضعیت مقصد را با --to بگویید: %(choices)s.", choices=status_choices()))
    to_status = status_named(to_status)  # «بسته», «Closed»: the status a refusal names
    actor = user_by_username(by)
    answer = _read_answer() if answer_stdin else None
    given = {option: field for option, field, value in (
        ("--agency", "agency", agency_slug), ("--assignee", "assignee", assignee), ("--link", "link", link),
        ("--link-label", "link", link_label), ("--into", "into", into_ref)) if value.strip()}
    if answer_stdin:
        given["--answer-stdin"] = "answer"
    with _scope(actor):
        case = _case(ref)
        for option, moves in unread_inputs(case, to_status, given) or unread_again(case, to_status, given):
            # Not dropped in silence: an answer piped to the wrong move would be lost.
            raise CliRefused(_("گزینهٔ %(option)s در رفتن از «%(from)s» به «%(to)s» خوانده نمی‌شود (تنها در %(moves)s)؛ "
                               "آن را بردارید یا وضعیت دیگری بگویید.", option=option,
                               to=status_named_with_code(to_status), moves="، ".join(moves),
                               **{"from": status_named_with_code(case.status)}))
        terms = {"assignee": user_by_username(assignee) if assignee.strip() else None, "reason": reason,
                 "link": PublicationLink(url=link, label=link_label) if link.strip() else None, "answer": answer,
                 "into": _case(into_ref) if into_ref.strip() else None,
                 "agency": agency_by_slug(agency_slug) if agency_slug.strip() else None}
        if not move_once(case, to_status, actor, **terms):
            # The case is in that status already (a script re-run, or the same move made at the same instant):
            # no move of the workflow, refused as an illegal move is (issue 11: exit 2, nothing changed;
            # session 44 answered exit 0 "unchanged"). "already" tells a script it is where it was sent.
            raise CliRefused(_("پرونده %(ref)s پیش‌تر «%(status)s» شده است و از «%(status)s» به همان وضعیت رفتنی "
                               "نیست؛ چیزی تغییر نکرد.", ref=shown_ref(case.ref),
                               status=status_named_with_code(to_status)),
                             already=True, ref=case.ref, status=case.status)
        data = case_as_dict(case)
    # "unchanged" (session 44's key, kept for the scripts that read it): false, a move printed was made now
    _emit({**data, "unchanged": False}, as_json, _line(data))


@cases_cli.command("list")
@click.option("--agency", "agency_slug", default=None, callback=not_blank, help="Only this agency's cases.")
@click.option("--status", default=None, callback=not_blank, help="Only cases in this status.")
@click.option("--overdue", is_flag=True, help="Only open cases past their deadline.")
@click.option("--by", "by", default=None, callback=not_blank, help="List as this user sees (their agency only).")
@JSON_OPTION
@with_appcontext
@refusals
def list_command(agency_slug, status, overdue, by, as_json) -> None:
    """List cases, soonest deadline first (JSON lines with --json)."""
    status = status_named(status)
    if status and status not in CASE_STATUSES:
        raise CliRefused(_("وضعیت «%(status)s» شناخته نیست؛ یکی از این‌ها را بنویسید: %(choices)s.",
                           status=status, choices=status_choices()))
    if overdue and status and status not in OPEN_STATUSES:  # an empty answer would read as "none overdue"
        raise CliRefused(_("پرونده‌ای که «%(status)s» است دیرکرد ندارد؛ --overdue تنها با پرونده‌های باز (%(open)s) "
                           "خوانده می‌شود: یکی از دو گزینه را بردارید.", status=status, open="، ".join(OPEN_STATUSES)))
    actor = _actor(by)
    agency = _agency_seen_by(actor, agency_by_slug(agency_slug) if agency_slug.strip() else None)
    with _scope(actor):
        filters = CaseFilters(agency_id=agency.id if agency else None, statuses=(status,) if status else (),
                              overdue=overdue)
        for case in list_cases(filters):
            data = case_as_dict(case)
            _emit(data, as_json, _line(data))


@cases_cli.command("stats")
@click.option("--period", default="", help="A Jalali month: 1405-09.")
@click.option("--agency", "agency_slug", default=None, callback=not_blank, help="Only this agency.")
@click.option("--by", "by", default=None, callback=not_blank, help="Count as this user sees (their agency only).")
@JSON_OPTION
@with_appcontext
@refusals
def stats_command(period, agency_slug, by, as_json) -> None:
    """The scorecard's figures of a Jalali month, one line per agency."""
    year, month = parse_period(period)
    first = jalali_month_range(year, month)[0]
    refuse_before_records(jalali_month_range(year, month)[1], period)  # «1305-09» for «1405-09»
    if first > clock.local_today():  # as `contacts stats`: "open now" figures of a month none of which was lived
        raise CliRefused(_("ماه %(period)s هنوز آغاز نشده است (از %(first)s)؛ ماه جاری یا ماهی پیش از آن را "
                           "بنویسید.", period=shown_number(f"{year:04d}-{month:02d}"),
                           first=format_jalali_date(first)))
    actor = _actor(by)
    agency = _agency_seen_by(actor, agency_by_slug(agency_slug) if agency_slug.strip() else None)
    with _scope(actor):
        for figures in case_figures(year, month, agency_id=agency.id if agency else None):
            # the agency's stored name, as the scorecard's line gives it (session 43); the day of
            # "open" as `contacts stats` and the scorecard name theirs too, ISO and Jalali (session 44:
            # «as_of» stays the Jalali day it was, a documented key)
            data = {**figures.as_dict(), "agency_name": agency_by_slug(figures.agency).name_fa,
                    "as_of_iso": figures.as_of.isoformat() if figures.as_of else None}
            data["as_of_jalali"] = data["as_of"]
            _emit(data, as_json, _stats_line(figures, data))


def _stats_line(figures, data: dict) -> str:
    """`cases stats` without --json: one Persian line per agency (it printed English key=value), its
    slug, period, date and figures as the JSON gives them, as the other commands' lines (README: it
    printed Persian digits and the agency's name alone; a review of the commands, round 8)."""
    def number(value) -> str:
        return "—" if value is None else str(value)

    return ngettext("%(agency)s، ماه %(period)s — طرح‌شده: %(opened)s، پاسخ‌داده: %(answered)s (به‌موقع: "
                    "%(on_time)s، %(pct)s٪)، میانهٔ روزهای کاری تا پاسخ: %(median)s؛ باز در %(as_of)s: %(open)s، "
                    "دیرکرد: %(overdue)s (بلندترین: %(longest)s روز)",
                    "%(agency)s، ماه %(period)s — طرح‌شده: %(opened)s، پاسخ‌داده: %(answered)s (به‌موقع: "
                    "%(on_time)s، %(pct)s٪)، میانهٔ روزهای کاری تا پاسخ: %(median)s؛ باز در %(as_of)s: %(open)s، "
                    "دیرکرد: %(overdue)s (بلندترین: %(longest)s روز)", data["overdue_longest_days"] or 0,
             agency=f"{data['agency_name']} ({data['agency']})", period=data["period"],
             opened=number(data["opened"]), answered=number(data["answered"]),
             on_time=number(data["answered_on_time"]), pct=number(data["on_time_pct"]),
             median=number(data["median_working_days_to_answer"]),
             as_of=data["as_of"] or "—", open=number(data["open"]),
             overdue=number(data["overdue"]), longest=number(data["overdue_longest_days"]))


cases_cli.add_command(remind_command)  # `cases remind` (app/cli/case_reminders.py)
