"""Saved searches and their alerts: items come in through the real feed import, and each new
matching item gives exactly one notification to the owner of each matching saved search."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services import NotFound, ServiceError
from app.services.alerts import (
    SearchRefused,
    create_saved_search,
    delete_saved_search,
    get_notification,
    get_saved_search,
    mark_all_read,
    mark_read,
    notify_new_items,
    set_alert,
    unread_count,
    update_saved_search,
)
from app.services.feed_pipeline import ingest_entries
from app.services.routing import create_rule
from models import AuditEntry, Item, Notification, Outlet, SavedSearch, utcnow
from tests.monitor.test_ingest import cli_import, rss


def write_feed(tmp_path, name: str, *entries) -> str:
    path = tmp_path / f"{name}.rss"
    path.write_text(rss(*entries), "utf-8")
    return str(path)


def notified(saved: SavedSearch) -> list[str]:
    """Titles of the items a saved search has notified, oldest first."""
    return list(db.session.scalars(select(Item.title).join(Notification, Notification.item_id == Item.id)
                                   .where(Notification.saved_search_id == saved.id).order_by(Notification.id)))


def total_notifications() -> int:
    return db.session.scalar(select(func.count(Notification.id)))


WATER = ("w1", "https://t.example.ir/w1", "قطعی آب در محلهٔ شمالی", "ساکنان از قطعی آب گلایه دارند")
POWER = ("p1", "https://t.example.ir/p1", "خاموشی برق در مرکز شهر", "برق سه ساعت قطع بود")
ROAD = ("r1", "https://t.example.ir/r1", "بازگشایی جاده", "جادهٔ کوهستانی بازگشایی شد")


def test_a_saved_search_gives_exactly_one_notification_per_new_matching_item(app, tmp_path, make_user):
    user = make_user()
    saved = create_saved_search(user, "آب", "قطعی آب")
    feed = write_feed(tmp_path, "one", WATER, POWER, ROAD)
    assert cli_import(app, feed)["items_new"] == 3
    assert notified(saved) == ["قطعی آب در محلهٔ شمالی"]
    assert unread_count(user) == 1

    # The same feed again, and the same feed under another name (same links: same items).
    assert cli_import(app, feed)["items_new"] == 0
    copy = write_feed(tmp_path, "copy", WATER, POWER, ROAD)
    assert cli_import(app, copy)["items_new"] == 0
    assert notified(saved) == ["قطعی آب در محلهٔ شمالی"]

    # A later item that matches: one more; running the notify again for every item adds nothing.
    second = ("w2", "https://t.example.ir/w2", "وصل شدن آب", "پس از قطعی آب دیروز، آب وصل شد")
    assert cli_import(app, write_feed(tmp_path, "two", WATER, second))["items_new"] == 1
    assert notified(saved) == ["قطعی آب در محلهٔ شمالی", "وصل شدن آب"]
    items = db.session.scalars(select(Item)).all()
    assert notify_new_items(db.session, items) == 0
    db.session.commit()
    assert total_notifications() == 2 and unread_count(user) == 2
    words = db.session.scalars(select(Notification.words).order_by(Notification.id)).first()
    assert "قطعی" in words and "آب" in words


def test_a_long_articles_words_past_routings_lead_are_alerted_as_the_search_page_finds_them(app, tmp_path, make_user):
    """Alerts read the first 5,000 characters routing reads; the search page reads the whole text: a
    long article's «بانک مرکزی» at character 17,929 was on the search page with no alert, and an
    exclusion past 5,000 characters kept nothing out (a review of the alerts)."""
    user = make_user()
    central = create_saved_search(user, "بانک", '"بانک مرکزی"')
    team = create_saved_search(user, "تیم", "تیم ملی -فوتبال")
    filler = "گزارشی از بازار و اقتصاد شهر " * 220  # ~6,600 characters
    long_bank = ("b1", "https://t.example.ir/b1", "گزارش بلند اقتصادی", filler + " رئیس بانک مرکزی گفت")
    long_team = ("t1", "https://t.example.ir/t1", "تیم ملی والیبال", "تیم ملی برد " + filler + " و فوتبال")
    assert cli_import(app, write_feed(tmp_path, "long", long_bank, long_team))["items_new"] == 2
    assert notified(central) == ["گزارش بلند اقتصادی"] and notified(team) == []


def test_the_database_refuses_a_second_notification_for_the_same_pair(app, tmp_path, make_user):
    """The unique (saved search, item) constraint is the last guard (a concurrent worker, a bug)."""
    from sqlalchemy.exc import IntegrityError

    user = make_user()
    saved = create_saved_search(user, "آب", "قطعی آب")
    cli_import(app, write_feed(tmp_path, "one", WATER))
    item_id = db.session.scalar(select(Item.id))
    db.session.add(Notification(user_id=user.id, saved_search_id=saved.id, item_id=item_id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert total_notifications() == 1
    # What notify uses when a concurrent worker got there first: the second insert is ignored.
    from app.services.alerts import _insert_ignoring_duplicates

    db.session.connection().execute(_insert_ignoring_duplicates(db.session), [
        {"user_id": user.id, "saved_search_id": saved.id, "item_id": item_id, "words": [], "created_at": utcnow()}])
    db.session.commit()
    assert total_notifications() == 1


def test_other_searches_and_other_users(app, tmp_path, make_user):
    alice, bob = make_user(), make_user()
    water = create_saved_search(alice, "آب", "قطعی آب")
    power = create_saved_search(bob, "برق", "خاموشی یا «قطع برق»")
    nothing = create_saved_search(bob, "زلزله", "زلزله")
    off = create_saved_search(alice, "جاده خاموش", "جاده", is_alert_on=False)
    cli_import(app, write_feed(tmp_path, "one", WATER, POWER, ROAD))
    assert notified(water) == ["قطعی آب در محلهٔ شمالی"]
    assert notified(power) == ["خاموشی برق در مرکز شهر"]
    assert notified(nothing) == [] and notified(off) == []
    assert unread_count(alice) == 1 and unread_count(bob) == 1
    # Turning the alert on applies to new items only.
    set_alert(off, alice, True)
    cli_import(app, write_feed(tmp_path, "two", ("r2", "https://t.example.ir/r2", "جاده بسته شد", "برف")))
    assert notified(off) == ["جاده بسته شد"]


def test_persian_spelling_variants_match(app, tmp_path, make_user):
    user = make_user()
    searches = {
        "arabic": create_saved_search(user, "ی و ک عربی", "كيفيت آب"),  # ي and ك typed in the query
        "zwnj": create_saved_search(user, "نیم‌فاصله", "روابط‌عمومی"),
        "phrase": create_saved_search(user, "عبارت", "«مسکن مهر» -تهران"),
        "digits": create_saved_search(user, "رقم", "۱۲ ساعت"),
    }
    cli_import(app, write_feed(
        tmp_path, "variants",
        ("a", "https://t.example.ir/a", "گزارش کیفیت آب شرب", "آزمایش"),  # Persian ی and ک in the item
        ("b", "https://t.example.ir/b", "نشست روابط عمومی", "با رسانه‌ها"),  # a space for the ZWNJ
        ("c", "https://t.example.ir/c", "واگذاری مسكن مهر", "در شهرستان"),  # Arabic ك in the item
        ("d", "https://t.example.ir/d", "مسکن مهر تهران", "در پایتخت"),  # excluded word
        ("e", "https://t.example.ir/e", "قطع آب 12 ساعته", "ASCII digits"),
    ))
    assert notified(searches["arabic"]) == ["گزارش کیفیت آب شرب"]
    assert notified(searches["zwnj"]) == ["نشست روابط عمومی"]
    assert notified(searches["phrase"]) == ["واگذاری مسكن مهر"]
    assert notified(searches["digits"]) == []  # «۱۲ ساعت» is not «12 ساعته»: whole words only
    assert create_saved_search(user, "ساعته", "۱۲ ساعته") and cli_import(app, write_feed(
        tmp_path, "later", ("f", "https://t.example.ir/f", "خاموشی ۱۲ ساعته", "")))["items_new"] == 1
    assert notified(db.session.scalar(select(SavedSearch).where(SavedSearch.name == "ساعته"))) == ["خاموشی ۱۲ ساعته"]


def test_outlet_scope_and_agency_filters(app, tmp_path, make_user, make_agency):
    local = Outlet(name="روزنامهٔ محلی", scope="local")
    national = Outlet(name="خبرگزاری سراسری", scope="national")
    db.session.add_all([local, national])
    db.session.commit()
    water_agency = make_agency(slug="water")
    create_rule(water_agency, "آب", "آب", actor_label="test")
    user = make_user(agency=water_agency)  # an agency filter is for one's own agency
    by_scope = create_saved_search(user, "محلی", "قطعی", {"scope": "local"})
    by_outlet = create_saved_search(user, "سراسری", "قطعی", {"outlet_id": national.id})
    by_agency = create_saved_search(user, "ارجاع به آب", "قطعی", {"agency": "water"})
    cli_import(app, write_feed(tmp_path, "local", WATER), outlet="روزنامهٔ محلی")
    cli_import(app, write_feed(tmp_path, "national", POWER, ("w9", "https://t.example.ir/w9", "قطعی آب روستا", "")),
               outlet="خبرگزاری سراسری")
    assert notified(by_scope) == ["قطعی آب در محلهٔ شمالی"]
    assert notified(by_outlet) == ["قطعی آب روستا"]  # «خاموشی برق…» has «قطع», not «قطعی»
    assert sorted(notified(by_agency)) == ["قطعی آب در محلهٔ شمالی", "قطعی آب روستا"]


def test_a_query_with_a_syntax_error_is_refused_in_persian_with_its_position(app, make_user):
    user = make_user()
    with pytest.raises(SearchRefused) as refused:
        create_saved_search(user, "ناقص", 'قطعی "آب شرب')
    assert refused.value.position == 5
    assert "گیومه" in str(refused.value) and "۶" in str(refused.value)
    with pytest.raises(SearchRefused) as refused:
        create_saved_search(user, "فقط حذف", "-تهران")
    assert "دست‌کم یک واژه" in str(refused.value)
    with pytest.raises(ServiceError):
        create_saved_search(user, "   ", "آب")
    assert db.session.scalar(select(func.count(SavedSearch.id))) == 0
    saved = create_saved_search(user, "آب", "آب")
    with pytest.raises(ServiceError):
        create_saved_search(user, "آب", "برق")  # the same name twice
    with pytest.raises(SearchRefused):
        update_saved_search(saved, user, name="آب", query="آب یا")
    db.session.rollback()
    assert db.session.get(SavedSearch, saved.id).query == "آب"


def test_changes_are_audited_and_cache_follows_them(app, tmp_path, make_user):
    user = make_user()
    saved = create_saved_search(user, "آب", "زلزله")
    cli_import(app, write_feed(tmp_path, "one", WATER))
    assert notified(saved) == []
    update_saved_search(saved, user, name="آب شهر", query="قطعی آب", filters={"sort": "newest"})
    cli_import(app, write_feed(tmp_path, "two", ("w3", "https://t.example.ir/w3", "قطعی آب دوباره", "")))
    assert notified(saved) == ["قطعی آب دوباره"]
    set_alert(saved, user, False)
    cli_import(app, write_feed(tmp_path, "three", ("w4", "https://t.example.ir/w4", "قطعی آب سوم", "")))
    assert notified(saved) == ["قطعی آب دوباره"]
    delete_saved_search(saved, user)
    assert total_notifications() == 0
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "SavedSearch")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["saved_search.created", "saved_search.updated", "saved_search.alert_off",
                       "saved_search.deleted"]
    updated = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "saved_search.updated"))
    assert updated.details["before"]["query"] == "زلزله" and updated.details["after"]["query"] == "قطعی آب"


def test_another_users_saved_search_and_notifications_are_not_found(app, tmp_path, make_user):
    alice, bob, admin = make_user(), make_user(), make_user(role="admin")
    saved = create_saved_search(alice, "آب", "قطعی آب")
    cli_import(app, write_feed(tmp_path, "one", WATER))
    notification = db.session.scalar(select(Notification))
    for other in (bob, admin):
        with pytest.raises(NotFound):
            get_saved_search(saved.id, other)
        with pytest.raises(NotFound):
            get_notification(notification.id, other)
        with pytest.raises(NotFound):
            update_saved_search(saved, other, name="x", query="y")
        with pytest.raises(NotFound):
            delete_saved_search(saved, other)
        with pytest.raises(NotFound):
            mark_read(notification, other)
        assert mark_all_read(other) == 0
    assert unread_count(alice) == 1
    assert mark_all_read(alice) == 1 and unread_count(alice) == 0


def test_ingest_caller_commits_notifications_with_the_items(app, make_user):
    """Routing in the ingest's transaction (FEED_ROUTING=in_transaction), alerts are written in
    it too: a rolled-back batch leaves no notification."""
    from app.monitor.parse import parse_feed
    from models import Feed, utcnow

    app.config["FEED_ROUTING"] = "in_transaction"
    user = make_user()
    create_saved_search(user, "آب", "قطعی آب")
    feed = Feed(url="https://t.example.ir/rss")
    db.session.add(feed)
    db.session.commit()
    parsed = parse_feed(rss(WATER).encode())
    ingest_entries(db.session, feed, parsed.entries, fetched_at=utcnow())
    assert db.session.scalar(select(func.count(Notification.id))) == 1  # inside the transaction
    db.session.rollback()
    assert total_notifications() == 0 and db.session.scalar(select(func.count(Item.id))) == 0


def test_routing_after_the_commit_notifies_when_the_backlog_is_drained(app, make_user):
    """Routing after the ingest's commit (the default), the alert follows the routes: nothing in
    the ingest's transaction (a rolled-back batch leaves neither items nor backlog rows), the
    notification when the backlog is drained, once."""
    from app.monitor.parse import parse_feed
    from app.services.routing_backlog import backlog_size, drain_backlog
    from models import Feed, utcnow

    user = make_user()
    create_saved_search(user, "آب", "قطعی آب")
    feed = Feed(url="https://t.example.ir/rss")
    db.session.add(feed)
    db.session.commit()
    parsed = parse_feed(rss(WATER).encode())
    ingest_entries(db.session, feed, parsed.entries, fetched_at=utcnow())
    assert db.session.scalar(select(func.count(Notification.id))) == 0 and backlog_size() == 1
    db.session.rollback()
    assert backlog_size() == 0 and db.session.scalar(select(func.count(Item.id))) == 0
    ingest_entries(db.session, feed, parsed.entries, fetched_at=utcnow())
    db.session.commit()
    assert total_notifications() == 0
    assert drain_backlog()["notifications"] == 1
    assert drain_backlog()["notifications"] == 0 and total_notifications() == 1


def test_an_article_given_back_to_its_own_outlet_is_alerted_as_that_outlets(app, make_user):
    """An aggregator republishes a local paper's article first; when the paper's feed gives it, the
    item becomes the paper's, with its scope and its own words: the saved searches for the local
    scope or the paper, or for a word only the paper's text has, were never alerted (a review of the
    alerts, MEDIUM)."""
    from tests.monitor.test_ingest import _outlets_with_feeds, poll

    (_agg, (agg_feed,)), (paper, (paper_feed,)) = _outlets_with_feeds(
        ("خبرگزاری سراسری", "https://agg.example.org", ["https://agg.example.org/rss"]),
        ("روزنامه محلی", "https://local-paper.example/", ["https://local-paper.example/rss"]))
    paper.scope = "local"
    db.session.commit()
    user = make_user()
    local = create_saved_search(user, "محلی", "پتروشیمی", {"scope": "local"})
    own_words = create_saved_search(user, "اعتراض", "اعتراض پتروشیمی")
    poll(agg_feed, ("a1", "https://local-paper.example/news/5", "پتروشیمی شهر", "گزارش کوتاه پتروشیمی"))
    assert notified(local) == [] and notified(own_words) == []
    assert poll(paper_feed, ("p5", "https://local-paper.example/news/5", "پتروشیمی شهر",
                             "اعتراض کارگران پتروشیمی به دستمزدها")).reclaimed == 1
    assert notified(local) == ["پتروشیمی شهر"] and notified(own_words) == ["پتروشیمی شهر"]
