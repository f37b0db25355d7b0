"""The questions journalists asked at a held conference, and each one turned into a clause-12 case
with one click.

Who asked: a journalist of the directory (their outlet taken from the directory when they write
for one) or a name as typed; their outlet: one of the directory or a name as typed. Only the
conference's agency (its manager and staff: ``require_writer``) records questions and opens
their cases.

``open_question_case`` opens the case through the cases API (``check_case_opening`` +
``build_case``: a manual source with channel ``press_conference``, the outlet, the conference's
title as the programme and its day as the day reported) and ties it to the question in the same
transaction: the question's ``case_id`` is set by ``UPDATE … WHERE case_id IS NULL``, so a second
click, or two clicks at once, never open a second case (the loser rolls back and is shown the
first case).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.clock import to_local
from app.extensions import db
from app.jalali import format_jalali_date
from app.policy import can_write_conference
from app.services import NotFound, ServiceError
from app.services.case_inputs import TITLE_MAX, ManualSource, shortened
from app.services.cases import build_case, check_case_opening, get_case
from app.services.conference_inputs import ConferenceInputError
from app.services.conference_timeline import add_event
from app.services.conferences import get_conference, require_writer
from app.services.digits import shown_number
from models import (
    ConferenceQuestion,
    Journalist,
    Outlet,
    PressConference,
    PublicQuestion,
)
from search_index.persian import normalize_for_storage, to_persian_digits

TEXT_MAX = 5000
NAME_MAX = 200


@dataclass
class QuestionInput:
    """A question as typed: who asked (a directory id or a name), their outlet (an id or a name)."""

    text: str = ""
    journalist_id: int | None = None
    asked_by_name: str = ""
    outlet_id: int | None = None
    outlet_name: str = ""
    answer_summary: str = ""


def clean_field(value: str | None, limit: int, what: str, field: str, *, lines: bool = False) -> str:
    """A typed field tidied (spaces, and line ends when ``lines``). :raise ConferenceInputError: too long."""
    text = normalize_for_storage(value or "").replace("\r\n", "\n")
    text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip() if lines else " ".join(text.split())
    if len(text) > limit:
        raise ConferenceInputError(_("%(what)s نباید بیش از %(n)s نویسه باشد.", what=what, n=shown_number(limit)),
                                 field)
    return text


def _require_held(conference: PressConference) -> None:
    if conference.status != "held":
        raise ServiceError(_("پرسش‌های خبرنگاران پس از برگزاری نشست ثبت می‌شوند."))


def add_question(conference_id: int, data: QuestionInput, actor) -> ConferenceQuestion:
    """Record a question asked at a held conference of the actor's agency; timeline, audit, commit.

    :raise NotFound: the conference is not in the actor's scope.
    :raise NotAllowed: the actor is not the conference agency's manager or staff.
    :raise ConferenceInputError: no text, nobody who asked, an unknown journalist or outlet.
    """
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    _require_held(conference)
    text = clean_field(data.text, TEXT_MAX, _("متن پرسش"), "text", lines=True)
    if not text:
        raise ConferenceInputError(_("متن پرسش را بنویسید."), "text")
    journalist = db.session.get(Journalist, data.journalist_id) if data.journalist_id else None
    if data.journalist_id and journalist is None:
        raise ConferenceInputError(_("این خبرنگار در فهرست رسانه‌ها نیست."), "journalist_id")
    outlet = db.session.get(Outlet, data.outlet_id) if data.outlet_id else None
    if data.outlet_id and outlet is None:
        raise ConferenceInputError(_("این رسانه در فهرست رسانه‌ها نیست."), "outlet_id")
    asked_by = clean_field(data.asked_by_name, NAME_MAX, _("نام پرسش‌کننده"), "asked_by_name")
    outlet_name = clean_field(data.outlet_name, NAME_MAX, _("نام رسانه"), "outlet_name")
    if journalist is None and not asked_by:
        raise ConferenceInputError(_("پرسش‌کننده را از فهرست خبرنگاران برگزینید یا نامش را بنویسید."), "asked_by_name")
    if outlet is None and not outlet_name and journalist is not None and len(journalist.outlets) == 1:
        outlet = journalist.outlets[0]
    question = ConferenceQuestion(
        conference_id=conference.id, journalist_id=journalist.id if journalist else None,
        asked_by_name="" if journalist else asked_by, outlet_id=outlet.id if outlet else None,
        outlet_name="" if outlet else outlet_name, text=text, created_by_id=getattr(actor, "id", None),
        answer_summary=clean_field(data.answer_summary, TEXT_MAX, _("خلاصهٔ پاسخ"), "answer_summary", lines=True))
    conference.questions.append(question)
    db.session.flush()
    add_event(conference, "question_added", actor, text=shortened(text, 200), question_id=question.id,
              asked_by=asker_name(question), outlet=outlet_label(question))
    db.session.commit()
    return question


def asker_name(question: ConferenceQuestion) -> str:
    return question.journalist.name if question.journalist else question.asked_by_name


def outlet_label(question: ConferenceQuestion) -> str:
    return question.outlet.name if question.outlet else question.outlet_name


def _question(conference: PressConference, question_id: int | None) -> ConferenceQuestion:
    question = db.session.scalar(select(ConferenceQuestion).where(
        ConferenceQuestion.id == question_id, ConferenceQuestion.conference_id == conference.id)) \
        if question_id else None
    if question is None:
        raise NotFound(_("این پرسش در این نشست نیست."))
    return question


@dataclass(frozen=True)
class QuestionCase:
    question: ConferenceQuestion
    case: PublicQuestion
    created: bool  # False: the question had its case already (nothing changed)


def open_question_case(conference_id: int, question_id: int | None, actor) -> QuestionCase:
    """Open the clause-12 case of a question (accepted at once, for the conference's agency),
    carrying who asked and their outlet; the question keeps the case. Idempotent: a question that
    has its case returns it and changes nothing. One commit (the case, its timeline, the
    question's link, the conference's timeline line).

    :raise NotFound: the conference or the question is not in the actor's scope.
    :raise NotAllowed: the actor is not the conference agency's manager or staff.
    """
    conference = get_conference(conference_id)
    require_writer(actor, conference)
    question = _question(conference, question_id)
    if question.case_id is not None:
        return QuestionCase(question, get_case(question.case_id), created=False)
    who, outlet = asker_name(question), outlet_label(question)
    day = to_local(conference.starts_at).date()
    manual = ManualSource(channel="press_conference", outlet_name=outlet or who,
                          programme=shortened(conference.title, 200), reported_on=day)
    notes = _("پرسش %(who)s (%(outlet)s) در نشست خبری «%(title)s»، %(day)s.", who=who, outlet=outlet or "—",
              title=conference.title, day=to_persian_digits(format_jalali_date(day, digits="en")))
    checked = check_case_opening(actor, agency=conference.agency, manual=manual, title=shortened(question.text, TITLE_MAX),
                                 question=question.text, kind="question", notes=notes, accept=True)
    try:
        case = build_case(actor, **checked)
        taken = db.session.execute(update(ConferenceQuestion)
                                   .where(ConferenceQuestion.id == question.id, ConferenceQuestion.case_id.is_(None))
                                   .values(case_id=case.id).execution_options(synchronize_session=False)).rowcount
        if taken != 1:  # another click got there first: its case stands, this one never existed
            db.session.rollback()
            db.session.refresh(question)
            return QuestionCase(question, get_case(question.case_id), created=False)
        add_event(conference, "question_case", actor, text=case.ref, question_id=question.id, case_ref=case.ref,
                  asked_by=who, outlet=outlet)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    db.session.refresh(question)
    return QuestionCase(question, case, created=True)


def questions_section(conference: PressConference, actor) -> dict:
    """The conference page's questions: each with who asked, the outlet and its case, if any."""
    rows = [{"question": q, "who": asker_name(q), "outlet": outlet_label(q)} for q in conference.questions]
    return {"rows": rows, "can_write": can_write_conference(actor, conference.agency_id),
            "is_held": conference.status == "held"}
