"""Hostile item fields through the whole poll: the real local feed server, the real fetcher, parse_feed,
and the store's dedupe and insert on the test database (SQLite, and PostgreSQL when
HAMZABAN_TEST_DATABASE_URL is set). Nothing may crash, nothing that should be kept is lost, nothing
is stored twice (a second poll of the same document stores nothing), and what is left out is said in
Persian on the feed's page (a review of hostile feeds, round 15: the store was not fuzzed before)."""
from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services.feed_pipeline import poll_feeds
from models import Feed, Item, ItemSighting

RSS_TYPE = "application/rss+xml; charset=utf-8"
SITE = "https://ostan.example.ir"


def _item(guid: str | None, link: str | None, title: str, text: str = "", date: str | None = None) -> str:
    return ("<item>" + (f"<guid isPermaLink=\"false\">{guid}</guid>" if guid is not None else "")
            + (f"<link>{link}</link>" if link is not None else "") + f"<title>{title}</title>"
            + (f"<description>{text}</description>" if text else "")
            + f"<pubDate>{date or 'Sat, 22 Nov 2025 06:30:00 +0330'}</pubDate></item>")


def _rss(*items: str, title: str = "خوراک") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{SITE}/</link>{''.join(items)}</channel></rss>").encode("utf-8", "surrogatepass")


def _poll(app, feed_server, name: str, body: bytes, feed: Feed | None = None) -> tuple[Feed, object]:
    app.config.update(FEED_ALLOW_PRIVATE="127.0.0.1/32", FEED_TOTAL_TIMEOUT=10)
    feed_server.documents[name] = (body, RSS_TYPE)
    if feed is None:
        feed = Feed(url=feed_server.url(f"/doc/{name}"), title="")
        db.session.add(feed)
        db.session.commit()
    else:
        feed.next_check_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    summary = poll_feeds(app.config, feed_id=feed.id)
    assert (summary.ok, summary.failed) == (1, 0), (feed.last_error, summary)
    db.session.refresh(feed)
    return feed, summary


def _items(feed: Feed) -> list[Item]:
    return list(db.session.scalars(select(Item).where(Item.feed_id == feed.id).order_by(Item.id)))


def _persian(text: str | None) -> bool:
    return bool(text) and any("\u0600" <= c <= "\u06ff" for c in text)


def test_a_title_of_a_megabyte_and_links_with_spaces_and_persian_letters(app, feed_server):
    long_title = ("خبر " * 260_000)[:1_000_000]
    body = _rss(_item("g-long", f"{SITE}/news/1", long_title, "متن"),
                _item("g-space", f"{SITE}/news/a b c", "پیوند با فاصله", "متن دوم"),
                _item("g-fa", f"{SITE}/اخبار/استاندار-۱", "پیوند فارسی", "متن سوم"),
                _item("g-fa-escaped", f"{SITE}/%D8%A7%D8%AE%D8%A8%D8%A7%D8%B1/%D8%A7%D8%B3%D8%AA%D8%A7%D9%86%D8%AF%D8%A7%D8%B1-%DB%B1",
                      "پیوند فارسی", "متن سوم"))
    feed, _ = _poll(app, feed_server, "long", body)
    items = _items(feed)
    assert [item.guid for item in items] == ["g-long", "g-space", "g-fa"]  # the escaped one is g-fa again
    assert len(items[0].title) <= 1001 and items[0].title.endswith("…")
    assert items[1].link == f"{SITE}/news/a b c" and " " not in items[1].canonical_link
    assert items[2].canonical_link == f"{SITE}/%D8%A7%D8%AE%D8%A8%D8%A7%D8%B1/%D8%A7%D8%B3%D8%AA%D8%A7%D9%86%D8%AF%D8%A7%D8%B1-%DB%B1"
    feed, again = _poll(app, feed_server, "long", body, feed)
    assert again.items_new == 0 and len(_items(feed)) == 3


@pytest.mark.parametrize("reference", ["&#0;", "\x00", "&#xD800;", "\udc80", "&#xFFFE;"],
                         ids=["nul-reference", "nul-byte", "surrogate-reference", "surrogate-bytes", "noncharacter"])
def test_nul_and_lone_surrogates_in_titles_links_and_guids(app, feed_server, reference):
    """A NUL (PostgreSQL refuses it in text) or a lone surrogate (no UTF-8 has it) in any field: the
    item is stored without it, once, and the feed's page says the document was not well formed."""
    body = _rss(_item(f"g{reference}1", f"{SITE}/news/{reference}1", f"عنوان{reference} یک", f"متن{reference} یک"),
                _item("g2", f"{SITE}/news/2", "عنوان دو", "متن دو"))
    feed, _ = _poll(app, feed_server, "nul", body)
    items = _items(feed)
    assert len(items) == 2
    for item in items:
        for value in (item.guid, item.link, item.title, item.text, item.summary_html):
            assert "\x00" not in value and not any("\ud800" <= c <= "\udfff" for c in value), value
    assert items[0].title.startswith("عنوان") and items[0].title.endswith("یک")
    feed, again = _poll(app, feed_server, "nul", body, feed)
    assert again.items_new == 0 and len(_items(feed)) == 2


def test_one_guid_twice_in_a_document(app, feed_server):
    """The same GUID on two entries: with two links, two articles (both kept, the page says so); with
    one link and other text, one article given twice: the first is the item, on every poll, and the
    page says the second was left out."""
    body = _rss(_item("same", f"{SITE}/news/1", "خبر یک", "متن یک"),
                _item("same", f"{SITE}/news/2", "خبر دو", "متن دو"),
                _item("twice", f"{SITE}/news/3", "خبر سه", "متن سه"),
                _item("twice", f"{SITE}/news/3", "خبر سه (ویرایش)", "متن سه، ویرایش‌شده"))
    feed, _ = _poll(app, feed_server, "dup", body)
    items = _items(feed)
    assert sorted(item.title for item in items) == ["خبر دو", "خبر سه", "خبر یک"]
    assert _persian(feed.last_warning)
    feed, again = _poll(app, feed_server, "dup", body, feed)
    assert again.items_new == 0 and again.items_updated == 0 and len(_items(feed)) == 3


def test_a_guid_repeated_with_other_text_under_one_link_is_said(app, feed_server):
    """An entry left out because an earlier entry of the document had its GUID (and link) with other
    text: said in Persian on the feed's page, as every entry the store does not keep."""
    body = _rss(_item("twice", f"{SITE}/news/3", "خبر سه", "متن سه"),
                _item("twice", f"{SITE}/news/3", "خبر سه (ویرایش)", "متن سه، ویرایش‌شده"))
    feed, _ = _poll(app, feed_server, "dup-one-link", body)
    assert [item.title for item in _items(feed)] == ["خبر سه"]
    assert feed.last_warning_detail == {"key": "warning.repeated_key", "values": {"count": 1}}
    assert feed.last_warning.startswith("۱ خبرِ این خوراک شناسه")


def test_guids_that_differ_by_case_normalization_or_trailing_blanks(app, feed_server):
    nfc, nfd = unicodedata.normalize("NFC", "café-۱"), unicodedata.normalize("NFD", "café-۱")
    body = _rss(_item("Story-7", f"{SITE}/news/7", "خبر هفت", "متن هفت"),
                _item("story-7", f"{SITE}/news/8", "خبر هشت", "متن هشت"),  # another article: kept
                _item(nfc, f"{SITE}/news/9", "خبر نه", "متن نه"),
                _item(nfd, f"{SITE}/news/9", "خبر نه", "متن نه"),  # the same article: once
                _item("tail", f"{SITE}/news/10", "خبر ده", "متن ده"),
                _item("tail   ", f"{SITE}/news/10", "خبر ده", "متن ده"))  # the same GUID: once
    feed, _ = _poll(app, feed_server, "case", body)
    assert sorted(item.title for item in _items(feed)) == ["خبر ده", "خبر نه", "خبر هشت", "خبر هفت"]
    feed, again = _poll(app, feed_server, "case", body, feed)
    assert again.items_new == 0 and len(_items(feed)) == 4


def test_dates_far_in_the_future_or_before_1900(app, feed_server):
    body = _rss(_item("future", f"{SITE}/news/f", "خبر آینده", "متن", "Fri, 31 Dec 9999 23:59:59 GMT"),
                _item("future2", f"{SITE}/news/f2", "خبر آینده دو", "متن", "2999-01-01T00:00:00Z"),
                _item("past", f"{SITE}/news/p", "خبر گذشته", "متن", "Mon, 01 Jan 1800 00:00:00 GMT"),
                _item("year1", f"{SITE}/news/y", "خبر سال یک", "متن", "0001-01-01T00:00:00Z"),
                _item("minus", f"{SITE}/news/m", "خبر منفی", "متن", "-0044-03-15T00:00:00Z"))
    before = datetime.now(UTC)
    feed, _ = _poll(app, feed_server, "dates", body)
    items = _items(feed)
    assert len(items) == 5
    for item in items:
        published = item.published_at.replace(tzinfo=UTC) if item.published_at.tzinfo is None else item.published_at
        assert before - timedelta(minutes=1) <= published <= datetime.now(UTC) + timedelta(minutes=1)
        assert item.published_is_estimated
    feed, again = _poll(app, feed_server, "dates", body, feed)
    assert again.items_new == 0


def test_the_same_item_in_two_feeds_is_one_item_seen_twice(app, feed_server):
    shared = _item("a-1", f"{SITE}/news/shared?utm_source=rss", "خبر مشترک", "متن مشترک")
    _poll(app, feed_server, "one", _rss(shared))
    _, summary = _poll(app, feed_server, "two", _rss(shared.replace("a-1", "b-9").replace("?utm_source=rss", "")))
    assert db.session.scalar(select(func.count()).select_from(Item)) == 1
    assert db.session.scalar(select(func.count()).select_from(ItemSighting)) == 2
    assert summary.items_new == 0


def test_an_entry_with_nothing_to_keep_is_said(app, feed_server):
    """An entry with no GUID, link, title or text: nothing to store; said on the feed's page."""
    body = _rss(_item(None, None, "", ""), _item(None, None, "   ", ""), _item("ok", f"{SITE}/news/ok", "خبر", "متن"))
    feed, summary = _poll(app, feed_server, "empty", body)
    assert [item.title for item in _items(feed)] == ["خبر"]
    assert summary.items_empty == 2
    assert feed.last_warning_detail == {"key": "warning.empty_entries", "values": {"count": 2}}
    assert _persian(feed.last_warning)


@pytest.mark.parametrize("kind", ["entity", "parameter-entity", "external-dtd", "xinclude"])
def test_no_external_entity_reads_a_local_file(app, feed_server, tmp_path, kind):
    """XXE through the whole poll: an entity, a parameter entity, an external DTD declaring one, an XInclude,
    each naming a local file (a DTD of ours, itself naming a secret file). Nothing of either file reaches an item
    or the feed's page; a document that declares entities is refused in Persian (hostile feeds, round 15)."""
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:hamzaban-xxe-secret\n")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak SYSTEM "file://{secret}">')
    doctype, title = {
        "entity": (f'<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>', "&leak;"),
        "parameter-entity": (f'<!DOCTYPE rss [<!ENTITY % ext SYSTEM "file://{dtd}"> %ext;]>', "&leak;"),
        "external-dtd": (f'<!DOCTYPE rss SYSTEM "file://{dtd}">', "&leak;"),
        "xinclude": ("", f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://{secret}" parse="text"/>'),
    }[kind]
    body = (f'<?xml version="1.0" encoding="utf-8"?>{doctype}<rss version="2.0"><channel><title>خوراک</title>'
            f"<item><guid>x-1</guid><link>{SITE}/news/x</link><title>خبر {title}</title>"
            f"<description>متن {title}</description></item></channel></rss>").encode()
    app.config.update(FEED_ALLOW_PRIVATE="127.0.0.1/32", FEED_TOTAL_TIMEOUT=10)
    feed_server.documents["xxe"] = (body, RSS_TYPE)
    feed = Feed(url=feed_server.url("/doc/xxe"), title="")
    db.session.add(feed)
    db.session.commit()
    poll_feeds(app.config, feed_id=feed.id)
    db.session.refresh(feed)
    shown = " ".join(filter(None, [feed.last_error, feed.last_warning, feed.title]))
    for item in _items(feed):
        shown += f" {item.title} {item.text} {item.summary_html} {item.link} {item.guid}"
    assert "hamzaban-xxe-secret" not in shown and "ENTITY leak" not in shown
    if kind in ("entity", "parameter-entity"):
        assert feed.last_error_code == "parse_entities" and "موجودیت" in feed.last_error, (feed.last_error_code, feed.last_error)
    else:
        assert [item.link for item in _items(feed)] == [f"{SITE}/news/x"]


def test_stories_without_guid_at_one_shared_link_are_kept_and_not_said_left_out(app, feed_server):
    """A portal giving one page as every entry's link, without GUIDs: the store tells the stories
    apart by their words and keeps each (``key_stories_at_a_shared_link``), so the page says none was
    left out (it said «… کنار گذاشته شد» of stories it had kept)."""
    body = _rss(_item(None, f"{SITE}/fa", "خبر یک", "متن یک"), _item(None, f"{SITE}/fa", "خبر دو", "متن دو"),
                _item(None, f"{SITE}/fa", "خبر سه", "متن سه"))
    feed, _ = _poll(app, feed_server, "portal", body)
    assert sorted(item.title for item in _items(feed)) == ["خبر دو", "خبر سه", "خبر یک"]
    assert feed.last_warning_detail is None, feed.last_warning
