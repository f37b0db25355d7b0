"""The case workflow: every move, legal and illegal, by each role; what each move needs; a
refused move changes nothing (status, timeline, audit)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.scoping import agency_scope
from app.services import NotAllowed, NotFound, ServiceError
from app.services.case_inputs import MSG_BAD_KIND, choice
from app.services.case_workflow import TRANSITIONS, allowed_moves
from app.services.cases import (
    ManualSource,
    PublicationLink,
    add_note,
    add_publication_link,
    add_source,
    case_as_dict,
    case_by_ref,
    list_cases,
    move,
    open_case,
    save_answer,
    timeline,
    transfer,
    update_details,
)
from models import (
    CASE_STATUSES,
    AuditEntry,
    CaseEvent,
    CaseSource,
    ItemRoute,
    PublicQuestion,
)
from tests.services import case_fixtures
from tests.services.case_fixtures import LINK, OPENED

# The shared fixtures (bound here so pytest finds them in this module).
desk, make_item = case_fixtures.desk, case_fixtures.make_item

ROLES = ("admin", "supervisor", "manager", "staff", "staff2", "viewer", "manager_b", "staff_b")
WRITERS_OF_A = {"admin", "supervisor", "manager", "staff", "staff2"}


def _kwargs(desk, move_name):
    """What each move needs, for a case of agency A (``staff`` is its assignee once assigned)."""
    return {
        "reject": {"reason": "پرسش نیست"},
        "reopen": {"reason": "پاسخ کامل نبود"},
        "merge": {"into": desk.open("new")},
        "reassign": {"assignee": desk.staff2},
        "draft": {"answer": "پاسخ سازمان"},
        "publish": {"link": LINK},
    }.get(move_name, {})


# (from, to) → the roles that may make the move on a case of agency A.
EXPECTED = {
    ("new", "accepted"): WRITERS_OF_A,
    ("new", "rejected"): WRITERS_OF_A,
    ("accepted", "rejected"): WRITERS_OF_A,
    ("new", "merged"): WRITERS_OF_A,
    ("accepted", "merged"): WRITERS_OF_A,
    ("assigned", "merged"): WRITERS_OF_A,
    ("accepted", "assigned"): {"manager", "staff", "staff2"},  # staff take it themselves
    ("assigned", "assigned"): {"manager"},
    ("drafted", "assigned"): {"manager"},
    ("approved", "assigned"): {"manager"},
    ("assigned", "drafted"): {"manager", "staff"},  # the assignee, not another staff user
    ("drafted", "approved"): {"manager"},
    ("approved", "published"): {"manager", "staff", "staff2"},
    ("published", "closed"): WRITERS_OF_A,
    ("closed", "accepted"): {"admin", "supervisor", "manager"},
}


def _counts(case_id):
    db.session.expire_all()
    return (db.session.get(PublicQuestion, case_id).status,
            db.session.scalar(select(func.count(CaseEvent.id)).where(CaseEvent.case_id == case_id)),
            db.session.scalar(select(func.count(AuditEntry.id))))


def test_the_table_covers_every_transition():
    assert set(EXPECTED) == set(TRANSITIONS)


@pytest.mark.parametrize("transition", sorted(EXPECTED), ids=lambda t: f"{t[0]}-{t[1]}")
def test_each_move_by_each_role(desk, transition):
    from_status, to_status = transition
    for role in ROLES:
        case = desk.open(from_status)
        kwargs = _kwargs(desk, TRANSITIONS[transition])
        before = _counts(case.id)
        actor = getattr(desk, role)
        if role in EXPECTED[transition]:
            assert to_status in allowed_moves(case, actor), role
            move(case, to_status, actor, **kwargs)
            status, events, _audit = _counts(case.id)
            assert events > before[1], role
            assert status == to_status, role
            last = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                      .order_by(CaseEvent.id.desc())).first()
            assert (last.kind, last.from_status, last.to_status, last.actor_id) == (
                "moved", from_status, to_status, actor.id), role
        else:
            assert to_status not in allowed_moves(case, actor), role
            with pytest.raises(NotAllowed):
                move(case, to_status, actor, **kwargs)
            assert _counts(case.id) == before, role


def test_illegal_moves_are_refused_and_change_nothing(desk):
    for from_status in CASE_STATUSES:
        case = desk.open(from_status)
        for to_status in CASE_STATUSES:
            if (from_status, to_status) in TRANSITIONS:
                continue
            before = _counts(case.id)
            for actor in (desk.manager, desk.supervisor):
                with pytest.raises(ServiceError, match="نمی‌رود") as refused:
                    move(case, to_status, actor, reason="x", answer="x", link=LINK, assignee=desk.staff)
                assert not isinstance(refused.value, NotAllowed)
            assert _counts(case.id) == before
    with pytest.raises(ServiceError, match="شناخته نیست"):
        move(desk.open("new"), "done", desk.manager)


def test_what_each_move_needs(desk):
    checks = [
        ("new", "rejected", {}, "دلیل رد کردن"),
        ("closed", "accepted", {}, "دلیل بازگشایی"),
        ("new", "merged", {}, "ادغام می‌شود برگزینید"),
        ("assigned", "drafted", {"answer": "   "}, "متن پاسخ را بنویسید"),
        ("approved", "published", {}, "نشانی انتشار پاسخ"),
        ("approved", "published", {"link": "javascript:alert(1)"}, "نشانی انتشار پاسخ"),
        # A bidi override kept in the link turned it around on the case page (a review of the forms).
        ("approved", "published", {"link": "https://portal.example.ir/answers/\u202e7"}, "نشانی انتشار پاسخ"),
        ("approved", "published", {"link": PublicationLink(url=LINK, kind="tv")}, "جای انتشار"),
        # an address the public cannot reach, as «http://localhost/…» is refused (session 45: 127.0.0.1 was taken)
        ("approved", "published", {"link": "http://127.0.0.1:5000/answers/7"}, "نشانی انتشار پاسخ"),
        ("approved", "published", {"link": "http://10.1.2.3/answers/7"}, "نشانی انتشار پاسخ"),
        ("approved", "published", {"link": "http://[::1]/answers/7"}, "نشانی انتشار پاسخ"),
        ("approved", "published", {"link": "http://0.0.0.0/answers/7"}, "نشانی انتشار پاسخ"),
    ]
    for from_status, to_status, kwargs, message in checks:
        case = desk.open(from_status)
        before = _counts(case.id)
        with pytest.raises(ServiceError, match=message):
            move(case, to_status, desk.manager, **kwargs)
        assert _counts(case.id) == before
    case = desk.open("accepted")
    for wrong in (desk.viewer, desk.staff_b, desk.supervisor):
        with pytest.raises(ServiceError, match="از کارکنان روابط عمومی سازمان این پرونده نیست"):
            move(case, "assigned", desk.manager, assignee=wrong)
    with pytest.raises(NotAllowed, match="کارشناس تنها پرونده را به خودش"):  # staff assign only themselves
        move(case, "assigned", desk.staff, assignee=desk.staff2)
    with pytest.raises(NotAllowed) as refused:  # the governorate does not assign: not a word about staff
        move(case, "assigned", desk.supervisor, assignee=desk.staff)
    assert str(refused.value) == "واگذاری پرونده کار مدیر روابط عمومی سازمان است."
    move(case, "assigned", desk.manager, assignee=desk.staff)
    with pytest.raises(ServiceError, match="هم‌اکنون به"):
        move(case, "assigned", desk.manager, assignee=desk.staff)


def test_a_new_case_without_agency_waits_for_the_governorate(desk):
    case = open_case(desk.supervisor, agency=None, manual=ManualSource(channel="print", outlet_name="روزنامهٔ شهر"),
                     title="پرسش بی‌صاحب", opened_on=OPENED)
    with pytest.raises(NotAllowed):
        open_case(desk.staff, agency=None, manual=ManualSource(channel="print", outlet_name="روزنامه"), title="x")
    with pytest.raises(NotAllowed):
        move(case, "accepted", desk.manager)
    with pytest.raises(ServiceError, match="سازمان پاسخ‌گو را برگزینید"):
        move(case, "accepted", desk.supervisor)
    with pytest.raises(NotAllowed, match="ناظران استانداری"):
        move(desk.open("new"), "accepted", desk.manager, agency=desk.b)
    move(case, "accepted", desk.supervisor, agency=desk.b)
    assert case.agency_id == desk.b.id and timeline(case)[-1].data["agency"] == "power"


def test_accepting_for_another_agency_says_which_agency_it_came_from(desk):
    """A supervisor accepting a water case for power: the timeline and the audit entry named power
    only; which agency it came from was nowhere but the opening's audit row (a review of the cases
    commands, round 8)."""
    case = desk.open("new")
    move(case, "accepted", desk.supervisor, agency=desk.b)
    event = timeline(case)[-1]
    assert (event.data["from_agency"], event.data["agency"]) == ("water", "power")
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "case.moved")
                               .order_by(AuditEntry.id.desc())).first()
    # the statuses keep their own «from» and «to» (the review of this change: «from» held the agency)
    assert (audit.details["from_agency"], audit.details["agency"]) == ("water", "power")
    assert (audit.details["from"], audit.details["to"]) == ("new", "accepted")


def test_merge_moves_the_sources_and_both_timelines_say_so(desk, make_item):
    first, second = make_item(), make_item(title="دوباره: آب محله")
    target = desk.open("assigned", item_id=first.id)
    duplicate = desk.open("new", item_id=second.id)
    add_source(duplicate, desk.staff, item_id=first.id)  # the target has this item already
    move(duplicate, "merged", desk.staff, into=target, reason="همان پرسش")
    assert duplicate.merged_into_id == target.id and duplicate.sources == []
    assert sorted(s.item_id for s in target.sources) == [first.id, second.id]
    assert timeline(target)[-1].kind == "merged_in" and timeline(target)[-1].data["merged"] == duplicate.ref
    assert case_as_dict(duplicate)["merged_into"] == target.ref
    other = desk.open("new", agency=desk.b)
    with pytest.raises(NotAllowed, match="دو سازمان"):
        move(desk.open("new"), "merged", desk.manager, into=other)
    with pytest.raises(ServiceError, match="در خودش"):
        move(target, "merged", desk.manager, into=target)
    with pytest.raises(ServiceError, match="ادغام‌شده"):
        move(desk.open("new"), "merged", desk.manager, into=duplicate)


def test_return_approval_publication_and_reopen(desk):
    case = desk.open("approved")
    assert case.approved_by_id == desk.manager.id
    move(case, "assigned", desk.manager, reason="منبع را بیفزایید", assignee=desk.staff2)
    assert case.approved_by_id is None and case.assignee_id == desk.staff2.id and case.answer
    move(case, "drafted", desk.staff2)  # the saved answer is the draft
    move(case, "approved", desk.manager, answer="پاسخ ویراسته")
    move(case, "published", desk.staff, link=PublicationLink(url=LINK, label="درگاه", kind="portal"))
    assert case.answered_on is not None and case.published_at is not None
    add_publication_link(case, PublicationLink(url="https://radio.example.ir/p/1", kind="outlet"), desk.staff)
    assert [p.kind for p in case.publications] == ["portal", "outlet"]
    move(case, "closed", desk.staff)
    old_deadline = case.deadline
    move(case, "accepted", desk.manager, reason="پرسش تازه‌ای پیش آمد")
    assert case.status == "accepted" and case.closed_at is None
    assert case.deadline_start > OPENED and case.deadline > old_deadline
    with pytest.raises(NotAllowed):
        add_publication_link(case, LINK, desk.staff)


def test_a_link_published_again_after_a_reopen_is_kept_once(desk):
    """Published, closed, reopened and published again at the same address: the links held it twice
    and the export repeated it (a review of the commands, round 3). Added by hand again: refused."""
    case = desk.open("approved")
    move(case, "published", desk.staff, link=LINK)
    move(case, "closed", desk.staff)
    move(case, "accepted", desk.manager, reason="پرسش تازه")
    move(case, "assigned", desk.manager, assignee=desk.staff)
    move(case, "drafted", desk.staff, answer="پاسخ دوم")
    move(case, "approved", desk.manager)
    move(case, "published", desk.staff, link=LINK + "/")  # a final «/» is the same page (session 45)
    assert [p.url for p in case.publications] == [LINK] and case.status == "published"
    for again in (LINK, LINK + "/", LINK.replace("https://water", "HTTPS://Water")):
        with pytest.raises(ServiceError, match="از پیش در نشانی‌های انتشار"):
            add_publication_link(case, again, desk.staff)


def test_merging_a_case_that_others_were_merged_into_takes_them_along(desk):
    """A → B, then B → C left a chain: C's page named only B, so A's question was out of sight of the
    case that answers it (a review of the commands, round 3). A now names C too."""
    first, middle, last = desk.open("new"), desk.open("new"), desk.open("new")
    move(first, "merged", desk.staff, into=middle)
    move(middle, "merged", desk.staff, into=last)
    assert first.merged_into_id == middle.merged_into_id == last.id
    assert timeline(middle)[-1].data["duplicates_moved"] == [first.ref]
    assert timeline(first)[-1].kind == "merged_on" and timeline(first)[-1].data["into"] == last.ref


def test_a_chain_is_followed_across_agencies_under_the_mergers_scope(app, desk):
    """A supervisor merged another agency's case into this one; the manager merging this one, whose
    request sees only their agency's cases, left it pointing at the merged case (the review of this
    change): the moved duplicates are every agency's."""
    other = desk.open("new", agency=desk.b)
    middle, last = desk.open("new"), desk.open("new")
    move(other, "merged", desk.supervisor, into=middle)
    with agency_scope(desk.a.id):
        move(middle, "merged", desk.manager, into=last)
    db.session.expire_all()
    assert db.session.get(type(other), other.id).merged_into_id == last.id


def test_answer_notes_and_details(desk):
    case = desk.open("assigned")
    with pytest.raises(NotAllowed):
        save_answer(case, "پاسخ", desk.staff2)
    with pytest.raises(ServiceError, match="متن پاسخ را بنویسید"):  # nothing was confirmed as saved
        save_answer(case, "   ", desk.staff)
    save_answer(case, "  پاسخ نخست  ", desk.staff)
    assert case.answer == "پاسخ نخست"
    saves = len([e for e in timeline(case) if e.kind == "answer_saved"])
    with pytest.raises(ServiceError, match="چیزی تغییر نکرد"):  # the same answer: no «ویرایش پاسخ» event
        save_answer(case, "پاسخ نخست", desk.staff)
    assert len([e for e in timeline(case) if e.kind == "answer_saved"]) == saves
    add_note(case, "با مدیر شبکه تماس گرفته شد", desk.staff2)
    add_note(case, "دوباره", desk.manager)
    assert case.notes == "با مدیر شبکه تماس گرفته شد\n\nدوباره"
    with pytest.raises(ServiceError, match="یادداشت را بنویسید"):
        add_note(case, " ", desk.manager)
    for outsider in (desk.viewer, desk.staff_b, desk.manager_b):
        with pytest.raises(NotAllowed):
            add_note(case, "x", outsider)
    deadline = case.deadline
    update_details(case, desk.manager, priority="low", kind="complaint")
    assert case.deadline_days == 10 and case.deadline > deadline and case.kind == "complaint"
    with pytest.raises(ServiceError, match="اولویت «soon» شناخته نیست"):
        update_details(case, desk.manager, priority="soon")
    kinds = [e.kind for e in timeline(case)]
    assert kinds[-4:] == ["answer_saved", "note_added", "note_added", "details_changed"]


def test_open_case_refuses_bad_input_and_keeps_nothing(desk, make_item):
    item = make_item()
    manual = ManualSource(channel="radio", outlet_name="رادیو استان")
    bad = [
        ({}, "منبع پرسش را بگویید"),
        ({"item_id": item.id, "manual": manual}, "هر دو با هم نه"),
        ({"item_id": 99999}, "خبری با شناسهٔ ۹۹۹۹۹ نیست"),
        ({"manual": ManualSource(channel="fax", outlet_name="x"), "title": "t"}, "مجرای «fax» شناخته نیست"),
        ({"manual": ManualSource(channel="tv", outlet_name=" "), "title": "t"}, "نام رسانه"),
        ({"manual": manual}, "عنوان پرسش را بنویسید"),
        ({"item_id": item.id, "kind": "gossip"}, "نوع «gossip» شناخته نیست"),
        ({"item_id": item.id, "priority": "asap"}, "اولویت «asap» شناخته نیست"),
        ({"item_id": item.id, "opened_on": OPENED.replace(year=OPENED.year + 5)}, "در آینده"),
        ({"item_id": item.id, "title": "x" * 301}, "۳۰۰"),
    ]
    for kwargs, message in bad:
        with pytest.raises(ServiceError, match=message):
            open_case(desk.staff, agency=desk.a, **kwargs)
    for outsider in (desk.viewer, desk.staff_b):
        with pytest.raises(NotAllowed):
            open_case(outsider, agency=desk.a, item_id=item.id)
    assert db.session.scalar(select(func.count(PublicQuestion.id))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_opening_from_an_item_accepts_its_route_and_refuses_a_second_case(desk, make_item):
    item = make_item()
    route = ItemRoute(item_id=item.id, agency_id=desk.a.id, rule_ids=[], matched=[], status="new")
    db.session.add(route)
    db.session.commit()
    case = open_case(desk.staff, agency=desk.a, item_id=item.id, accept=True)
    assert case.status == "accepted" and case.title == item.title
    assert [e.kind for e in timeline(case)] == ["opened", "moved"]
    assert db.session.get(ItemRoute, route.id).status == "accepted"
    with pytest.raises(ServiceError, match="پرونده ۱۴۰۵-۰۰۰۰۰۱ باز شده"):
        open_case(desk.staff2, agency=desk.a, item_id=item.id)
    # another agency may open its own case from the same item
    open_case(desk.staff_b, agency=desk.b, item_id=item.id)
    assert db.session.scalar(select(func.count(CaseSource.id)).where(CaseSource.item_id == item.id)) == 2
    with pytest.raises(NotAllowed):
        open_case(desk.viewer, agency=desk.a, item_id=make_item().id, accept=True)


def test_agency_isolation_of_reads(desk):
    mine, theirs = desk.open("new"), desk.open("new", agency=desk.b)
    with agency_scope(desk.a.id):
        assert case_by_ref(mine.ref).id == mine.id
        with pytest.raises(NotFound, match="پرونده‌ای با شمارهٔ"):
            case_by_ref(theirs.ref)
        assert [c.id for c in list_cases()] == [mine.id]
        assert db.session.scalars(select(PublicQuestion)).all() == [mine]
    with agency_scope(None):
        assert {c.id for c in list_cases()} == {mine.id, theirs.id}
    # a user of agency B cannot move agency A's case even when handed the object
    for outsider in (desk.manager_b, desk.staff_b):
        with pytest.raises(NotAllowed):
            move(mine, "accepted", outsider)
        with pytest.raises(NotAllowed):
            update_details(mine, outsider, title="x")
        with pytest.raises(NotAllowed):
            add_source(mine, outsider, manual=ManualSource(channel="tv", outlet_name="x"))


def test_case_as_dict_dates_are_jalali_with_ascii_digits(desk):
    data = case_as_dict(desk.open("new"))
    assert data["opened"] == "1405/02/20" and data["deadline"] == "1405/02/26"
    assert data["sources"][0] == {"item_id": None, "channel": "radio", "outlet": "رادیو استان",
                                  "programme": "صبح بخیر", "date": "1405/02/20"}
    assert data["overdue"] is True and data["agency"] == "water"


def test_the_governorate_sends_an_open_case_to_another_agency(desk):
    case = desk.open("drafted")
    for outsider in (desk.manager, desk.staff, desk.viewer, desk.manager_b):
        with pytest.raises(NotAllowed):
            transfer(case, desk.b, outsider, reason="کار برق است")
    with pytest.raises(ServiceError, match="دلیل فرستادن"):
        transfer(case, desk.b, desk.supervisor, reason=" ")
    with pytest.raises(ServiceError, match="سازمان دیگری"):
        transfer(case, desk.a, desk.supervisor, reason="x")
    transfer(case, desk.b, desk.supervisor, reason="کار برق است")
    assert (case.agency_id, case.status, case.assignee_id) == (desk.b.id, "accepted", None)
    event = timeline(case)[-1]
    assert (event.kind, event.data, event.text) == ("agency_changed", {"from": "water", "to": "power"}, "کار برق است")
    with agency_scope(desk.a.id), pytest.raises(NotFound):
        case_by_ref(case.ref)
    with pytest.raises(ServiceError, match="هنوز پاسخ نگرفته"):
        transfer(desk.open("published"), desk.b, desk.admin, reason="x")


def test_an_agency_holds_one_case_of_an_item_whichever_way_the_case_came(desk, make_item):
    """A review of the commands, round 6: opening a second case of an item in power was refused,
    but accepting water's case for power, or sending it there, made power two cases of one item
    (both counted, both reminded). Now refused alike, the holding case named; a case of other
    items goes as before."""
    item = make_item()
    water, power = desk.open("new", item_id=item.id), desk.open("new", agency=desk.b, item_id=item.id)
    with pytest.raises(ServiceError, match=f"پرونده {power.ref}|ادغام"):
        move(water, "accepted", desk.supervisor, agency=desk.b)
    with pytest.raises(ServiceError, match="ادغام"):
        transfer(water, desk.b, desk.supervisor, reason="کار برق است")
    db.session.expire_all()
    assert (water.status, water.agency_id) == ("new", desk.a.id)
    move(water, "accepted", desk.supervisor)  # for its own agency: as before
    move(water, "merged", desk.supervisor, into=power)  # the way the message names
    assert power.sources[0].item_id == item.id and water.status == "merged"
    other = desk.open("new", item_id=make_item("خبری دیگر").id)
    transfer(other, desk.b, desk.supervisor, reason="کار برق است")
    assert other.agency_id == desk.b.id


def test_a_merge_across_agencies_leaves_the_target_agency_one_case_of_an_item(desk, make_item):
    """A review of the commands, round 7: merging water's case of an item into another power case
    moved the item there while power's own case of it stayed: power held two live cases of one item
    (both counted, both reminded). Refused, the holding case named; merging into that case goes."""
    item = make_item()
    water, power = desk.open("new", item_id=item.id), desk.open("new", agency=desk.b, item_id=item.id)
    other_power = desk.open("new", agency=desk.b)
    with pytest.raises(ServiceError, match="ادغام"):
        move(water, "merged", desk.supervisor, into=other_power)
    db.session.expire_all()
    assert water.status == "new" and [s.item_id for s in other_power.sources] == [None]
    move(water, "merged", desk.supervisor, into=power)
    assert water.status == "merged" and [s.item_id for s in power.sources] == [item.id]


def test_no_edit_reaches_another_agencys_case(desk):
    """Every action of the API refuses the users of another agency (and viewers) and changes nothing."""
    assigned, published, target = desk.open("assigned"), desk.open("published"), desk.open("new")
    actions = [
        (assigned, lambda case, actor: save_answer(case, "پاسخ", actor)),
        (assigned, lambda case, actor: add_note(case, "یادداشت", actor)),
        (published, lambda case, actor: add_publication_link(case, "https://x.example.ir/1", actor)),
        (assigned, lambda case, actor: add_source(case, actor, manual=ManualSource(channel="tv", outlet_name="x"))),
        (assigned, lambda case, actor: update_details(case, actor, priority="urgent")),
        (assigned, lambda case, actor: transfer(case, desk.b, actor, reason="x")),
        (assigned, lambda case, actor: move(case, "merged", actor, into=target)),
    ]
    for case, action in actions:
        for outsider in (desk.staff_b, desk.manager_b, desk.viewer):
            before = _counts(case.id)
            with pytest.raises(NotAllowed):
                action(case, outsider)
            assert _counts(case.id) == before


def test_a_name_two_choices_share_picks_neither(app):
    """A label that two choices share once folded (a future translation, say) is refused, not
    read as whichever comes first."""
    labels = {"question": "پرسش", "ambiguity": "پرسش‌"}  # one with a stray ZWNJ
    with pytest.raises(ServiceError, match="نوع «پرسش» شناخته نیست"):
        choice("پرسش", ("question", "ambiguity"), labels, MSG_BAD_KIND)
    assert choice("Question", ("question", "ambiguity"), labels, MSG_BAD_KIND) == "question"
