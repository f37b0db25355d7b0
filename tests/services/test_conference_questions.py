"""Questions asked at a conference, and each turned into a clause-12 case with one click: the
case carries the journalist and outlet (a press-conference source line: outlet, the conference's
title, its day), the question keeps the case, a second click opens no second case, and only the
conference's agency does it."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.clock import to_local
from app.extensions import db
from app.services import NotAllowed, NotFound, ServiceError
from app.services.conference_inputs import ConferenceInputError
from app.services.conference_questions import (
    QuestionInput,
    add_question,
    open_question_case,
)
from models import AuditEntry, CaseSource, ConferenceEvent, PublicQuestion
from tests.services import conference_fixtures
from tests.services.conference_followup_fixtures import held

conf = conference_fixtures.conf


def _cases() -> int:
    return db.session.scalar(select(func.count()).select_from(PublicQuestion).execution_options(unscoped=True))


def test_a_question_from_the_directory_takes_the_journalists_outlet(conf):
    c = held(conf)
    q = add_question(c.id, QuestionInput(text="  جیره‌بندی آب   از کی؟ ", journalist_id=conf.maryam.id), conf.staff)
    assert (q.journalist_id, q.outlet_id, q.text, q.case_id) == (conf.maryam.id, conf.local1.id, "جیره‌بندی آب از کی؟", None)
    assert [e.kind for e in c.events][-1] == "question_added"


def test_a_question_by_free_text_keeps_the_names_as_typed(conf):
    c = held(conf)
    q = add_question(c.id, QuestionInput(text="نرخ آب‌بها؟", asked_by_name="علی نادری", outlet_name="هفته‌نامهٔ محله"),
                     conf.manager)
    assert (q.journalist_id, q.asked_by_name, q.outlet_id, q.outlet_name) == (None, "علی نادری", None, "هفته‌نامهٔ محله")


@pytest.mark.parametrize(("data", "field"), [
    (QuestionInput(text="  ", asked_by_name="x"), "text"),
    (QuestionInput(text="پرسش"), "asked_by_name"),
    (QuestionInput(text="پرسش", journalist_id=99999), "journalist_id"),
    (QuestionInput(text="پرسش", asked_by_name="x", outlet_id=99999), "outlet_id"),
])
def test_a_bad_question_is_refused_with_its_field(conf, data, field):
    c = held(conf)
    with pytest.raises(ConferenceInputError) as refused:
        add_question(c.id, data, conf.staff)
    assert refused.value.field == field
    assert c.questions == []


def test_questions_wait_for_the_conference_to_be_held(conf):
    c = conf.plan(days=3)
    with pytest.raises(ServiceError, match="پس از برگزاری"):
        add_question(c.id, QuestionInput(text="پرسش", asked_by_name="x"), conf.staff)


def test_one_click_opens_the_case_carrying_journalist_and_outlet(conf):
    c = held(conf, title="نشست خبری کم‌آبی")
    q = add_question(c.id, QuestionInput(text="چرا آب محلهٔ ما شب‌ها قطع است؟", journalist_id=conf.maryam.id),
                     conf.staff)
    result = open_question_case(c.id, q.id, conf.staff)
    case = result.case
    assert result.created and q.case_id == case.id
    assert (case.agency_id, case.status, case.question, case.title) == (
        conf.a.id, "accepted", q.text, "چرا آب محلهٔ ما شب‌ها قطع است؟")
    source = db.session.scalar(select(CaseSource).where(CaseSource.case_id == case.id))
    assert (source.channel, source.outlet_name, source.programme, source.reported_on) == (
        "press_conference", "روزنامهٔ شهر", "نشست خبری کم‌آبی", to_local(c.starts_at).date())
    assert "مریم احمدی" in case.notes and "روزنامهٔ شهر" in case.notes
    assert [e.kind for e in c.events][-1] == "question_case"
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"case.opened", "conference.question_case"} <= actions


def test_a_second_click_opens_no_second_case(conf):
    c = held(conf)
    q = add_question(c.id, QuestionInput(text="پرسش", asked_by_name="علی", outlet_name="رادیو"), conf.staff)
    first = open_question_case(c.id, q.id, conf.staff)
    again = open_question_case(c.id, q.id, conf.manager)
    assert not again.created and again.case.id == first.case.id
    assert _cases() == 1
    assert db.session.scalar(select(func.count()).select_from(ConferenceEvent)
                             .where(ConferenceEvent.kind == "question_case")) == 1


def test_a_click_that_lost_the_race_rolls_its_case_back(conf, monkeypatch):
    """Two clicks at once: this one read the question without a case, but another request tied a
    case to it before this one's guarded UPDATE: that case stands and this one's is rolled back."""
    from sqlalchemy import update

    from app.services import conference_questions as module
    from models import ConferenceQuestion

    c = held(conf)
    q1 = add_question(c.id, QuestionInput(text="پرسش یکم", asked_by_name="علی", outlet_name="رادیو"), conf.staff)
    q2 = add_question(c.id, QuestionInput(text="پرسش دوم", asked_by_name="علی", outlet_name="رادیو"), conf.staff)
    winner = open_question_case(c.id, q1.id, conf.staff).case  # stands in for the other click's case
    real = module.build_case

    def racing(actor, **checked):
        with db.engine.begin() as other:  # the other request commits first
            other.execute(update(ConferenceQuestion.__table__).where(ConferenceQuestion.id == q2.id)
                          .values(case_id=winner.id))
        return real(actor, **checked)

    monkeypatch.setattr(module, "build_case", racing)
    again = open_question_case(c.id, q2.id, conf.staff)
    assert not again.created and again.case.id == winner.id and again.question.case_id == winner.id
    assert _cases() == 1
    assert db.session.scalars(select(PublicQuestion.ref).execution_options(unscoped=True)).all() == [winner.ref]


@pytest.mark.parametrize("role", ["viewer", "supervisor", "admin", "staff_b"])
def test_only_the_conferences_agency_turns_questions_into_cases(conf, role):
    c = held(conf)
    q = add_question(c.id, QuestionInput(text="پرسش", asked_by_name="علی", outlet_name="رادیو"), conf.staff)
    actor = getattr(conf, role)
    from app.scoping import agency_scope

    with agency_scope(actor.agency_id if role in ("viewer", "staff_b") else None), \
            pytest.raises((NotAllowed, NotFound)):
        open_question_case(c.id, q.id, actor)
    assert _cases() == 0
