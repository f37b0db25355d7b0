"""Documents a CMS broke, served by the real local feed server and polled through the real pipeline:
what they hold must reach the desk, and the feed's page must say what was wrong."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.monitor.parse import FeedParseError, parse_feed
from app.services.feed_pipeline import poll_feeds
from models import Feed, Item

from .feed_server import CUT_FEED_ITEMS, CUT_LEAD_ITEMS


def _poll(app, feed_server, path: str) -> Feed:
    app.config.update(FEED_ALLOW_PRIVATE="127.0.0.1/32", FEED_TOTAL_TIMEOUT=5)
    feed = Feed(url=feed_server.url(path), title="")
    db.session.add(feed)
    db.session.commit()
    summary = poll_feeds(app.config, feed_id=feed.id)
    assert (summary.ok, summary.failed) == (1, 0)
    db.session.refresh(feed)
    return feed


def test_a_lead_cut_inside_its_cdata_no_longer_swallows_the_items_after_it(app, feed_server):
    """A CMS shortened each lead after wrapping it in CDATA, and lost the «]]>» with the cut: a section
    ran on into the next item, to that item's own «]]>», and the last one to the end of the document,
    which lost every item after the cut, with no word of why (a review of hostile feeds, round 12).
    Such a document is ill-formed as served: each section is closed where its element ends."""
    feed = _poll(app, feed_server, "/cut-leads.xml?cut=1,3,4")
    items = {item.title: item for item in db.session.scalars(select(Item))}
    assert sorted(items) == sorted(title for title, _ in CUT_LEAD_ITEMS)
    for n, (title, lead) in enumerate(CUT_LEAD_ITEMS, 1):
        item = items[title]
        assert item.link == f"https://ostan.example.ir/news/{n}"
        assert item.text.startswith(lead[:30]), (title, item.text)
        others = [other for other, _ in CUT_LEAD_ITEMS if other != title]
        assert not any(other in item.text + item.summary_html for other in others), (title, item.text)
        assert "ostan.example.ir" not in item.text
    assert feed.last_warning_detail == {"key": "warning.cut_cdata", "values": {"count": 3}}
    assert "CDATA" in feed.last_warning and "۳" in feed.last_warning


def test_a_well_formed_feed_with_cut_leads_is_read_as_written_and_said(app, feed_server):
    """Cuts that leave the document well formed (each runaway section ends at the next item's «]]>»)
    look exactly like an entry's own text quoting the feed's markup, which must stay text (the code
    review of session 38: it made a fake item). The feed is read as XML says, and its page says that
    an item may be lost and why."""
    feed = _poll(app, feed_server, "/cut-leads.xml?cut=1,3")
    titles = set(db.session.scalars(select(Item.title)))
    assert titles == {CUT_LEAD_ITEMS[0][0], CUT_LEAD_ITEMS[2][0]}
    assert feed.last_warning_detail == {"key": "warning.cdata_holds_markup", "values": {"count": 2}}
    assert "</item>" in feed.last_warning and "۲" in feed.last_warning


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
    assert "«x-cp1256»" in feed.last_warning  # quoted, as the feed's other values are
    assert all("\u0600" <= title[0] <= "\u06ff" for title in db.session.scalars(select(Item.title)))


def test_a_well_formed_feed_whose_lead_quotes_the_feeds_markup_keeps_every_item():
    """A lead (a reader's comment, a pasted text) written properly inside its CDATA but holding
    «</description></item><!--»: the document is well formed and has three items. Closing the section
    at that «</description>» made the rest markup, and the comment hid every item after the first
    (a review of session 38): a well-formed document is read as written, and the page says what its
    sections hold."""
    lead = "نظر خواننده: </description></item><!-- "
    items = [("یک", f"<![CDATA[{lead}]]>"), ("دو", "<![CDATA[<p>متن دو</p>]]>"), ("سه", "<![CDATA[<p>متن سه</p>]]>")]
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            + "".join(f"<item><guid>{n}</guid><title>{title}</title><link>https://ostan.example.ir/{n}</link>"
                      f"<description>{text}</description></item>" for n, (title, text) in enumerate(items, 1))
            + "</channel></rss>").encode()
    parsed = parse_feed(body, headers={"content-type": "application/rss+xml; charset=utf-8"})
    assert [entry.title for entry in parsed.entries] == ["یک", "دو", "سه"]
    assert "نظر خواننده" in parsed.entries[0].text and parsed.warning_detail["key"] == "warning.cdata_holds_markup"


def test_an_entrys_text_quoting_a_whole_item_in_its_cdata_makes_no_item():
    """A reader's comment in a lead, written properly inside its CDATA, holding a whole item of the
    feed's markup: the document is well formed and has two items; the text is the first one's, never a
    third item with the writer's headline and address (the code review of session 38)."""
    fake = ("</description></item><item><title>استاندار استعفا داد</title>"
            "<link>https://fake.example/x</link><description><![CDATA[x")
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            f"<item><guid>1</guid><title>یک</title><description><![CDATA[نظر: {fake}]]></description></item>"
            "<item><guid>2</guid><title>دو</title><description><![CDATA[<p>متن</p>]]></description></item>"
            "</channel></rss>").encode()
    parsed = parse_feed(body, headers={"content-type": "application/rss+xml; charset=utf-8"})
    assert [entry.title for entry in parsed.entries] == ["یک", "دو"]
    assert all(entry.link != "https://fake.example/x" for entry in parsed.entries)
    assert parsed.warning_detail["key"] == "warning.cdata_holds_markup"


@pytest.mark.parametrize("query", ["length=1", "length=1&gzip=1"])
def test_a_body_shorter_than_its_content_length_keeps_its_complete_items(app, feed_server, query):
    """A server that promised the whole document's length and died inside the fourth item: the fetch
    failed as «the server's answer was incomplete» and the three complete items were lost, on every
    poll, where the same cut without a length keeps them (round 7; a review of hostile feeds, round 13).
    The bytes that came are read as a cut document: its complete items stored, the page saying so."""
    feed = _poll(app, feed_server, f"/cut-utf8.xml?{query}")
    titles = set(db.session.scalars(select(Item.title)))
    assert titles == {title for _, title in CUT_FEED_ITEMS[:3]}
    assert feed.last_error_code is None and feed.last_warning_detail == {"key": "warning.truncated",
                                                                         "values": {"count": 3}}
    assert "ناقص" in feed.last_warning
    assert (feed.etag, feed.last_modified) == (None, None)  # no copy of the version its ETag names


# Elements feedparser's own handlers fail on, each in a document otherwise read: a podcast chapter without
# its start, a GeoRSS polygon whose place is a word, and (the document ill-formed: a «…» pasted from
# windows-1252 inside a tag) a logo's width read as nothing.
FEEDPARSER_FAILS_ON = {
    "chapter": ('<rss version="2.0" xmlns:psc="http://podlove.org/simple-chapters"><channel><title>t</title><item>'
                '<title>پادکست خبری</title><guid>1</guid><psc:chapters version="1.2"><psc:chapter title="آغاز"/>'
                "</psc:chapters></item><item><title>خبر دو</title><guid>2</guid></item></channel></rss>").encode(),
    "polygon": ('<rss version="2.0" xmlns:georss="http://www.georss.org/georss" xmlns:gml="http://www.opengis.net/gml">'
                "<channel><title>t</title><item><title>زلزله در شمال استان</title><guid>1</guid><georss:where>"
                "<gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>35.7 51.4 نامعلوم</gml:posList>"
                "</gml:LinearRing></gml:exterior></gml:Polygon></georss:where></item>"
                "<item><title>خبر دو</title><guid>2</guid></item></channel></rss>").encode(),
    "width": ('<rss version="2.0"><channel><title>t</title><image><title>لوگو'.encode() + b"<\x85/title>"
              b"<url>http://example.org/logo.png</url><width>88</width><height>31</height></image>"
              + "<item><title>خبر یک</title><guid>1</guid></item><item><title>خبر دو</title><guid>2</guid></item>"
              "</channel></rss>".encode()),
}


@pytest.mark.parametrize("name", sorted(FEEDPARSER_FAILS_ON))
def test_an_element_feedparser_fails_on_costs_that_element_not_the_feed(app, tmp_path, name):
    """feedparser raised TypeError inside its handler of each element, and the whole feed was lost as «an
    unexpected error», on every poll (found by mutating the corpus's feeds: a review of hostile feeds,
    round 13). The element's value is left out; the entries are read (of the ill-formed one, those the
    lenient parser finds past the broken tag, with the warning that says where it is)."""
    read = 1 if name == "width" else 2
    parsed = parse_feed(FEEDPARSER_FAILS_ON[name])
    assert len(parsed.entries) == read and all(entry.title for entry in parsed.entries)
    path = tmp_path / f"{name}.xml"
    path.write_bytes(FEEDPARSER_FAILS_ON[name])
    result = app.test_cli_runner().invoke(args=["feeds", "import-file", str(path)])
    assert result.exit_code == 0 and f"new={read}" in result.output and "errors=0" in result.output, result.output


@pytest.mark.parametrize("escaped", [
    "&amp;lt;p&amp;gt;استاندار یزد &amp;lt;b&amp;gt;امروز&amp;lt;/b&amp;gt; از طرح آب بازدید کرد&amp;lt;/p&amp;gt;",
    "<![CDATA[&lt;p&gt;استاندار یزد &lt;b&gt;امروز&lt;/b&gt; از طرح آب بازدید کرد&lt;/p&gt;]]>",
])
def test_a_description_escaped_once_more_than_written_shows_its_words_not_its_tags(escaped):
    """A CMS that escapes an already escaped description («&amp;lt;p&amp;gt;», or «&lt;p&gt;» inside CDATA):
    the item's text read «<p>استاندار یزد <b>امروز</b> …</p>», tags and all, on the desk's pages, in search
    and in the routing rules' reading. Text that, read, still holds two HTML tags or more is that HTML (hostile
    feeds, round 17); one tag named in the words («تگ &lt;p&gt;») stays as written."""
    def description(value: str) -> str:
        body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item><title>خبر'
                f"</title><link>http://x.example/1</link><description>{value}</description></item></channel></rss>")
        return parse_feed(body.encode()).entries[0]

    entry = description(escaped)
    assert entry.text == "استاندار یزد امروز از طرح آب بازدید کرد"
    assert "<b>امروز</b>" in entry.summary_html and "&lt;" not in entry.summary_html
    assert description("در HTML تگ &amp;lt;p&amp;gt; بند می‌سازد").text == "در HTML تگ <p> بند می‌سازد"


def test_an_article_that_quotes_markup_in_its_own_html_keeps_its_markup():
    """The other side (the corpus's kagi-benchmark/0dbdbb0dda62ed3f, a tech blog): HTML written once whose text
    quotes tags («&lt;a href…&gt;» in a code sample) keeps its own paragraphs and links."""
    html_written_once = ("<p>A link is written <code>&lt;a href=&quot;/x&quot;&gt;x&lt;/a&gt;</code> in HTML.</p>"
                         '<p>See <a href="http://x.example/more">more</a>.</p>')
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item><title>t</title>'
            f"<link>http://x.example/1</link><description><![CDATA[{html_written_once}]]></description></item></channel></rss>")
    entry = parse_feed(body.encode()).entries[0]
    assert '<a href="http://x.example/more"' in entry.summary_html and '&lt;a href="/x"&gt;' in entry.summary_html


@pytest.mark.parametrize("prose, text", [
    ("در HTML تگ &amp;lt;p&amp;gt; بند و تگ &amp;lt;br&amp;gt; شکست خط می‌سازد", "در HTML تگ <p> بند و تگ <br> شکست خط می‌سازد"),
    ("<![CDATA[<p>Use &lt;b&gt; for bold and &lt;i&gt; for italics.</p>]]>", "Use <b> for bold and <i> for italics."),
])
def test_words_that_name_two_tags_keep_them(prose, text):
    """A description that names two tags in its words («&amp;lt;p&amp;gt;» is how RSS writes a «<p>» to be
    read, «&lt;b&gt;» in CDATA HTML the same) is no HTML escaped twice: read once more, its words lost the
    tags they name («در HTML تگ بند و تگ شکست خط می‌سازد», «Use for bold and for italics.»). Escaped HTML
    opens with a tag or closes one it opened; words that name tags do neither (a review, session 43)."""
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item><title>خبر'
            f"</title><link>http://x.example/1</link><description>{prose}</description></item></channel></rss>")
    assert parse_feed(body.encode()).entries[0].text == text


_PREFIXED_ITEMS = ("<{p}item><{p}title>خبر یک</{p}title><{p}link>http://x.example/1</{p}link>"
                   "<{p}pubDate>Sat, 22 Nov 2025 10:30:00 +0330</{p}pubDate></{p}item>"
                   "<{p}item><{p}title>خبر دو</{p}title><{p}link>http://x.example/2</{p}link></{p}item>")


@pytest.mark.parametrize("root", ['<n:rss xmlns:n="http://example.com/rss-ns" version="2.0">',  # a namespace of its own
                                  '<rss:rss version="2.0">',  # a prefix declared nowhere
                                  '<n:rss xmlns:n="http://example.com/rss-ns" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                                  'version="2.0">',
                                  '<rss xmlns:rss="http://example.com/rss-ns" rss:version="2.0">'])  # the root's unprefixed
def test_an_rss_whose_every_element_is_prefixed_keeps_its_items(root):
    """An RSS whose every element carries a prefix (a generator's serializer that puts the feed in a namespace of its
    own, or a prefix it never declares) was refused as «not an RSS or Atom feed» or «broken, no item read»: each item
    lost on every poll (session 44's note; hostile feeds, round 19). Its items are read as the RSS they are."""
    prefix = "rss:" if root.startswith("<rss ") else root[1:root.index(":") + 1]
    body = (f'<?xml version="1.0" encoding="utf-8"?>{root}<{prefix}channel><{prefix}title>خبرگزاری</{prefix}title>'
            f'{_PREFIXED_ITEMS.format(p=prefix)}</{prefix}channel></{root[1:root.index(" ")]}>').encode()
    feed = parse_feed(body)
    assert feed.title == "خبرگزاری"
    assert [(e.title, e.link) for e in feed.entries] == [("خبر یک", "http://x.example/1"), ("خبر دو", "http://x.example/2")]
    assert feed.entries[0].published is not None


def test_the_corpus_feed_whose_every_element_is_prefixed_keeps_its_35_items():
    """kagi-benchmark/7ef13a42fa7e177a (a static-site generator's RSS: «<rss rss:version=2.0><rss:channel>», its
    attributes prefixed and unquoted, «<?xml?xml … ??>» after two comments) was refused as broken, no item read: its
    35 items are read leniently now, said with the document's flaw."""
    from tests.conftest import shared_data

    feed = parse_feed(shared_data("feeds", "kagi-benchmark", "7ef13a42fa7e177a").read_bytes())
    assert len(feed.entries) == 35 and feed.title == "arts and ego" and "خط ۴" in feed.warning
    first = feed.entries[0]
    assert (first.title, first.link, first.guid) == ("jenni tucker", "https://dylanharris.org/blog/2026/b5.shtml",
                                                     "https://dylanharris.org/blog/2026/b5.shtml")


def test_blank_lines_before_a_page_are_read_in_linear_time():
    """A review of round 19: a document with no item is looked at again for a prefixed «rss» root
    (app/monitor/prefixed.py), past blanks, comments and declarations; its blanks were split every way (``(?:\\s+|…)*``),
    twice the time for each one more: a PHP site's page after 26 blank bytes (a «\\r\\n» a line) took ~10 s of CPU to be
    said as a page, after 40 hours, on every poll."""
    import time

    started = time.process_time()
    for blanks in (b"\r\n" * 13, b"\xef\xbb\xbf" + b" " * 26, b"\n" * 13 + b"<!-- x -->" + b"\t" * 13):
        with pytest.raises(FeedParseError) as refused:
            parse_feed(blanks + b"<html><head><title>x</title></head><body>x</body></html>")
        assert refused.value.code == "html"
    assert time.process_time() - started < 0.5


def test_a_stalled_feed_read_cut_is_whole_on_the_next_poll_and_nothing_is_stored_twice(app, feed_server):
    """A review of round 20: a server that stalls after three whole items (the connection held open past the
    deadline) gives them, read as a cut document; its ETag is not kept (the next poll would be a 304 and the fourth
    item never read); when the whole feed then comes, only the fourth item is new."""
    feed = _poll(app, feed_server, "/cut-utf8.xml?stall=10")
    assert {title for title in db.session.scalars(select(Item.title))} == {title for _, title in CUT_FEED_ITEMS[:3]}
    assert feed.last_warning_detail == {"key": "warning.truncated", "values": {"count": 3}} and feed.etag is None
    feed_server.cut_feed_whole = True
    feed.next_poll_at = None
    db.session.commit()
    summary = poll_feeds(app.config, feed_id=feed.id)
    assert (summary.ok, summary.items_new) == (1, 1)
    assert sorted(db.session.scalars(select(Item.title))) == sorted(title for _, title in CUT_FEED_ITEMS)
