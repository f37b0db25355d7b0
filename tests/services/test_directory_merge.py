"""Merging two records of one journalist (or one outlet): the duplicate's whole history names the
record kept, nothing is lost, the duplicate is gone, and the audit entry says what moved."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services import NotAllowed, NotFound, ServiceError
from app.services.conference_invitations import InviteRequest, invite
from app.services.contacts import ContactDraft, log_contact
from app.services.directory_merge import merge_journalists, merge_outlets
from app.services.directory_notes import add_note
from models import (
    AuditEntry,
    ConferenceInvitation,
    ConferenceQuestion,
    Contact,
    DirectoryNote,
    Feed,
    Item,
    ItemSighting,
    Journalist,
    JournalistPhone,
    Outlet,
    RoutingRule,
    SavedSearch,
)
from models.base import utcnow
from models.search_outbox import SearchOutbox
from tests.services import conference_fixtures
from tests.services.conference_fixtures import _journalist

conf = conference_fixtures.conf


@pytest.fixture
def twice(conf):
    """«مریم احمدی» entered a second time, by another desk: another phone, a Telegram handle, a beat,
    another outlet, a contact, a note, an invitation and a question of her own."""
    copy = _journalist("مريم احمدي", conf.provincial, "+989351110009")
    copy.handles, copy.beat, copy.email = {"telegram": "@maryam_news"}, "آب و محیط زیست", "other@example.ir"
    copy.phones.append(JournalistPhone(e164="+989121110001", label="office"))  # the kept record's number too
    db.session.commit()
    log_contact(ContactDraft(journalist=str(copy.id), topic="کم‌آبی تابستان"), conf.staff)
    add_note(conf.staff, "پیگیر پرونده‌های آب", journalist_id=copy.id)
    first, second = conf.plan(), conf.plan(days=8, title="نشست دوم")
    invite(first.id, InviteRequest(journalist_ids=[conf.maryam.id, copy.id]), conf.staff)  # both invited once
    invite(second.id, InviteRequest(journalist_ids=[copy.id]), conf.staff)
    db.session.add(ConferenceQuestion(conference_id=first.id, journalist_id=copy.id, text="آب‌بها چرا گران شد؟"))
    db.session.commit()
    return copy


def test_a_journalist_entered_twice_is_merged_and_nothing_is_lost(conf, twice):
    copy_id = twice.id
    # At the first conference (both invited) it was the duplicate record that answered and came:
    # its row was dropped with it (the attendance lost, a review of the merge).
    both = {i.journalist_id: i for i in db.session.scalars(select(ConferenceInvitation).where(
        ConferenceInvitation.journalist_id.in_([conf.maryam.id, copy_id])))}
    first_conference = both[conf.maryam.id].conference_id
    came = db.session.scalar(select(ConferenceInvitation).where(
        ConferenceInvitation.journalist_id == copy_id, ConferenceInvitation.conference_id == first_conference))
    came.rsvp, came.rsvp_at, came.attended, came.note = "accepted", utcnow(), True, "با عکاس آمد"
    db.session.commit()
    merged = merge_journalists(conf.maryam.id, copy_id, actor=conf.manager)
    db.session.expire_all()
    kept = db.session.get(Journalist, conf.maryam.id)
    assert db.session.get(Journalist, copy_id) is None
    assert sorted(p.e164 for p in kept.phones) == ["+989121110001", "+989351110009"]
    assert {o.name for o in kept.outlets} == {"روزنامهٔ شهر", "رادیو استان"}
    assert kept.handles == {"telegram": "@maryam_news"} and kept.beat == "آب و محیط زیست"
    assert kept.email == "0001@example.ir"  # the kept record's value stays; the duplicate's is in the audit
    assert [c.topic for c in db.session.scalars(select(Contact).where(Contact.journalist_id == kept.id))] == ["کم‌آبی تابستان"]
    assert db.session.scalar(select(DirectoryNote.body).where(DirectoryNote.journalist_id == kept.id)) == "پیگیر پرونده‌های آب"
    assert db.session.scalar(select(ConferenceQuestion.text).where(ConferenceQuestion.journalist_id == kept.id))
    invitations = db.session.scalars(select(ConferenceInvitation).where(ConferenceInvitation.journalist_id == kept.id)).all()
    assert len(invitations) == 2  # one per conference: the first's kept, the second's moved
    first = next(i for i in invitations if i.conference_id == first_conference)
    assert (first.rsvp, first.attended, first.note) == ("accepted", True, "با عکاس آمد")  # folded into the kept row
    assert merged.moved == {"phones": 1, "outlets": 1, "contacts": 1, "notes": 1, "questions": 1, "invitations": 1,
                            "invitations_combined": 1}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "journalist.merged"))
    assert entry.object_id == kept.id and entry.actor_id == conf.manager.id
    assert entry.details["removed_id"] == copy_id and entry.details["differing"]["email"] == "other@example.ir"
    assert entry.details["differing"]["name"] == "مريم احمدي"


def test_merging_is_refused_to_staff_to_itself_and_to_a_missing_record(conf, twice):
    with pytest.raises(NotAllowed):
        merge_journalists(conf.maryam.id, twice.id, actor=conf.staff)
    with pytest.raises(ServiceError, match="با خودش"):
        merge_journalists(twice.id, twice.id, actor=conf.manager)
    with pytest.raises(NotFound):
        merge_journalists(conf.maryam.id, 999_999, actor=conf.manager)
    conf.maryam.is_active = False  # deactivated: the active duplicate would vanish with the merge
    db.session.commit()
    with pytest.raises(ServiceError, match="غیرفعال"):
        merge_journalists(conf.maryam.id, twice.id, actor=conf.manager)
    assert db.session.get(Journalist, twice.id) is not None  # nothing changed
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "journalist.merged")) == 0


def test_an_outlet_entered_twice_is_merged_with_its_journalists_feeds_and_items(conf):
    copy = Outlet(name="روزنامه شهر (تکراری)", name_key="x", scope="local", kind="newspaper", website="https://shahr.example.ir")
    db.session.add(copy)
    db.session.flush()
    conf.zahra.outlets.append(copy)
    conf.maryam.outlets.append(copy)  # already at the kept outlet: one row stays
    feed = Feed(url="https://shahr.example.ir/rss", title="شهر", outlet_id=copy.id)
    db.session.add(feed)
    db.session.flush()
    items = [Item(feed_id=feed.id, outlet_id=copy.id, title=f"خبر {i}", published_at=utcnow(), content_hash=str(i))
             for i in range(3)]
    db.session.add_all(items)
    db.session.commit()
    log_contact(ContactDraft(outlet=str(copy.id), topic="آگهی مناقصه"), conf.staff)
    # Another feed saw one of its items (the sighting names the outlet: the merge of every outlet
    # with a feed failed on it); a rule and a saved search are limited to the duplicate outlet.
    other = Feed(url="https://agg.example.ir/rss", title="", outlet_id=copy.id)
    db.session.add(other)
    db.session.flush()
    db.session.add(ItemSighting(feed_id=other.id, key_hash="k", item_id=items[0].id, outlet_id=copy.id,
                                content_hash="0"))
    rule = RoutingRule(agency_id=conf.staff.agency_id, name="روزنامهٔ شهر", query="آب", outlet_ids=[copy.id, conf.local1.id])
    saved = SavedSearch(user_id=conf.staff.id, name="شهر", query="آب", filters={"outlet_id": copy.id})
    db.session.add_all([rule, saved])
    db.session.commit()
    outbox_before = db.session.scalar(select(func.count(SearchOutbox.id)))
    merged = merge_outlets(conf.local1.id, copy.id, actor=conf.supervisor)
    db.session.expire_all()
    kept = db.session.get(Outlet, conf.local1.id)
    assert db.session.get(Outlet, copy.id) is None
    assert {j.name for j in db.session.scalars(select(Journalist).where(Journalist.outlets.any(Outlet.id == kept.id)))} \
        == {"مریم احمدی", "رضا کریمی", "زهرا موسوی"}
    assert db.session.get(Feed, feed.id).outlet_id == kept.id
    assert set(db.session.scalars(select(Item.outlet_id).where(Item.feed_id == feed.id))) == {kept.id}
    assert db.session.scalar(select(func.count(SearchOutbox.id))) == outbox_before + 3  # their documents name the outlet
    assert kept.website == "https://shahr.example.ir"  # the kept outlet had none
    assert merged.moved["journalists"] == 1 and merged.moved["items"] == 3 and merged.moved["contacts"] == 1
    assert db.session.scalar(select(ItemSighting.outlet_id).where(ItemSighting.feed_id == other.id)) == kept.id
    assert db.session.get(RoutingRule, rule.id).outlet_ids == [kept.id]
    assert db.session.get(SavedSearch, saved.id).filters == {"outlet_id": kept.id}
    assert (merged.moved["rules"], merged.moved["saved_searches"]) == (1, 1)
    assert ("نام", "روزنامه شهر (تکراری)") in merged.differing_shown()  # as the sheet heads it, not «name»


def test_a_merge_that_would_give_a_journalist_more_phones_than_the_form_takes_is_refused(conf, twice):
    """A review of the directory commands, round 9: a merge added 7 phones to a record's 2, and the
    journalist's page failed (the form takes at most 6)."""
    twice.phones.extend(JournalistPhone(e164=f"+98935111000{n}") for n in range(5))  # 7 numbers in all
    db.session.commit()
    with pytest.raises(ServiceError, match="بیش از ۶ تلفن"):
        merge_journalists(conf.maryam.id, twice.id, actor=conf.manager, dry_run=True)
    with pytest.raises(ServiceError, match="بیش از ۶ تلفن"):
        merge_journalists(conf.maryam.id, twice.id, actor=conf.manager)
    db.session.rollback()
    assert db.session.get(Journalist, twice.id) is not None and len(db.session.get(Journalist, conf.maryam.id).phones) <= 6
