"""The case workflow: which status a case may move to, who may move it, and what each move needs.

    new → accepted (agency set) → assigned → drafted → approved (the agency's manager)
        → published (with the link) → closed → (reopen) accepted
    new | accepted → rejected (with a reason); new | accepted | assigned → merged (into another
    case: its sources move); assigned → assigned (another assignee); drafted | approved →
    assigned (sent back for rework).

``move`` checks everything before it changes anything: an illegal move, or a user who may not
make it, raises ServiceError / NotAllowed with a Persian message and leaves the case as it was.
Who may make each move is app/policy.py's CASE_MOVE_ROLES (see can_move_case).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.clock import local_today, utcnow
from app.extensions import db
from app.i18n import N_
from app.policy import STAFF, can_be_assigned_case, can_move_case, can_transfer_case, role_of
from app.services import NotAllowed, ServiceError
from app.services.case_deadlines import count_deadline, hold_calendar
from app.services.case_links import keep_link, public_host
from app.services.case_timeline import STATUS_LABELS, add_event, label, status_choices
from app.services.digits import shown_number, shown_ref
from app.services.directory_keys import name_key
from app.services.row_guard import update_if_unchanged
from models import CASE_STATUSES, Agency, CaseSource, PublicQuestion, User
from models.case import PUBLICATION_KINDS
from search_index.normalization import UNSEEN_IN_ADDRESS
from search_index.persian import normalize_for_storage

# (from status, to status) → the move's name (the key of app.policy.CASE_MOVE_ROLES).
TRANSITIONS: dict[tuple[str, str], str] = {
    ("new", "accepted"): "accept",
    ("new", "rejected"): "reject",
    ("accepted", "rejected"): "reject",
    ("new", "merged"): "merge",
    ("accepted", "merged"): "merge",
    ("assigned", "merged"): "merge",
    ("accepted", "assigned"): "assign",
    ("assigned", "assigned"): "reassign",
    ("drafted", "assigned"): "return",
    ("approved", "assigned"): "return",
    ("assigned", "drafted"): "draft",
    ("drafted", "approved"): "approve",
    ("approved", "published"): "publish",
    ("published", "closed"): "close",
    ("closed", "accepted"): "reopen",
}
# What each move reads beside ``reason`` (kept on the timeline of every move): the rest is not read.
MOVE_READS: dict[str, frozenset[str]] = {
    "accept": frozenset({"agency"}), "assign": frozenset({"assignee"}), "reassign": frozenset({"assignee"}),
    "return": frozenset({"assignee"}), "draft": frozenset({"answer"}), "approve": frozenset({"answer"}),
    "publish": frozenset({"link"}), "merge": frozenset({"into"}),
}
# Why a move was refused to a user, by move.
NOT_ALLOWED = {
    "accept": N_("پذیرفتن پرسش کار کارکنان سازمان پاسخ‌گو یا ناظران استانداری است."),
    "reject": N_("رد کردن پرسش کار کارکنان سازمان پاسخ‌گو یا ناظران استانداری است."),
    "merge": N_("ادغام پرونده کار کارکنان سازمان پاسخ‌گو یا ناظران استانداری است."),
    "assign": N_("واگذاری پرونده کار مدیر روابط عمومی سازمان است؛ کارشناس تنها پرونده را به خودش وامی‌گذارد."),
    "reassign": N_("واگذاری پرونده به کارشناس دیگر کار مدیر روابط عمومی سازمان است."),
    "return": N_("بازگرداندن پاسخ برای بازنگری کار مدیر روابط عمومی سازمان است."),
    "draft": N_("پیش‌نویس پاسخ را کارشناسی که پرونده به او واگذار شده یا مدیر روابط عمومی سازمان می‌نویسد."),
    "approve": N_("تأیید پاسخ تنها کار مدیر روابط عمومی همان سازمان است."),
    "publish": N_("ثبت انتشار پاسخ کار کارکنان روابط عمومی همان سازمان است."),
    "close": N_("بستن پرونده کار کارکنان سازمان پاسخ‌گو یا ناظران استانداری است."),
    "reopen": N_("بازگشایی پرونده کار مدیر روابط عمومی سازمان یا ناظران استانداری است."),
}
TEXT_MAX = 2000
ANSWER_MAX = 20000
URL_MAX = 2000


@dataclass(frozen=True)
class PublicationLink:
    """Where an answer was published (``kind``: portal | outlet | press_conference | other)."""

    url: str
    label: str = ""
    kind: str = "portal"


def clean_text(value: str | None, limit: int, what: str) -> str:
    """Stripped text in the storage fold (``normalize_for_storage``: no control characters but
    tabs and line breaks), "" when nothing visible is left (a ZWNJ alone is not a title); ServiceError
    when longer than ``limit`` (``what`` names the field, translated). Line ends are LF: an answer
    from Windows (`--answer-stdin` of Notepad's text, a form's CRLF) kept its CRs, shown as «^M» or
    as double line breaks by what read it later (the review of the commands, session 40)."""
    text = normalize_for_storage(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not name_key(text):  # nothing a reader sees: ZWNJ, marks, tatweel «ـ» (a title «ـ‌ـ» was accepted;
        return ""  # a review of the commands, round 4), as a holiday's or a journalist's name is read
    if len(text) > limit:
        raise ServiceError(_("%(what)s نباید بیش از %(n)s نویسه باشد.", what=what, n=shown_number(limit)))
    return text


def one_line(text: str) -> str:
    """A name or a title on one line: line breaks and tabs as single spaces (a command line's
    «$'a\\nb'» was stored with its line break; a review of the commands)."""
    return " ".join(text.split())


def clean_link(link: PublicationLink | str | None) -> PublicationLink:
    """A publication link with a full http(s) address; ServiceError otherwise."""
    if isinstance(link, str) or link is None:
        link = PublicationLink(url=link or "")
    url = (link.url or "").strip()
    if len(url) > URL_MAX:
        raise ServiceError(_("نشانی انتشار پاسخ بیش از اندازه بلند است (%(length)s نویسه؛ دست‌بالا %(max)s نویسه)؛ "
                             "نشانی کوتاه‌تر همان صفحه را بنویسید.", length=shown_number(len(url)),
                             max=shown_number(URL_MAX)))
    try:
        parts = urlsplit(url)
        if parts.port == 0:  # («:99999», «:x» raise: no port); «:0» names none either, no page is served there
            parts = None
    except ValueError:  # «http://[x»: a bracket opened for an IPv6 host and not closed
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or UNSEEN_IN_ADDRESS.search(url):
        raise ServiceError(_("نشانی انتشار پاسخ را کامل بنویسید، مانند https://example.ir/news/123."))
    if not public_host(parts):  # «http://127.0.0.1.nip.io/…» was told to be written «in full» (session 46)
        raise ServiceError(_("نشانی انتشار پاسخ را کامل بنویسید، مانند https://example.ir/news/123؛ «%(host)s» "
                             "جایی نیست که مردم صفحه را در آن ببینند: به همین رایانه یا شبکهٔ درونی می‌رسد، یا نامی "
                             "بی دامنه است.", host=one_line(parts.hostname)[:100]))
    if link.kind not in PUBLICATION_KINDS:
        raise ServiceError(_("جای انتشار پاسخ شناخته نیست: درگاه سازمان، رسانه، نشست خبری یا جای دیگر."))
    return PublicationLink(url=url, label=one_line(clean_text(link.label, 300, _("عنوان نشانی"))), kind=link.kind)


def _status(status: str | None) -> str:
    return label(STATUS_LABELS, status)


def _check_transition(case: PublicQuestion, to_status: str) -> str:
    if to_status not in CASE_STATUSES:
        raise ServiceError(_("وضعیت «%(status)s» شناخته نیست؛ یکی از این‌ها را بنویسید: %(choices)s.",
                             status=to_status, choices=status_choices()))
    move_name = TRANSITIONS.get((case.status, to_status))
    if move_name is None:
        raise ServiceError(_(
            "پرونده %(ref)s «%(from)s» است و از این وضعیت به «%(to)s» نمی‌رود.",
            ref=shown_ref(case.ref), **{"from": _status(case.status)}, to=_status(to_status)))
    return move_name


def unread_inputs(case: PublicQuestion, to_status: str, given: dict[str, str]) -> list[tuple[str, list[str]]]:
    """Of ``given`` (a caller's name for an input → the input: agency, assignee, answer, link,
    into), those the move of ``case`` to ``to_status`` would not read, each with the moves that do
    read it («تازه (new) → پذیرفته (accepted)»; reopening from «بسته» reads no agency); [] when the move is
    not one the workflow has (``move`` says why)."""
    move_name = TRANSITIONS.get((case.status, (to_status or "").strip()))
    if move_name is None:
        return []
    return [(name, [f"{status_named_with_code(before)} → {status_named_with_code(after)}"
                    for (before, after), reader in TRANSITIONS.items() if field in MOVE_READS.get(reader, ())])
            for name, field in given.items() if field not in MOVE_READS.get(move_name, ())]


def status_named_with_code(status: str) -> str:
    """«تازه (new)»: a status as a refusal of the command line names it (the Persian a person
    reads, the code a script or the --to option may be given)."""
    return f"{_status(status)} ({status})"


def _require(allowed: bool, move_name: str, actor=None) -> None:
    if not allowed:
        if move_name == "assign" and role_of(actor) != STAFF:  # the self-assignment clause is staff's
            raise NotAllowed(_("واگذاری پرونده کار مدیر روابط عمومی سازمان است."))
        raise NotAllowed(_(NOT_ALLOWED[move_name]))


def _check_assignee(case: PublicQuestion, assignee) -> None:
    if (assignee is None or not getattr(assignee, "is_active", False)
            or not can_be_assigned_case(assignee, case.agency_id)):
        name = getattr(assignee, "display_name", "") or getattr(assignee, "username", "") or "—"
        raise ServiceError(_("«%(name)s» از کارکنان روابط عمومی سازمان این پرونده نیست و پرونده به او واگذار نمی‌شود.",
                             name=name))
    if case.status == "assigned" and case.assignee_id == assignee.id:  # sent back to its author: a return
        raise ServiceError(_("پرونده هم‌اکنون به «%(name)s» واگذار شده است.",
                             name=assignee.display_name or assignee.username))


def _check_merge_target(case: PublicQuestion, into: PublicQuestion | None, actor) -> None:
    if into is None:
        raise ServiceError(_("پرونده‌ای را که این پرونده در آن ادغام می‌شود برگزینید."))
    if into.id == case.id:
        raise ServiceError(_("پرونده در خودش ادغام نمی‌شود."))
    if into.status in ("rejected", "merged"):
        raise ServiceError(_("پرونده %(ref)s «%(status)s» است و پرونده‌ای در آن ادغام نمی‌شود.",
                             ref=shown_ref(into.ref), status=_status(into.status)))
    if into.agency_id != case.agency_id and not can_transfer_case(actor):
        raise NotAllowed(_("ادغام پرونده‌های دو سازمان کار ناظران استانداری است."))
    if into.agency_id != case.agency_id:
        # The merge moves the case's items to ``into``: an agency that holds another case of one of
        # them would hold two (both counted, both reminded), as accepting or transferring made them.
        there = case_holding((s.item_id for s in case.sources if s.item_id is not None), into.agency_id,
                             other_than=into.id)
        if there is not None:
            raise ServiceError(_("سازمان «%(name)s» برای همین خبر پرونده %(ref)s را دارد؛ این پرونده را در آن ادغام کنید.",
                                 name=into.agency.name_fa if into.agency else "—", ref=shown_ref(there.ref)))


# Statuses in which a case still holds its items: an agency holds one case of an item at a time
# (opening another from it, or sending another there, is refused with the holding case named).
HOLDING = ("new", "accepted", "assigned", "drafted", "approved", "published", "closed")


CASE_ITEM_LOCKS = 7261  # PostgreSQL's advisory locks (two-key form) of "the cases of item N"


def hold_items_cases(item_ids: list[int]) -> None:
    """Hold "the cases of these items" until the caller's commit: two openers of one item wait for each
    other, the second sees the first's case (the year's counter held only openers of one Jalali year:
    session 37). Not the item's row, which a poll's transaction may hold; SQLite serialises writers."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for item_id in sorted(set(item_ids)):
        db.session.execute(select(func.pg_advisory_xact_lock(CASE_ITEM_LOCKS, item_id)))


def case_holding(item_ids, agency_id: int | None, *, other_than: int | None = None) -> PublicQuestion | None:
    """The case of ``agency_id`` (None: the cases waiting for an agency) that still holds one of
    ``item_ids``, other than the case ``other_than``; None when there is none."""
    item_ids = sorted(set(item_ids))
    if not item_ids:
        return None
    hold_items_cases(item_ids)
    query = (select(PublicQuestion).join(CaseSource, CaseSource.case_id == PublicQuestion.id)
             .where(CaseSource.item_id.in_(item_ids), PublicQuestion.status.in_(HOLDING),
                    PublicQuestion.agency_id.is_(None) if agency_id is None
                    else PublicQuestion.agency_id == agency_id)
             .order_by(PublicQuestion.id).execution_options(unscoped=True))
    if other_than is not None:
        query = query.where(PublicQuestion.id != other_than)
    return db.session.scalars(query).first()


def check_no_case_there(case: PublicQuestion, agency: Agency) -> None:
    """Refuse sending ``case`` to ``agency`` when that agency holds another case of one of its
    items: accepting for another agency, or a transfer, made two cases of one item in one agency
    (each counted, each reminded), where opening the second was refused (a review of the
    commands, round 6)."""
    if agency.id == case.agency_id:
        return
    there = case_holding((s.item_id for s in case.sources if s.item_id is not None), agency.id, other_than=case.id)
    if there is not None:
        raise ServiceError(_("سازمان «%(name)s» برای همین خبر پرونده %(ref)s را دارد؛ این پرونده را در آن ادغام کنید.",
                             name=agency.name_fa, ref=shown_ref(there.ref)))


def _check_agency(case: PublicQuestion, agency: Agency | None, actor) -> Agency:
    if agency is not None and agency.id != case.agency_id and not can_transfer_case(actor):
        raise NotAllowed(_("سازمان پاسخ‌گو را تنها ناظران استانداری تعیین می‌کنند یا تغییر می‌دهند."))
    target = agency or case.agency
    if target is None:
        raise ServiceError(_("سازمان پاسخ‌گو را برگزینید."))
    if not target.is_active:
        raise ServiceError(_("سازمان «%(name)s» غیرفعال است.", name=target.name_fa))
    check_no_case_there(case, target)
    return target


def _merge_sources(case: PublicQuestion, into: PublicQuestion) -> int:
    """Move the case's sources to ``into`` (an item it has already is dropped); returns how many moved."""
    have = {source.item_id for source in into.sources if source.item_id is not None}
    moved = 0
    for source in list(case.sources):
        if source.item_id is not None and source.item_id in have:
            case.sources.remove(source)
            continue
        source.case = into
        moved += 1
    return moved


def move(case: PublicQuestion, to_status: str, actor, *, assignee: User | None = None, reason: str | None = None,
         link: PublicationLink | str | None = None, answer: str | None = None,
         into: PublicQuestion | None = None, agency: Agency | None = None) -> PublicQuestion:
    """Move ``case`` to ``to_status`` as ``actor``, with what the move needs; timeline, audit, commit.

    accepted: ``agency`` (a supervisor sets or changes it; else the case's own); assigned:
    ``assignee`` (default: the actor); drafted: ``answer`` (or the saved one); approved: may edit
    ``answer``; published: ``link``; rejected and reopen (closed → accepted): ``reason``;
    merged: ``into``. ``reason`` is kept on the timeline for every move.

    :raise NotAllowed: the actor may not make this move on this case.
    :raise ServiceError: the move is not one the workflow has, or what it needs is missing.
    """
    to_status = (to_status or "").strip()
    move_name = _check_transition(case, to_status)
    reason = clean_text(reason, TEXT_MAX, _("دلیل"))
    assigning = move_name in ("assign", "reassign")
    if assigning and assignee is None and role_of(actor) in ("manager", "staff"):
        assignee = actor
    who = assignee.id if assigning and assignee is not None else case.assignee_id
    _require(can_move_case(actor, move_name, case.agency_id, who), move_name, actor)
    data: dict = {"move": move_name}
    if move_name == "accept":
        target = _check_agency(case, agency, actor)
    elif move_name == "reject" and not reason:
        raise ServiceError(_("دلیل رد کردن را بنویسید (برای نمونه: پرسش نیست)."))
    elif move_name == "reopen" and not reason:
        raise ServiceError(_("دلیل بازگشایی پرونده را بنویسید."))
    elif move_name == "merge":
        _check_merge_target(case, into, actor)
    elif assigning or (move_name == "return" and assignee is not None):
        _check_assignee(case, assignee)
    elif move_name in ("draft", "approve"):
        text = clean_text(answer if answer is not None else case.answer, ANSWER_MAX, _("متن پاسخ"))
        if not text:
            raise ServiceError(_("متن پاسخ را بنویسید."))
    elif move_name == "publish":
        publication = clean_link(link)

    before, now = case.status, utcnow()
    if move_name == "reopen":
        hold_calendar()  # before the case's row: case_deadlines.CALENDAR_LOCK
    update_if_unchanged(case, {"status": to_status}, _(
        "پرونده %(ref)s هم‌زمان به دست کس دیگری جابه‌جا شد؛ آن را دوباره بخوانید و اگر هنوز لازم است دوباره بکوشید.",
        ref=shown_ref(case.ref)), status=before)
    if move_name == "accept":
        if target.id != case.agency_id:
            data["agency"] = target.slug
            # the agency it came from, on the timeline and in the audit entry (only the opening's audit
            # row kept it: a review of the cases commands, round 8)
            data["from_agency"] = case.agency.slug if case.agency is not None else None  # «from» is the status's
        case.agency = target
        case.agency_id = target.id
    elif move_name == "reject":
        case.reject_reason = reason
    elif move_name == "merge":
        case.merged_into_id = into.id
        moved = _merge_sources(case, into)
        data.update(into=into.ref, sources_moved=moved)
        # Cases merged into this one go with it: a chain (A → B → C) left A's question out of sight of
        # C, the case that answers it (a review of the commands, round 3).
        # Every agency's: a supervisor may have merged another agency's case into this one, and the
        # manager merging it now sees only their own (the scope filter left those pointing here).
        earlier = list(db.session.scalars(select(PublicQuestion).where(PublicQuestion.merged_into_id == case.id)
                                          .execution_options(unscoped=True)))
        for duplicate in earlier:
            duplicate.merged_into_id = into.id
            add_event(duplicate, "merged_on", actor, merged=case.ref, into=into.ref)
        if earlier:
            data["duplicates_moved"] = sorted(duplicate.ref for duplicate in earlier)
        add_event(into, "merged_in", actor, text=reason, merged=case.ref, sources_moved=moved)
    elif assigning:
        case.assignee, case.assignee_id = assignee, assignee.id
        data["assignee"] = assignee.username
    elif move_name == "return":
        case.approved_by_id = case.approved_at = None
        if assignee is not None:
            case.assignee, case.assignee_id = assignee, assignee.id
            data["assignee"] = assignee.username
    elif move_name in ("draft", "approve"):
        case.answer = text
        if move_name == "approve":
            case.approved_by_id, case.approved_at = actor.id, now
    elif move_name == "publish":
        keep_link(case, publication, actor.id)  # published again after a reopen: the page it holds, kept once
        case.published_at = now
        if case.answered_on is None:  # the first answer: the one the figures judge (models.case)
            case.answered_on, case.answer_deadline = local_today(now), case.deadline
        data["link"] = publication.url
    elif move_name == "close":
        case.closed_at = now
    elif move_name == "reopen":  # a new round: a new deadline, and the manager assigns it again
        case.closed_at = None
        if case.assignee_id is not None:
            data["previous_assignee"] = case.assignee.username
        case.assignee, case.assignee_id = None, None
        case.approved_by_id = case.approved_at = None
        count_deadline(case, local_today(now))
        data["deadline"] = case.deadline.isoformat()
    add_event(case, "moved", actor, text=reason, from_status=before, to_status=to_status, **data)
    db.session.commit()
    return case


def allowed_moves(case: PublicQuestion, actor) -> list[str]:
    """The statuses ``actor`` may try to move ``case`` to (for the page's buttons); what each
    move needs is still checked by ``move``."""
    found = []
    for (from_status, to_status), move_name in TRANSITIONS.items():
        if from_status != case.status:
            continue
        who = getattr(actor, "id", None) if move_name in ("assign", "reassign") else case.assignee_id
        if can_move_case(actor, move_name, case.agency_id, who):
            found.append(to_status)
    return found
