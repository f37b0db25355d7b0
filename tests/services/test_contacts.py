"""Logging contacts: the journalist's only outlet, every bad field said in Persian, the future
refused, the local day in Tehran, links to items and cases (another agency's case is not found),
who corrects and deletes (the logger or the agency's manager), the audit trail, timelines and
agency isolation."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jalali import parse_jalali_datetime
from app.scoping import agency_scope
from app.services import NotAllowed, NotFound
from app.services.contact_pages import ContactQuery, contact_list, contact_timeline
from app.services.contacts import (
    ContactDraft,
    ContactInvalid,
    delete_contact,
    draft_of,
    log_contact,
    update_contact,
)
from models import AuditEntry, Contact, Feed, Item, PublicQuestion
from tests.services import contact_fixtures
from tests.services.contact_fixtures import log_at

cworld = contact_fixtures.cworld
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 1405/09/10 11:30 in Tehran


def _log(actor, **fields):
    with agency_scope(actor.agency_id):
        return log_contact(ContactDraft(**fields), actor, now=NOW)


def _invalid(actor, **fields) -> dict[str, str]:
    before = db.session.scalar(select(func.count(Contact.id)).execution_options(unscoped=True))
    with pytest.raises(ContactInvalid) as raised:
        _log(actor, **fields)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Contact.id)).execution_options(unscoped=True)) == before
    return raised.value.errors


def test_a_contact_with_a_journalist_of_one_outlet_counts_for_that_outlet(cworld):
    contact = _log(cworld.staff, journalist=str(cworld.one.id), topic="  برنامهٔ   شست‌وشوی شبکه ")
    assert (contact.outlet_id, contact.journalist_id, contact.agency_id) == (cworld.local1.id, cworld.one.id,
                                                                             cworld.water.id)
    assert (contact.direction, contact.channel, contact.topic) == ("outbound", "phone", "برنامهٔ شست‌وشوی شبکه")
    assert contact.happened_at == NOW and contact.logged_by_id == cworld.staff.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "contact.logged"))
    assert (entry.object_id, entry.agency_id, entry.details["outlet_id"]) == (contact.id, cworld.water.id,
                                                                              cworld.local1.id)


def test_a_journalists_switched_off_outlets_are_no_choice(cworld):
    """The code review: a journalist of two outlets, one switched off, was asked to choose (only one
    can be), and one of two switched-off outlets could not be logged at all."""
    cworld.provincial.is_active = False
    db.session.commit()
    assert _log(cworld.staff, journalist=str(cworld.two.id), topic="x").outlet_id == cworld.local2.id
    cworld.local2.is_active = False
    db.session.commit()
    assert _log(cworld.staff, journalist=str(cworld.two.id), topic="x").outlet_id is None


def test_a_save_that_changes_nothing_is_no_correction(cworld):
    """Logged «now» with its seconds, the edit page's date and time (to the minute) saved unchanged
    recorded a change of its time (a review of the contact log, LOW)."""
    with agency_scope(cworld.water.id):
        contact = log_contact(ContactDraft(outlet=str(cworld.local1.id), topic="گفت‌وگو"), cworld.staff,
                              now=NOW.replace(second=37, microsecond=5))
        at = contact.happened_at
        update_contact(contact.id, draft_of(contact), cworld.staff, now=NOW.replace(second=50))
    assert db.session.get(Contact, contact.id).happened_at == at == NOW.replace(second=0, microsecond=0)
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "contact.updated")) == 0


def test_a_journalist_of_two_outlets_asks_for_one_and_of_none_leaves_it_out(cworld):
    """Saved without an outlet, a contact with a journalist of two outlets counted for neither (the
    scorecard's local media, the lapsed list: a review of the contact log): the outlet is asked for."""
    assert _invalid(cworld.staff, journalist=str(cworld.two.id), topic="x") == {
        "outlet": "این خبرنگار برای چند رسانه کار می‌کند؛ رسانه‌ای را که تماس برای آن بود برگزینید."}
    assert _log(cworld.staff, journalist=str(cworld.free.id), topic="x").outlet_id is None
    chosen = _log(cworld.staff, journalist=str(cworld.two.id), outlet=str(cworld.provincial.id), topic="x")
    assert chosen.outlet_id == cworld.provincial.id


def test_every_bad_field_is_said_in_persian_and_nothing_is_stored(cworld):
    errors = _invalid(cworld.staff, direction="sideways", channel="pigeon", topic=" \u200c ", date="1405/13/01",
                      time="25:00", items="999", cases="1405-000777")
    assert errors == {
        "journalist": "خبرنگار یا رسانه‌ای را که با آن تماس بود برگزینید.",
        "direction": "سوی تماس را برگزینید: آن‌ها با ما یا ما با آن‌ها.",
        "channel": "راه تماس را از فهرست برگزینید.",
        "topic": "موضوع تماس را بنویسید.",
        "date": "ماه باید از ۱ تا ۱۲ باشد (نوشته‌شده: ۱۳).",  # the month typed, in the form's digits
        "time": "ساعت «۲۵:۰۰» خوانده نشد؛ آن را به شکل ساعت:دقیقه بنویسید، مانند ۱۰:۳۰.",
        "items": "خبری با شمارهٔ «۹۹۹» نیست.",
        "cases": "پرونده‌ای با شمارهٔ «۱۴۰۵-۰۰۰۷۷۷» در دسترس شما نیست.",
    }
    assert _invalid(cworld.staff, journalist="abc", outlet="99999", topic="x") == {
        "journalist": "این خبرنگار در فهرست رسانه‌ها نیست؛ از فهرست برگزینید.",
        "outlet": "این رسانه در فهرست رسانه‌ها نیست؛ از فهرست برگزینید."}
    assert _invalid(cworld.staff, outlet=str(cworld.closed.id), topic="x") == {
        "outlet": "این رسانه در فهرست رسانه‌ها نیست؛ از فهرست برگزینید."}
    assert _invalid(cworld.staff, outlet=str(cworld.local1.id), topic="x" * 301) == {
        "topic": "موضوع نباید بیش از ۳۰۰ نویسه باشد."}
    assert "اسفند سال ۱۴۰۵ فقط ۲۹ روز دارد" in _invalid(cworld.staff, outlet=str(cworld.local1.id), topic="x",
                                                        date="1405/12/30")["date"]


def test_a_day_before_five_years_back_is_a_typing_slip(cworld):
    """Found by a review of the forms: «1300/01/01» was stored (a contact of 1921, its time off by
    Tehran's old local mean time). Five Jalali years back is the first day, as for cases."""
    assert _invalid(cworld.staff, outlet=str(cworld.local1.id), topic="x", date="1300/01/01") == {
        "date": "روز تماس (۱۳۰۰/۰۱/۰۱) پیش از ۱۴۰۰/۰۱/۰۱ است؛ سال را درست بنویسید."}
    assert _log(cworld.staff, outlet=str(cworld.local1.id), topic="x", date="1400/01/01").happened_at is not None


def test_a_contact_whose_day_the_bound_passed_since_is_still_corrected(cworld):
    """A diff review: the bound moves every Nowruz, so a contact of 1400/01/05, logged when it was
    allowed, could no longer have its topic corrected a year later (its unchanged day refused)."""
    contact = _log(cworld.staff, outlet=str(cworld.local1.id), topic="نخست", date="1400/01/05")
    a_year_on = NOW + timedelta(days=365)  # 1406: the first day is now 1401/01/01
    kept = ContactDraft(outlet=str(cworld.local1.id), topic="درست‌شده", date="1400/01/05")
    with agency_scope(cworld.water.id):
        assert update_contact(contact.id, kept, cworld.staff, now=a_year_on).topic == "درست‌شده"
        with pytest.raises(ContactInvalid) as moved:  # a day moved there is still a typing slip
            update_contact(contact.id, replace(kept, date="1400/01/06"), cworld.staff, now=a_year_on)
    assert "پیش از ۱۴۰۱/۰۱/۰۱" in moved.value.errors["date"]


def test_more_than_a_day_ahead_is_refused_tomorrow_morning_is_not(cworld):
    # NOW is 1405/09/10 11:30 Tehran: up to 1405/09/11 11:30 is accepted.
    ok = _log(cworld.staff, outlet=str(cworld.local1.id), topic="x", date="۱۴۰۵/۰۹/۱۱", time="۰۹:۰۰")
    assert ok.happened_at == parse_jalali_datetime("1405/09/11 09:00")
    errors = _invalid(cworld.staff, outlet=str(cworld.local1.id), topic="x", date="1405/09/11", time="11:31")
    assert errors == {"date": "زمان تماس (۱۴۰۵/۰۹/۱۱ ۱۱:۳۱) بیش از یک روز پس از اکنون است؛ تماسی را که هنوز رخ "
                              "نداده ثبت نکنید."}


def test_the_date_and_time_are_local_a_date_alone_is_noon(cworld):
    late = _log(cworld.staff, outlet=str(cworld.local1.id), topic="x", date="1405/09/01", time="00:30")
    assert late.happened_at == datetime(2026, 11, 21, 21, 0, tzinfo=UTC)  # still 1 Azar in Tehran
    noon = _log(cworld.staff, outlet=str(cworld.local1.id), topic="x", date="1405/09/01")
    assert noon.happened_at == datetime(2026, 11, 22, 8, 30, tzinfo=UTC)


def _item_and_cases(cworld):
    feed = Feed(url="https://example.ir/rss", title="خوراک")
    db.session.add(feed)
    db.session.flush()
    item = Item(feed_id=feed.id, title="خبر قطعی آب", published_at=NOW, content_hash="h")
    day = NOW.date()
    mine, theirs = (PublicQuestion(ref=ref, ref_year=1405, ref_number=n, title=ref, agency_id=agency.id,
                                   opened_on=day, deadline_start=day, deadline_days=5, deadline=day)
                    for n, ref, agency in ((1, "1405-000001", cworld.water), (2, "1405-000002", cworld.power)))
    db.session.add_all([item, mine, theirs])
    db.session.commit()
    return item, mine, theirs


def test_links_to_items_and_to_the_agencys_own_cases_only(cworld):
    item, mine, theirs = _item_and_cases(cworld)
    contact = _log(cworld.staff, outlet=str(cworld.local1.id), topic="x", items=f"{item.id}، {item.id}",
                   cases="۱۴۰۵-۰۰۰۰۰۱")
    assert [i.id for i in contact.items] == [item.id] and [c.ref for c in contact.cases] == [mine.ref]
    assert _invalid(cworld.staff, outlet=str(cworld.local1.id), topic="x", cases=theirs.ref) == {
        "cases": "پرونده‌ای با شمارهٔ «۱۴۰۵-۰۰۰۰۰۲» در دسترس شما نیست."}


def test_only_an_agencys_manager_and_staff_log_contacts(cworld):
    for actor in (cworld.viewer, cworld.supervisor, cworld.admin):
        with pytest.raises(NotAllowed):
            _log(actor, outlet=str(cworld.local1.id), topic="x")


def test_the_logger_or_the_agencys_manager_corrects_and_deletes(cworld):
    contact = log_at(cworld.staff, "1405/09/01 10:00", outlet=cworld.local1, topic="نخست")
    draft = ContactDraft(outlet=str(cworld.local2.id), topic="درست‌شده", date="1405/09/02", time="11:00",
                         direction="inbound", channel="visit", notes="قرار مصاحبه برای هفتهٔ بعد")
    for outsider in (cworld.staff2, cworld.viewer):
        with agency_scope(cworld.water.id), pytest.raises(NotAllowed):
            update_contact(contact.id, draft, outsider)
    with agency_scope(cworld.power.id), pytest.raises(NotFound):
        update_contact(contact.id, draft, cworld.power_staff)  # another agency's: not found
    with agency_scope(cworld.water.id):
        update_contact(contact.id, draft, cworld.staff)
    db.session.expire_all()
    changed = db.session.get(Contact, contact.id)
    assert (changed.topic, changed.outlet_id, changed.direction, changed.channel) == (
        "درست‌شده", cworld.local2.id, "inbound", "visit")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "contact.updated"))
    assert entry.details["changed"]["topic"] == ["نخست", "درست‌شده"]
    assert entry.details["changed"]["notes"] == ["", "قرار مصاحبه برای هفتهٔ بعد"]  # notes audited (a review)
    with agency_scope(cworld.water.id), pytest.raises(NotAllowed):
        delete_contact(contact.id, cworld.staff2)
    with agency_scope(cworld.water.id):
        delete_contact(contact.id, cworld.manager)
    assert db.session.get(Contact, contact.id) is None
    gone = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "contact.deleted"))
    assert gone.details["topic"] == "درست‌شده" and gone.actor_id == cworld.manager.id
    assert gone.details["notes"] == "قرار مصاحبه برای هفتهٔ بعد"  # they were lost with the contact


def test_timelines_newest_first_and_an_outlet_gets_its_journalists_contacts(cworld):
    first = log_at(cworld.staff, "1405/08/30 10:00", journalist=cworld.one, topic="یکم")
    second = log_at(cworld.staff, "1405/09/01 09:00", outlet=cworld.local1, topic="دوم")
    # two outlets and none named: stored so before the outlet was asked for (a review of the contact log)
    free = Contact(agency_id=cworld.water.id, journalist_id=cworld.two.id, topic="بی‌رسانه",
                   happened_at=parse_jalali_datetime("1405/09/02 09:00"))
    db.session.add(free)
    db.session.commit()
    other = log_at(cworld.power_staff, "1405/09/03 09:00", journalist=cworld.one, topic="برق")
    with agency_scope(cworld.water.id):
        journalist = contact_timeline(cworld.staff, journalist_id=cworld.one.id)
        assert [c.id for c in journalist.contacts] == [first.id] and journalist.can_log
        outlet = contact_timeline(cworld.staff, outlet_id=cworld.local1.id)
        assert [c.id for c in outlet.contacts] == [second.id, first.id]
        # A contact with a journalist of local2 and no outlet belongs to local2's timeline too.
        assert [c.id for c in contact_timeline(cworld.staff, outlet_id=cworld.local2.id).contacts] == [free.id]
        assert [o.id for o in contact_timeline(cworld.staff, journalist_id=cworld.two.id).outlets] == sorted(
            [cworld.local2.id, cworld.provincial.id], key=lambda i: db.session.get(type(cworld.local2), i).name)
    with agency_scope(None):  # the governorate sees every agency's, with the agency shown
        everyone = contact_timeline(cworld.supervisor, journalist_id=cworld.one.id)
        assert [c.id for c in everyone.contacts] == [other.id, first.id]
        assert everyone.show_agency and not everyone.can_log


def test_the_log_filters_and_isolation(cworld):
    log_at(cworld.staff, "1405/08/30 10:00", journalist=cworld.one, topic="یکم", channel="visit")
    log_at(cworld.staff, "1405/09/01 09:00", outlet=cworld.local2, topic="دوم", direction="inbound")
    log_at(cworld.power_staff, "1405/09/01 09:00", outlet=cworld.local2, topic="برق")
    from app.jalali import parse_jalali_date

    def topics(user, scope, **query):
        with agency_scope(scope):
            return [c.topic for c in contact_list(user, ContactQuery(**query)).contacts]

    assert topics(cworld.staff, cworld.water.id) == ["دوم", "یکم"]
    assert topics(cworld.staff, cworld.water.id, channel="visit") == ["یکم"]
    assert topics(cworld.staff, cworld.water.id, direction="inbound") == ["دوم"]
    assert topics(cworld.staff, cworld.water.id, outlet=str(cworld.local1.id)) == ["یکم"]
    assert topics(cworld.staff, cworld.water.id, date_from=parse_jalali_date("1405/09/01")) == ["دوم"]
    assert topics(cworld.staff, cworld.water.id, date_to=parse_jalali_date("1405/08/30")) == ["یکم"]
    assert topics(cworld.power_staff, cworld.power.id) == ["برق"]
    assert sorted(topics(cworld.supervisor, None)) == ["برق", "دوم", "یکم"]
    assert topics(cworld.supervisor, None, agency="power") == ["برق"]
    with agency_scope(cworld.water.id):
        found = contact_list(cworld.staff, ContactQuery(journalist="12345"))
    assert found.errors == {"journalist": "این خبرنگار در فهرست رسانه‌ها نیست."}


def test_deleting_a_journalist_keeps_the_contact(cworld):
    contact = log_at(cworld.staff, "1405/09/01 10:00", journalist=cworld.one, topic="x")
    db.session.delete(cworld.one)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Contact, contact.id)
    assert kept.journalist_id is None and kept.outlet_id == cworld.local1.id
    assert NOW - timedelta(days=400) < kept.happened_at
