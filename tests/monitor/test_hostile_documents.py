"""Documents a CMS broke, served by the real local feed server and polled through the real pipeline:
what they hold must reach the desk, and the feed's page must say what was wrong."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.monitor.parse import parse_feed
from app.services.feed_pipeline import poll_feeds
from models import Feed, Item

from .feed_server import CUT_LEAD_ITEMS


def test_a_lead_cut_inside_its_cdata_no_longer_swallows_the_next_item(app, feed_server):
    """A CMS shortened each lead after wrapping it in CDATA, and lost the «]]>» with the cut: the
    section ran on into the next item, to that item's own «]]>». The document is still well formed:
    the first and third items were stored with the second's and fourth's headline, address and
    lead as their text, the second and fourth never, and the feed's page said nothing (a review of
    hostile feeds, round 12)."""
    app.config.update(FEED_ALLOW_PRIVATE="127.0.0.1/32", FEED_TOTAL_TIMEOUT=5)
    feed = Feed(url=feed_server.url("/cut-leads.xml"), title="")
    db.session.add(feed)
    db.session.commit()
    summary = poll_feeds(app.config, feed_id=feed.id)
    assert (summary.ok, summary.failed, summary.items_new) == (1, 0, 4)
    items = {item.title: item for item in db.session.scalars(select(Item))}
    assert sorted(items) == sorted(title for title, _ in CUT_LEAD_ITEMS)
    for n, (title, lead) in enumerate(CUT_LEAD_ITEMS, 1):
        item = items[title]
        assert item.link == f"https://ostan.example.ir/news/{n}"
        assert item.text.startswith(lead[:30]), (title, item.text)
        others = [other for other, _ in CUT_LEAD_ITEMS if other != title]
        assert not any(other in item.text + item.summary_html for other in others), (title, item.text)
        assert "ostan.example.ir" not in item.text
    db.session.refresh(feed)
    assert feed.last_warning_detail == {"key": "warning.cut_cdata", "values": {"count": 2}}
    assert "CDATA" in feed.last_warning and "۲" in feed.last_warning


def test_a_cdata_section_holding_an_items_end_only_as_an_article_quotes_it_is_left_as_written():
    """The repair needs the section's own element closed inside it before an entry's end: a section
    of an article's HTML that quotes «</item>» (no «</description>» before it) is that article's text."""
    body = ('<rss version="2.0"><channel><title>t</title><item><guid>a</guid><title>یک</title><description>'
            "<![CDATA[<pre>&lt;item&gt; ... </item></pre>]]></description></item>"
            "<item><guid>b</guid><title>دو</title><description><![CDATA[<p>متن</p>]]></description></item>"
            "</channel></rss>").encode()
    parsed = parse_feed(body, headers={"content-type": "application/rss+xml; charset=utf-8"})
    assert [entry.title for entry in parsed.entries] == ["یک", "دو"] and parsed.warning is None


def test_a_utf8_feed_under_a_browsers_label_is_said_under_the_name_the_server_wrote(app, feed_server):
    """A UTF-8 feed served as «charset=x-cp1256» (a label only browsers know) is read as UTF-8 with the
    misdeclaration warning; the warning named «cp1256», a name the server never wrote, and an admin
    searching the server's configuration for it found nothing (known since round 11)."""
    app.config.update(FEED_ALLOW_PRIVATE="127.0.0.1/32", FEED_TOTAL_TIMEOUT=5)
    feed = Feed(url=feed_server.url("/charset?label=x-cp1256"), title="")
    db.session.add(feed)
    db.session.commit()
    assert poll_feeds(app.config, feed_id=feed.id).items_new > 0
    db.session.refresh(feed)
    assert feed.last_warning_detail == {"key": "warning.misdeclared",
                                        "values": {"declared": "x-cp1256", "actual": "utf-8"}}
    assert "x-cp1256" in feed.last_warning
    assert all("\u0600" <= title[0] <= "\u06ff" for title in db.session.scalars(select(Item.title)))


def test_a_well_formed_feed_whose_lead_quotes_the_feeds_markup_keeps_every_item():
    """A lead (a reader's comment, a pasted text) written properly inside its CDATA but holding
    «</description></item><!--»: the document is well formed and has three items. Closing the section
    at that «</description>» made the rest markup, and the comment hid every item after the first
    (a review of session 38): a repair that turns a well-formed document into a broken one is not made."""
    lead = "نظر خواننده: </description></item><!-- "
    items = [("یک", f"<![CDATA[{lead}]]>"), ("دو", "<![CDATA[<p>متن دو</p>]]>"), ("سه", "<![CDATA[<p>متن سه</p>]]>")]
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            + "".join(f"<item><guid>{n}</guid><title>{title}</title><link>https://ostan.example.ir/{n}</link>"
                      f"<description>{text}</description></item>" for n, (title, text) in enumerate(items, 1))
            + "</channel></rss>").encode()
    parsed = parse_feed(body, headers={"content-type": "application/rss+xml; charset=utf-8"})
    assert [entry.title for entry in parsed.entries] == ["یک", "دو", "سه"]
    assert "نظر خواننده" in parsed.entries[0].text and parsed.warning is None
