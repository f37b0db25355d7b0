"""Feed administration and item pages: health at a glance, try-before-save, OPML upload checks,
item filters with Jalali dates, the item page with its story cluster."""
from __future__ import annotations

import io
import re
from datetime import UTC

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services.demo import seed_demo_feeds
from models import AuditEntry, Feed, Item
from tests.conftest import csrf_token
from tests.monitor.feed_server import feed_server, feed_server_session  # noqa: F401 - fixtures


@pytest.fixture
def demo(app):
    seed_demo_feeds()


@pytest.fixture
def admin(make_user, login_as):
    user = make_user(role="admin")
    login_as(user)
    return user


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def test_feed_list_shows_health_at_a_glance(client, admin, demo):
    broken = Feed(url="https://broken.example.ir/rss", title="خوراک خراب", consecutive_failures=3,
                  last_error="سرور خطای ۵۰۰ داد", last_status=500)
    off = Feed(url="https://off.example.ir/rss", title="خوراک خاموش", is_active=False)
    db.session.add_all([broken, off])
    db.session.commit()
    broken.failing_since = broken.last_checked_at = db.session.scalar(select(func.min(Item.fetched_at)))
    db.session.commit()
    html = page(client, "/feeds/")
    assert "۳ بار پیاپی ناموفق" in html and "سرور خطای ۵۰۰ داد" in html
    assert "غیرفعال" in html and "فایل محلی" in html
    assert re.search(r"title=\"[^\"]+\">\((?:[۰-۹]+، ){6}[۰-۹]+\)</span>", html)  # items per day, 7 days
    failing_only = page(client, "/feeds/?state=failing")
    assert "خوراک خراب" in failing_only and "خوراک خاموش" not in failing_only


def test_supervisor_may_look_but_not_change(client, make_user, login_as, demo):
    login_as(make_user(role="supervisor"))
    feed_id = db.session.scalar(select(Feed.id))
    assert "خوراک" in page(client, "/feeds/")
    page(client, f"/feeds/{feed_id}")
    page(client, f"/feeds/{feed_id}/edit", 403)
    page(client, "/feeds/new", 403)


def test_try_this_feed_previews_without_saving(app, client, admin, feed_server):
    app.config["FEED_ALLOW_PRIVATE"] = "127.0.0.1/32"
    token = csrf_token(client, "/feeds/new")
    form = {"csrf_token": token, "url": feed_server.url("/feed.xml"), "title": "", "outlet": "", "agency": "",
            "poll_interval_minutes": "30", "encoding_override": "", "is_active": "y", "action": "try"}
    html = client.post("/feeds/new", data=form).get_data(as_text=True)
    assert "پیش‌نمایش خوراک" in html and "نشست خبری مدیرکل راه و شهرسازی" in html
    assert db.session.scalar(select(func.count()).select_from(Feed)) == 0
    bad = client.post("/feeds/new", data={**form, "url": feed_server.url("/page.html")}).get_data(as_text=True)
    assert "صفحهٔ HTML" in bad and db.session.scalar(select(func.count()).select_from(Feed)) == 0
    saved = client.post("/feeds/new", data={**form, "action": "save", "new_outlet": "خبرگزاری آزمون"})
    assert saved.status_code == 302
    feed = db.session.scalar(select(Feed))
    assert feed.outlet.name == "خبرگزاری آزمون" and feed.url.endswith("/feed.xml")
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "feed.created"))


def url_error(html: str) -> str:
    """The message shown under the feed form's URL field ('' when there is none)."""
    found = re.search(r'<div class="invalid-feedback d-block" id="url-feedback">(.*?)</div>', html, re.DOTALL)
    return found.group(1) if found else ""


@pytest.mark.parametrize("action", ["try", "save"])
def test_an_override_that_is_no_text_encoding_is_refused(app, client, admin, feed_server, action):
    """«bz2_codec» was a known codec to the form, and every poll of the feed would have inflated its
    body with it (a review of hostile feeds)."""
    app.config["FEED_ALLOW_PRIVATE"] = "127.0.0.1/32"
    form = {"csrf_token": csrf_token(client, "/feeds/new"), "url": feed_server.url("/feed.xml"), "title": "",
            "outlet": "", "agency": "", "poll_interval_minutes": "30", "encoding_override": "bz2_codec",
            "is_active": "y", "action": action}
    response = client.post("/feeds/new", data=form)
    assert response.status_code == 400 and "«bz2_codec» شناخته‌شده نیست" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Feed)) == 0 and feed_server.requests == []


def test_try_and_save_give_an_intranet_address_one_check_and_one_message(app, client, admin, feed_server):
    """Issue: «آزمودن» refused an intranet address while «ذخیره» accepted it and the first poll
    then failed. Both now make the one check, give the one message next to the field (naming
    the setting that allows an agency's intranet portal), keep what was typed, store nothing."""
    from app.services.feed_pipeline import poll_feeds

    app.config.update(FEED_ALLOW_PRIVATE="", FEED_CONNECT_TIMEOUT=2, FEED_READ_TIMEOUT=2, FEED_TOTAL_TIMEOUT=4)
    portal = feed_server.url("/feed.xml", host="localhost")  # the system resolver: loopback
    token = csrf_token(client, "/feeds/new")
    form = {"csrf_token": token, "url": portal, "title": "درگاه استانداری", "outlet": "", "agency": "",
            "poll_interval_minutes": "30", "encoding_override": "", "is_active": "y"}
    messages = set()
    for url in (portal, "http://10.20.30.40/rss"):  # a name that resolves inside, an address inside
        for action in ("try", "save"):
            response = client.post("/feeds/new", data={**form, "url": url, "action": action})
            html = response.get_data(as_text=True)
            assert response.status_code == 400, (url, action)
            message = url_error(html)
            assert "درون‌شبکه‌ای" in message and "HAMZABAN_FEED_ALLOW_PRIVATE" in message, (url, action, message)
            assert f'value="{url}"' in html and "درگاه استانداری" in html
            assert "پیش‌نمایش خوراک" not in html
            messages.add(message)
    assert len(messages) == 1
    assert db.session.scalar(select(func.count()).select_from(Feed)) == 0 and feed_server.connections == 0
    # Editing a feed onto an intranet address is the same check.
    feed = Feed(url="https://public.example.ir/rss", title="خوراک")
    db.session.add(feed)
    db.session.commit()
    edited = client.post(f"/feeds/{feed.id}/edit", data={**form, "action": "save"})
    assert edited.status_code == 400 and url_error(edited.get_data(as_text=True)) in messages
    # The admin does what the message says: try previews the portal, save keeps it, the poll reads it.
    app.config["FEED_ALLOW_PRIVATE"] = "localhost"
    tried = client.post("/feeds/new", data={**form, "action": "try"}).get_data(as_text=True)
    assert "پیش‌نمایش خوراک" in tried and "نشست خبری مدیرکل راه و شهرسازی" in tried and not url_error(tried)
    assert client.post("/feeds/new", data={**form, "action": "save"}).status_code == 302
    saved = db.session.scalar(select(Feed).where(Feed.url == portal))
    assert poll_feeds(app.config, feed_id=saved.id).ok == 1
    db.session.refresh(saved)
    assert saved.consecutive_failures == 0 and saved.last_status == 200


def test_opml_import_refuses_intranet_addresses_with_the_same_message(app, client, admin):
    app.config["FEED_ALLOW_PRIVATE"] = ""
    opml = ('<?xml version="1.0"?><opml version="2.0"><body>'
            '<outline text="درگاه" xmlUrl="http://10.20.30.40/rss"/>'
            '<outline text="یک" xmlUrl="https://one.example.ir/rss"/></body></opml>').encode()
    token = csrf_token(client, "/feeds/import")
    response = client.post("/feeds/import", data={"csrf_token": token, "file": (io.BytesIO(opml), "f.opml")},
                           content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "http://10.20.30.40/rss" in html and "HAMZABAN_FEED_ALLOW_PRIVATE" in html
    assert set(db.session.scalars(select(Feed.url))) == {"https://one.example.ir/rss"}


def test_bad_feed_form_keeps_what_was_typed(client, admin):
    token = csrf_token(client, "/feeds/new")
    response = client.post("/feeds/new", data={"csrf_token": token, "url": "ftp://x.example/rss", "title": "عنوان من",
                                               "poll_interval_minutes": "2", "action": "save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "عنوان من" in html and "ftp://x.example/rss" in html and "۵ تا ۱۴۴۰" in html


def test_an_over_long_boxs_message_keeps_its_names_latin_digits(client, admin):
    """The message names the box (app.web.forms.Length): its bounds in the reader's digits, the box's own
    name as it is written. All of it went through the digits, and «windows-1256» in the encoding box's
    name read «windows-۱۲۵۶», a name no one types (session 44's attacker's review)."""
    token = csrf_token(client, "/feeds/new")
    response = client.post("/feeds/new", data={"csrf_token": token, "url": "https://example.ir/rss",
                                               "encoding_override": "x" * 41, "poll_interval_minutes": "30",
                                               "action": "save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "مانند windows-1256)» حداکثر ۴۰ نویسه است؛ ۴۱ نوشته شد." in html


@pytest.mark.parametrize("url, says", [
    ("http://2130706433/rss", "درون‌شبکه‌ای یا محلی"),        # 127.0.0.1 as one number: saved, then the poll said "only http/https"
    ("http://1.2.3.4.5/rss", "میزبان یا درگاه"),              # numbers that spell no address
    ("https://example.ir:99999/rss", "میزبان یا درگاه"),     # saved, then the poll said "domain not found"
    ("https://example.ir/rss\u202e", "نویسه‌ای ناپیدا"),      # stored with the override in it
    ("https://example.ir/\x00rss", "نویسه‌ای ناپیدا"),        # stored cut short, as «https://example.ir/»
    ("https://editor:secret@example.ir/rss", "نام کاربری و گذرواژه"),  # the password stored in the feed list
])
def test_an_address_the_fetcher_cannot_use_is_refused_when_typed(client, admin, url, says):
    """Found by a review of the forms: these were saved, and the first poll failed (or stored the
    credentials for every admin to read). Each is said under the field, what was typed kept."""
    token = csrf_token(client, "/feeds/new")
    response = client.post("/feeds/new", data={"csrf_token": token, "url": url, "title": "عنوان من", "outlet": "",
                                               "agency": "", "poll_interval_minutes": "30", "action": "save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and says in url_error(html) and "عنوان من" in html
    assert db.session.scalar(select(func.count()).select_from(Feed)) == 0


def test_a_feed_stored_before_the_address_checks_stays_editable(client, admin):
    """A diff review: a feed whose stored address a later check refuses (a port written so, an
    unclosed IPv6 bracket) could not even have its title changed; its address is left as it is."""
    feed = Feed(url="https://news.example.ir:99999/rss", title="قدیمی")
    db.session.add(feed)
    db.session.commit()
    path = f"/feeds/{feed.id}/edit"
    form = {"csrf_token": csrf_token(client, path), "url": feed.url, "title": "عنوان تازه", "outlet": "",
            "agency": "", "poll_interval_minutes": "30", "action": "save"}
    assert client.post(path, data=form).status_code == 302
    db.session.expire_all()
    assert (db.session.get(Feed, feed.id).title, db.session.get(Feed, feed.id).url) == ("عنوان تازه", feed.url)
    moved = client.post(path, data={**form, "url": "http://[::1/rss"})  # a changed address is checked
    assert moved.status_code == 400 and "میزبان یا درگاه" in url_error(moved.get_data(as_text=True))


def test_a_feed_stored_with_an_upper_case_host_is_the_one_typed_again(client, admin):
    """The diff review of session 25: addresses are stored with scheme and host in lower case since
    then, and a feed stored before («HTTPS://NEWS.EXAMPLE.IR/rss») was not found as «already
    listed» by the form, an edit of another feed or an OPML import."""
    old = Feed(url="HTTPS://NEWS.Example.IR/rss", title="قدیمی")
    other = Feed(url="https://other.example.ir/rss", title="دیگر")
    db.session.add_all([old, other])
    db.session.commit()
    form = {"title": "تازه", "outlet": "", "agency": "", "poll_interval_minutes": "30", "action": "save"}
    created = client.post("/feeds/new", data={**form, "csrf_token": csrf_token(client, "/feeds/new"),
                                              "url": "https://news.example.ir/rss"})
    assert created.status_code == 400 and "پیش‌تر ثبت شده" in url_error(created.get_data(as_text=True))
    path = f"/feeds/{other.id}/edit"
    moved = client.post(path, data={**form, "csrf_token": csrf_token(client, path), "url": "https://News.example.ir/rss"})
    assert moved.status_code == 400 and "پیش‌تر ثبت شده" in url_error(moved.get_data(as_text=True))
    opml = ('<?xml version="1.0"?><opml version="2.0"><body>'
            '<outline text="همان" xmlUrl="https://news.example.ir/rss"/></body></opml>').encode()
    client.post("/feeds/import", data={"csrf_token": csrf_token(client, "/feeds/import"),
                                       "file": (io.BytesIO(opml), "f.opml")}, content_type="multipart/form-data")
    assert db.session.scalar(select(func.count()).select_from(Feed)) == 2
    # A path is the site's: its case makes another address.
    other_path = client.post("/feeds/new", data={**form, "csrf_token": csrf_token(client, "/feeds/new"),
                                                 "url": "https://news.example.ir/RSS"})
    assert other_path.status_code == 302


def test_an_address_too_long_is_said_in_persian_digits(client, admin):
    token = csrf_token(client, "/feeds/new")
    response = client.post("/feeds/new", data={"csrf_token": token, "url": "https://a.example.ir/" + "x" * 2100,
                                               "outlet": "", "agency": "", "poll_interval_minutes": "30"})
    message = url_error(response.get_data(as_text=True))
    assert response.status_code == 400 and "۲۰۰۰" in message and "2000" not in message  # WTForms wrote «2000»


def test_an_address_differing_only_in_the_case_of_its_host_is_the_same_feed(app, client, admin):
    app.config["FEED_ALLOW_PRIVATE"] = "10.0.0.0/8"  # no lookup: an address, allowed
    token = csrf_token(client, "/feeds/new")
    form = {"csrf_token": token, "title": "خوراک", "outlet": "", "agency": "", "poll_interval_minutes": "30",
            "action": "save"}
    assert client.post("/feeds/new", data={**form, "url": "HTTP://10.1.2.3/News/RSS"}).status_code == 302
    assert db.session.scalar(select(Feed.url)) == "http://10.1.2.3/News/RSS"  # the path's case is the site's
    again = client.post("/feeds/new", data={**form, "url": "http://10.1.2.3/News/RSS"})
    assert again.status_code == 400 and "پیش‌تر ثبت شده است" in again.get_data(as_text=True)


def test_disable_and_enable_a_feed(client, admin, demo):
    feed = db.session.scalar(select(Feed).order_by(Feed.id))
    token = csrf_token(client, f"/feeds/{feed.id}")
    assert client.post(f"/feeds/{feed.id}/active", data={"csrf_token": token, "active": "0"}).status_code == 302
    db.session.refresh(feed)
    assert feed.is_active is False
    assert "غیرفعال" in page(client, f"/feeds/{feed.id}")


@pytest.mark.parametrize("name, content, mimetype, message", [
    ("big.opml", b"<opml>" + b" " * (2 * 1024 * 1024 + 10) + b"</opml>", "text/x-opml", "بزرگ‌تر از ۲ مگابایت"),
    ("feeds.exe", b"MZ\x90\x00", "application/x-msdownload", "تنها فایل OPML"),
    ("bomb.opml", b'<!DOCTYPE opml [<!ENTITY a "x">]><opml/>', "text/x-opml", "DOCTYPE"),
    ("picture.opml", b"\x89PNG\r\n\x1a\n", "image/png", "تنها فایل OPML"),
])
def test_opml_upload_refuses_big_wrong_or_unsafe_files(client, admin, name, content, mimetype, message):
    token = csrf_token(client, "/feeds/import")
    response = client.post("/feeds/import", data={"csrf_token": token, "file": (io.BytesIO(content), name, mimetype)},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Feed)) == 0


@pytest.mark.parametrize("mimetype", ["text/x-opml+xml", "application/opml+xml", "text/x-opml", "application/xml"])
def test_the_exported_opml_imports_back_whatever_type_the_browser_names(client, admin, mimetype):
    """A newcomer's walk: Chromium on Linux sends an .opml file as «text/x-opml+xml», and
    Hamzaban's own export was refused as «no OPML file»."""
    opml = ('<?xml version="1.0"?><opml version="2.0"><body>'
            '<outline text="یک" xmlUrl="https://one.example.ir/rss"/></body></opml>').encode()
    token = csrf_token(client, "/feeds/import")
    response = client.post("/feeds/import", data={"csrf_token": token,
                                                  "file": (io.BytesIO(opml), "hamzaban-feeds.opml", mimetype)},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert db.session.scalar(select(func.count()).select_from(Feed)) == 1


def test_opml_upload_adds_feeds_and_export_lists_them(client, admin):
    opml = ('<?xml version="1.0"?><opml version="2.0"><body><outline text="خبرها">'
            '<outline text="یک" xmlUrl="https://one.example.ir/rss" outlet="رسانهٔ یک"/>'
            '<outline text="دو" xmlUrl="https://two.example.ir/rss"/></outline></body></opml>').encode()
    token = csrf_token(client, "/feeds/import")
    response = client.post("/feeds/import", data={"csrf_token": token, "file": (io.BytesIO(opml), "f.opml")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    exported = client.get("/feeds/export.opml")
    assert exported.mimetype == "text/x-opml"
    assert b"https://one.example.ir/rss" in exported.data and "رسانهٔ یک".encode() in exported.data


def test_latest_items_with_outlet_scope_and_jalali_filters(client, make_user, login_as, demo):
    login_as(make_user(role="viewer"))
    html = page(client, "/items/")
    # The water-cut story (3 outlets) is one row, shown by its newest copy, the others listed.
    water = ("قطعی ۱۲ ساعته آب", "قطع ۱۲ ساعته آب", "۱۲ ساعت قطع می‌شود")
    assert sum(html.count(f"<bdi>{t}") for t in water) == 1 and "بیمارستان جدید" in html
    assert "و ۲ رسانهٔ دیگر" in html
    radio = page(client, "/items/?scope=local")  # the newspaper and the road site are local
    assert "بیمارستان جدید" in radio and "برنامهٔ آموزش مجازی" not in radio
    # The last demo day only (the demo is dated to end yesterday), typed in both digit styles.
    from app.jalali import to_jalali
    from search_index.persian import to_persian_digits

    last = to_jalali(max(db.session.scalars(select(Item.published_at))))
    one_day = page(client, f"/items/?since={to_persian_digits(last.strftime('%Y/%m/%d'))}"
                           f"&until={last.year}-{last.month}-{last.day}")
    assert "بیمارستان جدید" in one_day and "جدول خاموشی" not in one_day
    bad = page(client, "/items/?since=1404/13/40")
    assert "1404/13/40" in bad and "ماه باید" in bad and "بیمارستان جدید" in bad  # kept, explained, not applied


def test_item_page_shows_clean_content_original_link_and_the_other_outlets(client, make_user, login_as, demo):
    login_as(make_user(role="staff"))
    item = db.session.scalar(select(Item).where(Item.title.startswith("قطعی ۱۲ ساعته آب")))
    html = page(client, f"/items/{item.id}")
    assert "<p>مدیرعامل شرکت آب و فاضلاب استان گفت" in html  # the cleaned HTML, rendered
    assert 'rel="noopener noreferrer nofollow"' in html and 'href="https://ostan-news.example.ir/fa/news/2001"' in html
    assert "همین خبر در رسانه‌های دیگر" in html and "روزنامهٔ شهر" in html and "رادیو استان" in html
    seen_twice = db.session.scalar(select(Item).where(Item.title.contains("نشست خبری مدیرکل راه")))
    assert "همین خبر را با همان نشانی منتشر کرده است" in page(client, f"/items/{seen_twice.id}")
    page(client, "/items/999999", 404)


def test_nav_shows_items_to_everyone_and_feeds_to_admins(client, make_user, login_as):
    login_as(make_user(role="staff"))
    html = page(client, "/")
    assert 'href="/items/"' in html and 'href="/feeds/"' not in html


def _per_day(html: str) -> list[str]:
    match = re.search(r"title=\"[^\"]+\">\(((?:[۰-۹]+، ){6}[۰-۹]+)\)</span>", html)
    assert match, "no items-per-day cells"
    return match.group(1).split("، ")


def test_items_per_day_are_days_in_the_configured_zone(app, client, admin):
    """The per-day chart counts local days of HAMZABAN_TIMEZONE (any zone, not a fixed +03:30):
    one sighting a minute before local midnight is yesterday's, one a minute after is today's."""
    from datetime import timedelta

    from app.clock import local_midnight, local_today
    from models import ItemSighting
    from tests.search_index.item_factory import ItemFactory

    app.config["BABEL_DEFAULT_TIMEZONE"] = "America/Los_Angeles"
    midnight = local_midnight(local_today())
    factory = ItemFactory()
    for n, seen in enumerate((midnight - timedelta(minutes=1), midnight + timedelta(minutes=1))):
        item = factory.make(f"خبر {n}")
        db.session.add(ItemSighting(feed_id=item.feed_id, key_hash=f"{n:040d}", item_id=item.id,
                                    content_hash=item.content_hash, first_seen_at=seen))
    db.session.commit()
    assert _per_day(page(client, f"/feeds/{item.feed_id}")) == ["۰"] * 5 + ["۱", "۱"]
    assert _per_day(page(client, "/feeds/")) == ["۰"] * 5 + ["۱", "۱"]


def test_latest_items_date_filter_is_a_day_in_the_configured_zone(app, client, make_user, login_as):
    """22:00 UTC on 20 November 2026 is 1405/08/29 in UTC but already the 30th in Tehran."""
    from datetime import datetime

    from tests.search_index.item_factory import ItemFactory

    ItemFactory().make("خبر دیروقت", published_at=datetime(2026, 11, 20, 22, tzinfo=UTC))
    login_as(make_user(role="viewer"))
    assert "خبر دیروقت" not in page(client, "/items/?since=1405/08/29&until=1405/08/29")
    assert "خبر دیروقت" in page(client, "/items/?since=1405/08/30&until=1405/08/30")
    app.config["BABEL_DEFAULT_TIMEZONE"] = "UTC"
    assert "خبر دیروقت" in page(client, "/items/?since=1405/08/29&until=1405/08/29")


def test_opml_upload_reports_a_url_over_2000_characters_as_refused(app, client, admin):
    long_url = "https://news.example.ir/rss?" + "a" * 2000
    opml = ('<?xml version="1.0"?><opml version="2.0"><body>'
            f'<outline text="بلند" xmlUrl="{long_url}"/>'
            '<outline text="یک" xmlUrl="https://one.example.ir/rss"/></body></opml>').encode()
    token = csrf_token(client, "/feeds/import")
    response = client.post("/feeds/import", data={"csrf_token": token, "file": (io.BytesIO(opml), "f.opml")},
                           content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "۱ خوراک افزوده شد (۰ خوراک از پیش بود)" in html
    assert "بیش از ۲٬۰۰۰ نویسه" in html and long_url[:200] + "…" in html and long_url not in html
    assert set(db.session.scalars(select(Feed.url))) == {"https://one.example.ir/rss"}


def test_an_at_sign_after_the_host_is_no_user_name():
    from app.services.feed_addresses import clean_feed_url

    assert clean_feed_url("https://Site.ir/rss?author=a@b.ir") == "https://site.ir/rss?author=a@b.ir"
