"""parse_feed: Persian text in every encoding, refused documents, truncation, links and dates."""
from __future__ import annotations

import bz2
import codecs
import html
import socket
import tracemalloc
import urllib.request
import zlib
from datetime import UTC, datetime

import feedparser
import pytest

from app.monitor import feedparser_bounds
from app.monitor import parse as parse_module
from app.monitor.dedupe import entry_key, sha1_hex
from app.monitor.feed_encoding import single_byte
from app.monitor.parse import FeedParseError, parse_feed
from search_index.persian import normalize_for_storage
from tests.conftest import shared_data
from tests.monitor.feed_server import crowded_tag_feed

ZWNJ = "\u200c"
UTF8_DECL = '<?xml version="1.0" encoding="utf-8"?>'


@pytest.fixture(scope="module")
def hoder() -> bytes:
    path = shared_data("feeds") / "pear" / "hoder.xml"
    if not path.exists():
        pytest.skip(f"shared test data not present: {path}")
    return path.read_bytes()


def _cp1256(utf8: bytes, declaration: str | None) -> bytes:
    """hoder.xml re-encoded as windows-1256 (which has no Farsi yeh/keheh: use Arabic ي/ك)."""
    text = utf8.decode("utf-8").translate({0x06CC: "\u064a", 0x06A9: "\u0643"})
    assert text.startswith(UTF8_DECL)
    text = text[len(UTF8_DECL):].lstrip() if declaration is None else text.replace(UTF8_DECL, declaration, 1)
    return text.encode("cp1256")


def _fingerprint(feed) -> list[tuple]:
    """What a reader sees, folded the way stored text is (ي→ی, ك→ک)."""
    return [
        (e.guid, e.link, normalize_for_storage(e.title), normalize_for_storage(e.summary_html),
         normalize_for_storage(e.text), e.categories, e.published)
        for e in feed.entries
    ]


def test_hoder_gives_correct_persian_text(hoder):
    feed = parse_feed(hoder)
    assert feed.title == "Editor: Myself (Persian)" and feed.link == "http://editormyself.info"
    assert feed.version == "rss20" and not feed.bozo and feed.warning is None
    assert len(feed.entries) == 7
    first = feed.entries[0]
    assert first.title == f"لينکدونی{ZWNJ} | جلسه{ZWNJ}ی امریکن انترپرایز برای تقسیم قومی ایران"
    assert first.text == f"چطور بعضی{ZWNJ}ها فکر می{ZWNJ}کنند دست راستی{ZWNJ}های آمریکا از خامنه{ZWNJ}ای ملی{ZWNJ}گراترند"
    assert first.guid == "14645@http://i.hoder.com/" and first.categories == ["iran"]
    assert first.published == datetime(2005, 10, 13, 0, 45, 32, tzinfo=UTC)  # 19:45:32-05:00
    assert first.link == "http://www.aei.org/events/type.upcoming,eventID.1166,filter.all/event_detail.asp"
    assert feed.entries[1].link.endswith("purchase_form.php?opid=24346&afsid=1")
    last = feed.entries[-1]
    assert last.title == f"پروژه{ZWNJ}ی هاروارد، قدم دوم"
    assert last.summary_html.startswith("<p>اگر یادتان باشد <a href=")
    assert last.text.startswith(f"اگر یادتان باشد چند وقت پیش نوشتم که دانشگاه هاروارد پروژه{ZWNJ}ای")
    assert "<" not in last.text and last.text.count("\n") >= 3  # one line per paragraph / <br>
    assert "rmackinnon@cyber.law.harvard.edu\nهیثم: haitham.sabbah@gmail.com" in last.text


@pytest.mark.parametrize(
    "declaration, kwargs",
    [
        pytest.param('<?xml version="1.0" encoding="windows-1256"?>', {}, id="declared-in-prolog"),
        pytest.param(UTF8_DECL, {"encoding_override": "windows-1256"}, id="prolog-lies-override"),
        pytest.param(None, {"encoding_override": "cp1256"}, id="undeclared-override"),
        pytest.param(None, {"headers": {"Content-Type": "application/rss+xml; charset=windows-1256"}},
                     id="http-charset"),
        pytest.param(UTF8_DECL, {"headers": {"content-type": "text/xml; charset=Windows-1256"}},
                     id="http-charset-over-prolog"),
        pytest.param(UTF8_DECL, {"headers": {"Content-Type": "text/xml; charset=utf-8"},
                                 "encoding_override": "windows-1256"}, id="override-beats-header"),
    ],
)
def test_windows_1256_copies_read_like_the_utf8_original(hoder, declaration, kwargs):
    original = parse_feed(hoder)
    copy = parse_feed(_cp1256(hoder, declaration), **kwargs)
    assert _fingerprint(copy) == _fingerprint(original)
    assert normalize_for_storage(copy.entries[0].title).startswith("لینکدونی")
    assert copy.warning is None


@pytest.mark.parametrize("declaration", [UTF8_DECL, None], ids=["declared-utf8", "undeclared"])
def test_windows_1256_declared_as_utf8_is_read_as_windows_1256_with_a_warning(hoder, declaration):
    """feedparser fell back to a Latin code page and stored «ÎČŃ» for «خبر»: bytes that are not
    UTF-8, and read as windows-1256 give Persian letters, are windows-1256, and the feed's page
    says the declaration was wrong (a helper's probe of hostile feeds, session 17)."""
    feed = parse_feed(_cp1256(hoder, declaration))
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))
    assert feed.encoding == "cp1256"
    assert feed.warning == "خوراک رمزگذاری خود را «utf-8» اعلام کرده بود ولی متنش «windows-1256» بود و «windows-1256» خوانده شد."


@pytest.mark.parametrize("kwargs, declaration", [
    ({}, '<?xml version="1.0" encoding="windows-1256"?>'),
    ({"headers": {"Content-Type": "application/rss+xml; charset=windows-1256"}}, UTF8_DECL),
    ({}, '<?xml version="1.0" encoding="ISO-8859-1"?>'),
], ids=["prolog-windows-1256", "http-windows-1256", "prolog-latin-1"])
def test_utf8_declared_as_a_one_byte_code_page_is_read_as_utf8_with_a_warning(hoder, kwargs, declaration):
    """Every byte decodes in a one-byte code page, so these were stored as «ط®ط¨ط±» with no
    warning at all; UTF-8 with characters beyond ASCII is no accident."""
    feed = parse_feed(hoder.replace(UTF8_DECL.encode(), declaration.encode(), 1), **kwargs)
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))
    assert feed.encoding == "utf-8" and "«utf-8» خوانده شد" in feed.warning


@pytest.mark.parametrize("charset", ["ISO-8859-1", "windows-1252", "latin1"])
def test_a_servers_latin_charset_over_a_declared_windows_1256_is_read_as_the_declaration(hoder, charset):
    """A server's default charset (ISO-8859-1) over a feed declaring windows-1256: feedparser followed
    the header and stored «ÇÓÊÇäÏÇÑ» for «استاندار», «پ» dropped, with no warning (a review of hostile
    feeds, round 8). The declaration is believed when the letters read in it are Persian's; a true
    Latin-1 feed under the same header keeps its reading (below)."""
    feed = parse_feed(_cp1256(hoder, '<?xml version="1.0" encoding="windows-1256"?>'),
                      headers={"Content-Type": f"text/xml; charset={charset}"})
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))
    assert feed.encoding == "cp1256" and "«windows-1256» خوانده شد" in feed.warning
    latin = ('<?xml version="1.0" encoding="windows-1256"?><rss version="2.0"><channel><title>t</title>'
             '<item><title>Caf\u00e9 cr\u00e8me \u00e0 la fran\u00e7aise, stra\u00dfe</title>'
             '<link>http://x.example/1</link></item></channel></rss>').encode("latin-1")
    feed = parse_feed(latin, headers={"Content-Type": f"text/xml; charset={charset}"})
    assert feed.entries[0].title == "Caf\u00e9 cr\u00e8me \u00e0 la fran\u00e7aise, stra\u00dfe"


@pytest.mark.parametrize("kwargs, declaration", [
    ({"headers": {"Content-Type": "application/rss+xml; charset=windows-1251"}}, UTF8_DECL),
    ({"headers": {"Content-Type": "application/rss+xml; charset=cp720"}}, UTF8_DECL),
    ({"headers": {"Content-Type": "text/xml; charset=KOI8-R"}}, UTF8_DECL),
    ({}, '<?xml version="1.0" encoding="mac-arabic"?>'),
], ids=["http-windows-1251", "http-cp720", "http-koi8-r", "prolog-mac-arabic"])
def test_utf8_declared_as_any_one_byte_code_page_is_read_as_utf8_with_a_warning(hoder, kwargs, declaration):
    """A review of hostile feeds: only seven code pages were doubted, so a UTF-8 Persian feed
    declared as windows-1251, cp720, KOI8-R or mac-arabic was stored as «┘„┘è┘†» with no warning
    (hoder.xml's «ژ» has a byte windows-1251 lacks: feedparser fell back to UTF-8 there, saying the
    declared encoding failed)."""
    feed = parse_feed(hoder.replace(UTF8_DECL.encode(), declaration.encode(), 1), **kwargs)
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))
    declared = kwargs["headers"]["Content-Type"].split("=")[1] if kwargs else "mac-arabic"
    assert feed.encoding == "utf-8"
    assert feed.warning == f"خوراک رمزگذاری خود را «{declared}» اعلام کرده بود ولی متنش «utf-8» بود و «utf-8» خوانده شد."
    without_zhe = parse_feed((declaration + '<rss version="2.0"><channel><title>t</title><item><title>خبر فوری استان تهران</title>'
                              '<link>http://x.example/1</link></item></channel></rss>').encode(), **kwargs)
    assert [e.title for e in without_zhe.entries] == ["خبر فوری استان تهران"]


@pytest.mark.parametrize("codec, single", [
    ("windows-1251", True), ("cp720", True), ("koi8_r", True), ("mac-arabic", True), ("iso-8859-6", True),
    ("latin-1", True), ("utf-8", False), ("utf-16", False), ("shift_jis", False), ("big5", False), ("gb18030", False),
    ("iso2022_jp", False), ("hz", False), ("utf-7", False),
])
def test_a_codec_is_single_byte_when_it_reads_every_byte_as_one_character(codec, single):
    assert single_byte(codecs.lookup(codec).name) is single


LATIN_DECLARATIONS = [
    pytest.param({"headers": {"Content-Type": "text/xml; charset=ISO-8859-1"}}, None, "ISO-8859-1", id="http-latin-1"),
    pytest.param({"headers": {"Content-Type": "text/xml; charset=ISO-8859-1"}}, UTF8_DECL, "ISO-8859-1",
                 id="http-latin-1-over-prolog-utf8"),
    pytest.param({}, '<?xml version="1.0" encoding="iso-8859-1"?>', "iso-8859-1", id="prolog-iso-8859-1"),
    pytest.param({}, '<?xml version="1.0" encoding="windows-1252"?>', "windows-1252", id="prolog-windows-1252"),
    pytest.param({}, '<?xml version="1.0" encoding="iso-8859-15"?>', "iso-8859-15", id="prolog-iso-8859-15"),
    pytest.param({}, '<?xml version="1.0" encoding="latin1"?>', "latin1", id="prolog-latin1"),
    pytest.param({"headers": {"Content-Type": "text/xml; charset=windows-1252"}},
                 '<?xml version="1.0" encoding="iso-8859-1"?>', "windows-1252", id="both-latin"),
]


@pytest.mark.parametrize("kwargs, declaration, declared", LATIN_DECLARATIONS)
def test_windows_1256_declared_as_latin_is_read_as_windows_1256_with_a_warning(hoder, kwargs, declaration, declared):
    """A review of hostile feeds: Persian windows-1256 bytes under a Latin charset alone (the
    server's, the document's or both) were stored as «ÎÈÑ ÝæÑí» with no warning; only a document
    declaring windows-1256 itself under the server's Latin-1 was read right (round 8)."""
    feed = parse_feed(_cp1256(hoder, declaration), **kwargs)
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))
    assert feed.encoding == "cp1256"
    assert feed.warning == f"خوراک رمزگذاری خود را «{declared}» اعلام کرده بود ولی متنش «windows-1256» بود و «windows-1256» خوانده شد."


LATIN_TITLES = [
    ("La société a présenté à Paris, où l'été était très chaud, la crème brûlée du garçon; déjà Noël", "latin-1"),
    ("Die Straße ist groß: Müller und Björn äußern sich über die Änderung der Gebühren für Fußgänger", "latin-1"),
    ("A informação sobre a eleição: não há previsão de solução, as ações do governo são más", "latin-1"),
    ("Rødgrød med fløde; æble, blåbær, søster, år, være, færdig", "latin-1"),
    ("Zażółć gęślą jaźń; Łódź, źdźbło, książę, pięść, żółw, świętość", "iso-8859-2"),
    ("Příliš žluťoučký kůň úpěl ďábelské ódy; řeřicha, čtvrť, Dvořák, šťastný", "cp1250"),
]


@pytest.mark.parametrize("title, codec", LATIN_TITLES, ids=["fr", "de", "pt", "da", "pl", "cs"])
@pytest.mark.parametrize("kwargs, declaration, declared", LATIN_DECLARATIONS)
def test_latin_text_under_a_latin_charset_keeps_its_reading(title, codec, kwargs, declaration, declared):
    """German, Portuguese, Polish or Danish letters read in windows-1256 are mostly Persian's commonest
    («Straße» is «Straكe»), but they stand among ASCII ones, not in words of their own: the text stays
    in the code page declared (the Polish and Czech ones under their own)."""
    headers = kwargs.get("headers", {})
    if codec != "latin-1":  # declared as what it is
        headers = {"Content-Type": f"text/xml; charset={codec}"} if headers else {}
        declaration = declaration and f'<?xml version="1.0" encoding="{codec}"?>'
    body = ((declaration or "") + '<rss version="2.0"><channel><title>t</title>'
            + "".join(f"<item><title>{title} {n}</title><link>http://x.example/{n}</link></item>" for n in range(5))
            + "</channel></rss>").encode(codec)
    feed = parse_feed(body, headers=headers or None)
    assert [e.title for e in feed.entries] == [f"{title} {n}" for n in range(5)]
    assert feed.warning is None and "1256" not in (feed.encoding or "")


def test_a_latin_feed_with_a_few_letters_in_a_word_of_their_own_keeps_its_reading():
    """A real English feed of the corpus has «âãÏÓó» (a test string) as its only letters beyond ASCII:
    «âمدس» in windows-1256, Persian's letters in a word of their own, but too few to tell."""
    body = ('<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>t</title>'
            '<item><title>Parsing PDF text: \u00e2\u00e3\u00cf\u00d3\u00f3</title><link>http://x.example/1</link>'
            '</item></channel></rss>').encode("latin-1")
    feed = parse_feed(body)
    assert feed.entries[0].title == "Parsing PDF text: \u00e2\u00e3\u00cf\u00d3\u00f3" and feed.warning is None


def test_an_encoding_override_is_never_second_guessed(hoder):
    feed = parse_feed(hoder, encoding_override="windows-1256")
    assert feed.encoding == "cp1256" and feed.warning is None  # the staff's choice, garbled or not


def test_utf8_with_a_damaged_byte_and_true_latin_1_keep_their_reading(hoder):
    """A UTF-8 feed with two bad bytes was read all in ISO-8859-2 (every Persian letter garbled):
    it is UTF-8 with those two bytes replaced, and a warning; not windows-1256."""
    damaged = hoder.replace("ایران".encode(), b"\xff\xfe", 1)
    feed = parse_feed(damaged)
    assert feed.encoding == "utf-8" and "UTF-8 درست نبود" in feed.warning
    assert _fingerprint(feed)[1:] == _fingerprint(parse_feed(hoder))[1:]
    latin = ('<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>t</title>'
             '<item><title>Caf\u00e9 cr\u00e8me \u00e0 la fran\u00e7aise</title><link>http://x.example/1</link>'
             '</item></channel></rss>').encode("latin-1")
    feed = parse_feed(latin)
    assert feed.entries[0].title == "Caf\u00e9 cr\u00e8me \u00e0 la fran\u00e7aise" and feed.warning is None


@pytest.mark.parametrize("content_type", ["text/xml", "text/html", "application/octet-stream", ""])
def test_content_type_without_charset_follows_the_xml_declaration(hoder, content_type):
    feed = parse_feed(hoder, headers={"Content-Type": content_type})
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))
    assert feed.warning is None


@pytest.mark.parametrize("codec", ["base64", "rot13", "zlib_codec", "hex", "idna"])
def test_a_declared_codec_that_is_no_text_encoding_is_read_as_an_unknown_one(codec):
    """Found by a fuzzing review: «encoding="base64"» (or rot13, zlib, idna) in the XML declaration
    raised inside the entity check, an internal error with a traceback. These name no text
    encoding: the feed is read as one whose encoding is unknown, its items kept."""
    body = (f'<?xml version="1.0" encoding="{codec}"?><rss version="2.0"><channel><title>t</title>'
            '<item><title>خبر یک</title><link>https://a.example.ir/1</link></item></channel></rss>').encode()
    parsed = parse_feed(body)
    assert [e.title for e in parsed.entries] == ["خبر یک"]


def test_unknown_override_is_refused(hoder):
    with pytest.raises(FeedParseError) as err:
        parse_feed(hoder, encoding_override="klingon-8")
    assert err.value.code == "bad_override" and "klingon-8" in err.value.message_fa


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>&lol3;</title></item></channel></rss>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title></item></channel></rss>"""
PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<rss version="2.0"><channel><title>t</title></channel></rss>"""


@pytest.mark.parametrize(
    "body, kwargs",
    [
        pytest.param(BILLION_LAUGHS.encode(), {}, id="billion-laughs"),
        pytest.param(XXE.encode(), {}, id="xxe"),
        pytest.param(PARAMETER_ENTITY.encode(), {}, id="parameter-entity"),
        pytest.param(XXE.replace("<!ENTITY", "<!entity").encode(), {}, id="lower-case"),
        pytest.param(BILLION_LAUGHS.replace("?>", "?>" + "<!-- padding -->" * 2000, 1).encode(), {},
                     id="prolog-padded-with-comments"),
        pytest.param(XXE.replace('"1.0"?>', '"1.0" encoding="utf-16"?>').encode("utf-16"), {}, id="utf-16-bom"),
        pytest.param(XXE.encode("utf-16-be"), {}, id="utf-16be-no-bom"),
        pytest.param(XXE.encode("utf-32-le"), {}, id="utf-32le-no-bom"),
        pytest.param(('<?xml version="1.0" encoding="utf-7"?>\n'
                      + XXE.split("\n", 1)[1].replace("<!ENTITY", "+ADw-!ENTITY")).encode(), {}, id="utf-7"),
        pytest.param(XXE.replace("<!ENTITY", "+ADw-!ENTITY").encode(),
                     {"headers": {"Content-Type": "application/xml; charset=utf-7"}}, id="utf-7-by-header"),
        pytest.param(XXE.replace('"1.0"?>', '"1.0" encoding="cp037"?>').encode("cp037"), {}, id="ebcdic"),
    ],
)
def test_entity_declarations_are_refused_before_parsing(monkeypatch, body, kwargs):
    def must_not_run(*args, **kw):
        raise AssertionError("feedparser must not see a document that declares entities")

    monkeypatch.setattr(parse_module, "read_once", must_not_run)
    with pytest.raises(FeedParseError) as err:
        parse_feed(body, **kwargs)
    assert err.value.code == "entities"
    assert "موجودیت" in err.value.message_fa and "XXE" in err.value.message_fa


def test_ordinary_doctype_without_entities_is_accepted_and_its_dtd_is_not_fetched(monkeypatch):
    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **kw: attempts.append(a))
    body = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://127.0.0.1:9/rss-0.91.dtd">
<rss version="0.91"><channel><title>t</title><link>https://x.example/</link><description>d</description>
<item><title>x</title><link>https://x.example/1</link></item></channel></rss>"""
    feed = parse_feed(body)
    assert [e.link for e in feed.entries] == ["https://x.example/1"]
    assert attempts == []


@pytest.mark.parametrize(
    "body, code",
    [
        (b"", "empty"),
        (b" \r\n\t ", "empty"),
        (b"<!DOCTYPE html><html lang='fa'><head><title>\xd8\xae\xd8\xa8\xd8\xb1</title></head>"
         b"<body><p>page</p><a href='/rss'>rss</a></body></html>", "html"),
        (b"\xef\xbb\xbf\n<!-- cms -->\n<html><body><item><title>x</title></item></body></html>", "html"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"}]}', "json"),
        (b"Service Unavailable", "not_a_feed"),
        # with no item tag at all it is an emptied feed, read with its flaw (hostile feeds, round 18)
        (b"<rss version='2.0'><channel><title>x & y</title></channel></rss></item>", "malformed"),
    ],
)
def test_documents_that_are_not_feeds_are_refused(body, code):
    with pytest.raises(FeedParseError) as err:
        parse_feed(body)
    assert err.value.code == code
    assert err.value.message_fa and err.value.message_fa == str(err.value)


def test_body_that_names_a_local_file_is_not_read(tmp_path, hoder):
    """feedparser opens a bytes argument as a file name; parse_feed must never let it."""
    secret = tmp_path / "feed.xml"
    secret.write_bytes(hoder)
    with pytest.raises(FeedParseError):
        parse_feed(str(secret).encode())
    with pytest.raises(TypeError):
        parse_feed(str(secret))  # type: ignore[arg-type]


def test_truncated_feed_keeps_the_complete_entries_and_warns(hoder):
    """Decision: a cut-off feed yields the entries before the cut (the half entry is dropped,
    its GUID or text may be incomplete) with a warning; with no complete entry it is refused."""
    cut = hoder.index(b"<item>", hoder.index(b"14642@")) + 200  # inside the 5th item
    feed = parse_feed(hoder[:cut])
    assert [e.guid for e in feed.entries] == [f"1464{n}@http://i.hoder.com/" for n in (5, 4, 3, 2)]
    assert feed.bozo and "ناقص" in feed.warning and "۴" in feed.warning
    with pytest.raises(FeedParseError) as err:
        parse_feed(hoder[: hoder.index(b"</item>")])
    assert err.value.code == "truncated"


@pytest.mark.parametrize("kwargs, declared", [
    pytest.param({}, True, id="declared-in-prolog"),
    pytest.param({}, False, id="undeclared-utf8-default"),
    pytest.param({"headers": {"Content-Type": "application/rss+xml; charset=utf-8"}}, True, id="http-charset"),
    pytest.param({"headers": {"Content-Type": "text/xml; charset=UTF-8"}}, False, id="http-charset-text-xml"),
    pytest.param({"encoding_override": "utf-8"}, True, id="override"),
])
def test_feed_cut_inside_a_character_keeps_its_encoding(hoder, kwargs, declared):
    """Issue: cut inside a two-byte letter, the document no longer decoded as UTF-8 and was read
    as windows-1252, its complete entries as mojibake. Now the half letter goes, the rest is
    read as UTF-8, and the cut is reported like any other."""
    body = hoder if declared else hoder[len(UTF8_DECL):].lstrip()
    fifth = body.index(b"<item>", body.index(b"14642@"))
    cut = body.index(b"<title>", fifth) + len(b"<title>") + 1  # after the first byte of «ل»
    assert body[cut - 1] >= 0xC0  # really inside a character
    feed = parse_feed(body[:cut], **kwargs)
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))[:4]
    assert feed.encoding.lower() == "utf-8"
    assert feed.warning_detail == {"key": "warning.truncated", "values": {"count": 4}}


def test_recoverable_errors_keep_entries_with_a_warning():
    body = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>خبرگزاری</title>
<item><title>خبر&nbsp;یک</title><link>https://x.example/1</link></item>
<item><title>خبر دو</title><link>https://x.example/2</link></item></channel></rss>""".encode()
    feed = parse_feed(body)
    assert [e.link for e in feed.entries] == ["https://x.example/1", "https://x.example/2"]
    assert feed.bozo and "کاملاً درست نبود" in feed.warning


def test_relative_links_resolved_against_xml_base_and_the_document_url():
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://portal.example.ir/fa/">
<title>t</title><link href="/" />
<entry xml:base="news/"><id>urn:1</id><title>a</title><link href="1.html" />
<content type="html">&lt;a href="../about"&gt;x&lt;/a&gt;&lt;img src="/img/1.jpg"&gt;</content></entry>
</feed>"""
    entry = parse_feed(atom).entries[0]
    assert entry.link == "https://portal.example.ir/fa/news/1.html"
    assert 'href="https://portal.example.ir/fa/about"' in entry.summary_html
    assert 'src="https://portal.example.ir/img/1.jpg"' in entry.summary_html

    rss = b"""<rss version="2.0"><channel><title>t</title><link>/fa</link>
<item><title>a</title><link>/fa/news/7</link><description>&lt;a href="8"&gt;next&lt;/a&gt;</description></item>
</channel></rss>"""
    feed = parse_feed(rss, base_url="https://ostan.example.ir/fa/rss/")
    assert feed.link == "https://ostan.example.ir/fa"
    assert feed.entries[0].link == "https://ostan.example.ir/fa/news/7"
    assert 'href="https://ostan.example.ir/fa/rss/8"' in feed.entries[0].summary_html
    moved = parse_feed(rss, base_url="https://ostan.example.ir/fa/rss/", headers={"Content-Location": "/v2/feed"})
    assert moved.entries[0].link == "https://ostan.example.ir/fa/news/7"
    assert 'href="https://ostan.example.ir/v2/8"' in moved.entries[0].summary_html
    # no URL at all (a local file): content links resolve against the entry's own page
    local = parse_feed(rss.replace(b"/fa/news/7", b"https://ostan.example.ir/fa/news/7"))
    assert 'href="https://ostan.example.ir/fa/news/8"' in local.entries[0].summary_html



def test_a_local_files_relative_item_links_resolve_against_the_channels_link():
    """A feed file imported with no URL (`feeds import-file`) whose items link «/fa/news/7» or «//host/…»: each
    item was stored with no link (keyed by its words, its page lost); the channel's absolute link is the base, as it
    already was for the content's links (hostile feeds, round 18)."""
    rss = """<rss version="2.0"><channel><title>t</title><link>https://ostan.example.ir/fa/</link>
<item><title>خبر یک</title><link>/fa/news/7</link></item><item><title>خبر دو</title><link>//ostan.example.ir/fa/news/8</link></item>
<item><title>خبر سه</title><link>news/9</link></item></channel></rss>""".encode()
    assert [e.link for e in parse_feed(rss).entries] == ["https://ostan.example.ir/fa/news/7",
                                                        "https://ostan.example.ir/fa/news/8", "https://ostan.example.ir/fa/news/9"]
    assert [e.link for e in parse_feed(rss.replace(b"https://ostan.example.ir/fa/", b"/fa/")).entries] == [None] * 3

@pytest.mark.parametrize("location", ["http://[x/", "http://[::1", "https://[fe80::1%25eth0/", "//[", "http://[1:2:3]/a"])
def test_a_content_location_that_is_no_address_is_left_unread(location):
    """Hostile feeds, round 11: «Content-Location: http://[x/» raised out of the parse (urljoin's
    ValueError: Invalid IPv6 URL): every poll of the feed failed as an internal error and its preview
    page was a 500. The header is left unread; links resolve against the feed's own address."""
    rss = b"""<rss version="2.0"><channel><title>t</title><link>/fa</link>
<item><title>a</title><link>/fa/news/7</link><description>&lt;a href="8"&gt;next&lt;/a&gt;</description></item>
</channel></rss>"""
    feed = parse_feed(rss, base_url="https://ostan.example.ir/fa/rss/", headers={"Content-Location": location})
    assert feed.entries[0].link == "https://ostan.example.ir/fa/news/7"
    assert 'href="https://ostan.example.ir/fa/rss/8"' in feed.entries[0].summary_html


def test_unsafe_entry_links_are_dropped_and_titles_are_plain_text():
    body = b"""<rss version="2.0"><channel><title>&lt;b&gt;site&lt;/b&gt;</title>
<item><title>&lt;script&gt;x()&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; news</title><link>javascript:alert(1)</link>
<guid isPermaLink="false">g1</guid><author>pr@example.ir (\xd8\xb1\xd9\x88\xd8\xa7\xd8\xa8\xd8\xb7)</author>
<category>a</category><category> a </category><category>b</category></item></channel></rss>"""
    feed = parse_feed(body)
    entry = feed.entries[0]
    assert feed.title == "site" and entry.title == "bold news"
    assert entry.link is None and entry.guid == "g1"
    assert entry.author == "pr@example.ir (روابط)" and entry.categories == ["a", "b"]


@pytest.mark.parametrize("link, kept", [
    ("http://user:secret@news.example.ir/news/cred", "http://news.example.ir/news/cred"),
    ("http://www.irna.ir@evil.example/news/1", "http://evil.example/news/1"),
    ("http://a@b@news.example.ir:8080/x", "http://news.example.ir:8080/x"),
    ("http://user@/x", None),
])
def test_a_links_user_and_password_are_not_kept(link, kept):
    """A link's «user:password@» was stored and printed on the item's page: a secret shown, and
    «www.irna.ir@evil.example» read as irna.ir's (a review of hostile feeds, round 4)."""
    [entry] = parse_feed(_rss(f"<item><title>خبر</title><link>{link}</link></item>")).entries
    assert entry.link == kept


def test_dates_are_aware_utc_and_missing_dates_are_none():
    body = b"""<rss version="2.0"><channel><title>t</title>
<item><guid>1</guid><pubDate>Tue, 25 Nov 2025 10:30:00 +0330</pubDate></item>
<item><guid>2</guid></item>
<item><guid>3</guid><pubDate>not a date</pubDate></item>
</channel></rss>"""
    dated, undated, bad = parse_feed(body).entries
    assert dated.published == datetime(2025, 11, 25, 7, 0, tzinfo=UTC)
    assert dated.published.utcoffset().total_seconds() == 0
    assert undated.published is None and undated.updated is None
    assert bad.published is None
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><id>u</id><title>x</title><updated>2025-11-25T12:00:00+03:30</updated></entry></feed>"""
    entry = parse_feed(atom).entries[0]
    assert entry.updated == entry.published == datetime(2025, 11, 25, 8, 30, tzinfo=UTC)


def test_plain_text_content_is_escaped_not_interpreted():
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><id>u</id><title>x</title><content type="text">a &lt; b &lt;img src=x onerror=alert(1)&gt;
line two</content></entry></feed>"""
    entry = parse_feed(atom).entries[0]
    assert entry.summary_html == "a &lt; b &lt;img src=x onerror=alert(1)&gt;<br>line two"
    assert entry.text == "a < b <img src=x onerror=alert(1)>\nline two"


def test_richest_content_wins_and_header_names_are_case_insensitive():
    body = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
<item><guid>1</guid><description>متن کامل…</description>
<content:encoded><![CDATA[<p>متن کامل خبر</p><p>بند دوم</p>]]></content:encoded></item>
</channel></rss>""".encode()
    entry = parse_feed(body, headers={"CONTENT-TYPE": "application/rss+xml"}).entries[0]
    assert entry.summary_html == "<p>متن کامل خبر</p><p>بند دوم</p>"
    assert entry.text == "متن کامل خبر\nبند دوم"


def test_feedparser_sees_a_stream_not_a_url(monkeypatch):
    """feedparser's own ``parse`` (which opens a ``str`` as a URL, ``bytes`` as a file name) is never
    called: ``feedparser_read.read`` is given the bytes."""
    seen = []
    real_read = parse_module.read_once

    def spy(body, headers):
        seen.append(body)
        return real_read(body, headers)

    monkeypatch.setattr(parse_module, "read_once", spy)
    monkeypatch.setattr(feedparser, "parse", None)
    parse_feed(b"<rss version='2.0'><channel><title>t</title></channel></rss>", base_url="https://x.example/")
    assert len(seen) == 1 and isinstance(seen[0], bytes)


@pytest.mark.parametrize("name", ["big5", "eucjp", "euckr", "gb2312", "shiftjis", "koi8r"])
def test_other_scripts_undeclared_are_not_taken_for_windows_1256(name):
    """Chinese, Japanese, Korean and Russian bytes read as windows-1256 are Arabic-script letters
    too, but spread over all of them, not over Persian's commonest (feedparser's own test files)."""
    path = shared_data("feeds") / "feedparser" / "illformed" / "chardet" / f"{name}.xml"
    if not path.exists():
        pytest.skip(f"shared test data not present: {path}")
    try:
        feed = parse_feed(path.read_bytes())
    except FeedParseError:
        return
    assert feed.encoding != "cp1256" and "windows-1256" not in (feed.warning or "")


def test_a_title_is_at_most_a_thousand_characters_and_a_link_at_most_8192():
    """A hostile feed's one item with a 6,000,000-character title was stored and indexed whole,
    and a 200,022-character link kept (a helper's probe)."""
    words = " ".join(["خبر"] * 2000)
    body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            f'<item><title>{words}</title><link>http://x.example/{"a" * 9000}</link><guid>g1</guid></item>'
            f'<item><title>کوتاه</title><link>http://x.example/2</link></item></channel></rss>').encode()
    long_item, short_item = parse_feed(body).entries
    assert long_item.title.endswith("خبر…") and len(long_item.title) <= 1001
    assert long_item.link is None and long_item.guid == "g1"
    assert (short_item.title, short_item.link) == ("کوتاه", "http://x.example/2")


def test_jalali_publication_dates_are_read_in_iran_time():
    """Some Iranian sites write pubDate in the Jalali calendar; feedparser read none of them and
    the fetch time stood in (a helper's probe). Without an offset the time is Iran's (+03:30)."""
    dates = ["۱۴۰۳/۰۵/۱۲ ۱۴:۳۰", "1403-05-12T14:30:00+03:30", "۱۲ مرداد ۱۴۰۳ - ۱۴:۳۰", "دوشنبه ۱۲ مرداد ۱۴۰۳",
             "1403/12/30", "۱۴۰۳/۱۳/۰۱", "Fri, 02 Aug 2024 11:00:00 GMT"]
    items = "".join(f"<item><title>خبر {n}</title><link>http://x.example/{n}</link><pubDate>{d}</pubDate></item>"
                    for n, d in enumerate(dates))
    body = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    published = [e.published for e in parse_feed(body.encode()).entries]
    eleven = datetime(2024, 8, 2, 11, 0, tzinfo=UTC)
    assert published[:3] == [eleven] * 3
    assert published[3] == datetime(2024, 8, 1, 20, 30, tzinfo=UTC)  # a day: its midnight in Iran
    assert published[4] == datetime(2025, 3, 19, 20, 30, tzinfo=UTC)  # 30 Esfand of a leap year
    # No 13th month: feedparser's own reading (the Gregorian year 1403), which the store replaces
    # by the fetch time, marked estimated, as any date before 1990
    assert published[5] is None or published[5].year == 1403
    assert published[6] == eleven  # Gregorian dates as before


def _published_as(dates) -> dict:
    """Each pubDate of ``dates`` in an RSS item of its own, read: written form → the item's date."""
    items = "".join(f"<item><title>خبر {n}</title><link>http://x.example/{n}</link><pubDate>{d}</pubDate></item>"
                    for n, d in enumerate(dates))
    body = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    return {d: e.published for d, e in zip(dates, parse_feed(body.encode()).entries, strict=True)}


def test_a_zone_written_as_iran_s_or_another_unambiguous_name_is_read_as_its_offset():
    """A review of hostile feeds, round 6: «… 10:00:00 IRST» was read as UTC, stored 3½ hours
    late and sorted as newer than it is (feedparser knows the American names only)."""
    dates = {
        "Mon, 06 Jan 2025 10:00:00 IRST": datetime(2025, 1, 6, 6, 30, tzinfo=UTC),
        "Mon, 06 Jan 2025 10:00:00 irdt": datetime(2025, 1, 6, 5, 30, tzinfo=UTC),
        "Mon, 06 Jan 2025 10:00 CEST": datetime(2025, 1, 6, 8, 0, tzinfo=UTC),
        "Mon, 06 Jan 2025 10:00:00 MSK": datetime(2025, 1, 6, 7, 0, tzinfo=UTC),
        "Mon, 06 Jan 2025 10:00:00 EST": datetime(2025, 1, 6, 15, 0, tzinfo=UTC),  # feedparser's own, as before
        "Mon, 06 Jan 2025 10:00:00 GMT": datetime(2025, 1, 6, 10, 0, tzinfo=UTC),
    }
    assert _published_as(dates) == dates


def test_impossible_dates_are_no_dates():
    """feedparser carried an impossible date over into another one («2025-13-45T99:99:99Z» became
    1 January 2026, «2025-02-30» 2 March) and took «+9900» for an offset of 99 hours (a helper's
    probe): such an entry is now dated as one without a date (the store uses the fetch time,
    marked estimated); possible dates, 24:00 and the real offsets read as before."""
    dates = {
        "2025-13-45T99:99:99Z": None, "2025-02-30T10:00:00Z": None, "2025-01-05T25:00:00Z": None,
        "2025-01-05T10:61:00Z": None, "2025-01-05T10:00:00+9900": None, "Mon, 05 Jan 2025 10:00:00 +9900": None,
        "Sun, 05 Jan 2025 10:00:00 +0860": None,
        "-0001-01-01T00:00:00Z": None,  # a year before zero, read by feedparser as 2000 (a review of hostile feeds)
        "10000-01-01T00:00:00Z": None,  # a year past 9999, read as 2010 (round 4)
        "2024-02-29T10:00:00Z": datetime(2024, 2, 29, 10, 0, tzinfo=UTC),  # a leap day
        "2025-01-05T24:00:00Z": datetime(2025, 1, 6, 0, 0, tzinfo=UTC),  # the day's end
        "2025-01-05T10:00:00+14:00": datetime(2025, 1, 4, 20, 0, tzinfo=UTC),
        "Sun, 05 Jan 2025 10:00:00 -1200": datetime(2025, 1, 5, 22, 0, tzinfo=UTC),
        "Sun, 05 Jan 2025 10:00:00 +0330": datetime(2025, 1, 5, 6, 30, tzinfo=UTC),
        "۱۴۰۳/۰۵/۱۲ ۱۴:۳۰": datetime(2024, 8, 2, 11, 0, tzinfo=UTC),
    }
    assert _published_as(dates) == dates
    # The clock after «ساعت», or with «ق.ظ»/«ب.ظ» (a review of hostile feeds, round 9: dated at the fetch)
    clocks = {
        "۱۴۰۴/۰۹/۰۵ ۱۰:۳۰ ق.ظ": datetime(2025, 11, 26, 7, 0, tzinfo=UTC),
        "1404/09/05 10:30 ب.ظ": datetime(2025, 11, 26, 19, 0, tzinfo=UTC),
        "1404/09/05 12:10 ق.ظ": datetime(2025, 11, 25, 20, 40, tzinfo=UTC),  # ten past midnight
        "شنبه ۱۵ آذر ۱۴۰۵ ساعت ۱۰:۳۰": datetime(2026, 12, 6, 7, 0, tzinfo=UTC),
    }
    assert _published_as(clocks) == clocks
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            '<entry><title>خبر</title><id>a1</id><link href="http://x.example/a"/>'
            '<published>2025-13-45T00:00:00Z</published><updated>2025-01-05T10:00:00Z</updated></entry></feed>')
    (entry,) = parse_feed(atom.encode()).entries  # an impossible «published»: the «updated» stands in
    assert entry.published == entry.updated == datetime(2025, 1, 5, 10, 0, tzinfo=UTC)


def test_iso_like_dates_feedparser_misread_keep_their_offset_clock_and_day():
    """A review of hostile feeds: feedparser took a basic offset «+0330» for +03:00 (every
    Iranian date in PHP's DATE_ISO8601 form stored 30 minutes late; «+0545» as +05:05), read
    «2024/05/10 08:00:00», «2025/3/7» and «2025.11.26» as 1 December of their year, and dropped the
    clock and zone of «2025-11-26 10:00:00 IRST» (stored at midnight UTC). Without a zone, the
    installation's (Tehran by default: +03:30 in 2024 and 2025)."""
    six_thirty = datetime(2025, 11, 26, 6, 30, tzinfo=UTC)
    dates = {
        "2025-11-26T10:00:00+0330": six_thirty, "2025-11-26T10:00:00 +0330": six_thirty,
        "2025-11-26T10:00:00.250+0330": six_thirty, "2025-11-26 10:00+0330": six_thirty,
        "2025-11-26T10:00:00+0545": datetime(2025, 11, 26, 4, 15, tzinfo=UTC),
        "2025-11-26T10:00:00-0330": datetime(2025, 11, 26, 13, 30, tzinfo=UTC),
        "2024/05/10 08:00:00": datetime(2024, 5, 10, 4, 30, tzinfo=UTC),
        "2025/3/7": datetime(2025, 3, 6, 20, 30, tzinfo=UTC), "۲۰۲۵/۰۳/۰۷": datetime(2025, 3, 6, 20, 30, tzinfo=UTC),
        "2025.11.26": datetime(2025, 11, 25, 20, 30, tzinfo=UTC),
        "2025/11/26 10:00 +03:30": six_thirty, "2025.11.26 10:00:00+0330": six_thirty,
        "2025/11/26T10:00:00Z": datetime(2025, 11, 26, 10, 0, tzinfo=UTC),
        "2025-11-26 10:00:00 IRST": six_thirty, "2025/11/26 10:00:00 irst": six_thirty,
        "2025-11-26 10:00:00 GMT": datetime(2025, 11, 26, 10, 0, tzinfo=UTC),
        "2025-11-26 10:00:00 EST": datetime(2025, 11, 26, 15, 0, tzinfo=UTC),  # feedparser's own name
        # What feedparser read right reads as before
        "2025-11-26T10:00:00+03:30": six_thirty, "2025-11-26T10:00:00Z": datetime(2025, 11, 26, 10, 0, tzinfo=UTC),
        "2025-11-26T24:00:00Z": datetime(2025, 11, 27, 0, 0, tzinfo=UTC),
        # No zone: the installation's (feedparser read UTC: 3½ hours ahead, a review of hostile feeds, round 11)
        "2025-11-26 10:00:00": six_thirty, "2025-11-26": datetime(2025, 11, 25, 20, 30, tzinfo=UTC),
        # Jalali years stay jalali_date's: 31 Ordibehesht is a day (it was refused as 31 February)
        "1404/09/05 10:00:00+0330": six_thirty, "1403-02-31T10:00:00+03:30": datetime(2024, 5, 20, 6, 30, tzinfo=UTC),
    }
    assert _published_as(dates) == dates


def test_impossible_iso_like_dates_are_no_dates():
    """The new forms' impossible values are refused as the ISO ones are (feedparser read all of
    these as 1 December of their year)."""
    dates = ["2025/02/30", "2025/13/01 10:00", "2025/11/26 25:00", "2025.11.26 10:61", "2025/11/26 10:00 +9900",
             "2025/11/26 10:00 +0360", "2025-11-26+9900", "1403/13/01", "1403/07/31"]
    assert _published_as(dates) == dict.fromkeys(dates)


class _Seen:
    """A compiled pattern that notes the length of each text it is asked to read."""

    def __init__(self, pattern, lengths):
        self.pattern, self.lengths = pattern, lengths

    def match(self, text, *args):
        self.lengths.append(len(text))
        return self.pattern.match(text, *args)

    def search(self, text, *args):
        self.lengths.append(len(text))
        return self.pattern.search(text, *args)

    def fullmatch(self, text, *args):
        self.lengths.append(len(text))
        return self.pattern.fullmatch(text, *args)


def test_no_date_pattern_reads_more_than_a_dates_length(monkeypatch):
    """The date patterns end in «\\s*…\\s*$», whose cost grows with the square of a run of spaces
    before a last letter: «1403/05/12», 64,000 spaces and «x» took 16 s in the Jalali handler, an
    RFC 822 date with 32,000 spaces 11 s in ``plausible`` (a feed of 120 KB froze the worker and the
    web's feed preview for 70 s: a review of hostile feeds, round 4). A text longer than any date
    is no date, and no pattern reads it; the entry is dated by its fetch."""
    from app.monitor import feed_dates, jalali_feed_dates, rfc822_dates

    lengths: list[int] = []
    for name in ("_ISO", "_ISO_LIKE", "_RFC_CLOCK", "_OFFSET", "_LOOSE_OFFSET", "_JALALI_DAY_FIRST_HEAD",
                 "_LONG_YEAR", "_JALALI_YEAR_SPACED"):
        monkeypatch.setattr(feed_dates, name, _Seen(getattr(feed_dates, name), lengths))
    for name in ("_ISO", "_LOOSE_OFFSET", "_ASCTIME_ZONE", "_JALALI_YEAR_FIRST"):
        monkeypatch.setattr(rfc822_dates, name, _Seen(getattr(rfc822_dates, name), lengths))
    for name in ("_JALALI_NUMERIC", "_JALALI_DAY_FIRST", "_JALALI_NAMED", "_JALALI_NAMED_YEAR_FIRST"):
        monkeypatch.setattr(jalali_feed_dates, name, _Seen(getattr(jalali_feed_dates, name), lengths))
    spaces = " " * 64_000
    dates = ["1403/05/12" + spaces + "x", "2024-01-01T10:00" + spaces + "x",
             "Mon, 01 Jan 2024 10:00:00 " + spaces + "x", "Mon, 01 Jan 2024 10:00:00 +0330" + spaces]
    items = "".join(f"<item><title>خبر {n}</title><link>http://x.example/{n}</link><pubDate>{d}</pubDate></item>"
                    for n, d in enumerate(dates))
    entries = parse_feed(f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()).entries
    assert [e.published for e in entries] == [None, None, None, datetime(2024, 1, 1, 6, 30, tzinfo=UTC)]
    assert lengths and max(lengths) <= feed_dates.MAX_DATE_CHARS


def test_feedparser_reads_a_declaration_on_a_line_of_its_own(monkeypatch):
    """feedparser finds the declared encoding with «^<\\?.*encoding=['"](.*?)['"].*\\?>» over the
    first line, whose cost grows with the cube of that line when it fails: «<?» and «encoding='a' »
    1,200 times (16 KB, one line) took 18 s, and many feeds are written on one line (a review of
    hostile feeds, round 4). The opening «<?…?>» ends its line before feedparser reads the document
    (in UTF-16 too); one that does not close within its first kilobyte is refused in Persian."""

    from app.monitor.feed_guards import MAX_DECLARATION_BYTES

    first_lines = []
    real = parse_module.read_once

    def spy(data, headers):
        first_lines.append(min(len(data.split(end, 1)[0]) for end in (b"\n", b"\x25")))  # 0x25: EBCDIC's line end
        return real(data, headers)

    monkeypatch.setattr(parse_module, "read_once", spy)
    one_line = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
                '<item><title>خبر یک</title><link>http://x.example/1</link></item></channel></rss>')
    attack = '<?xml version="1.0"?>' + "encoding='a' " * 1200
    for body in (one_line.encode(), ("\ufeff" + one_line.replace("utf-8", "utf-16")).encode("utf-16-le"),
                 attack.encode(), attack.replace("?>", "?>\r").encode(),  # a «\r» alone ends no line for «.»
                 attack.encode("utf-16-le"), attack.encode("utf-16-be"),  # no byte-order mark
                 attack.replace("?>", "?>\u0085").encode("cp037")):  # EBCDIC: 0x15 is U+0085, no line end
        try:
            assert [e.title for e in parse_feed(body).entries] == ["خبر یک"]
        except FeedParseError as error:
            assert error.code in ("malformed", "not_a_feed")
    assert len(first_lines) == 7 and max(first_lines) < 100
    with pytest.raises(FeedParseError) as refused:
        parse_feed(b"<?" + b"encoding='a' " * 1200)
    assert refused.value.code == "declaration_unclosed" and "بسته نشده" in refused.value.message_fa
    assert len(first_lines) == 7 and MAX_DECLARATION_BYTES == 1024


def test_max_entries_keeps_the_newest_in_the_documents_order():
    """A feed that lists its oldest entries first still gives its newest ones; entries of one date
    or none: the first ones."""
    def feed(dates):
        items = "".join(f"<item><title>خبر {n}</title><link>http://x.example/{n}</link>"
                        + (f"<pubDate>{d}</pubDate>" if d else "") + "</item>" for n, d in enumerate(dates))
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}'
                "</channel></rss>").encode()

    def titles(body, cap):
        return [e.title for e in parse_feed(body, max_entries=cap).entries]

    oldest_first = feed([f"Sun, 0{d} Jan 2025 10:00:00 GMT" for d in range(1, 6)])
    assert titles(oldest_first, 2) == ["خبر 3", "خبر 4"]
    assert parse_feed(oldest_first, max_entries=2).warning_detail == {
        "key": "warning.too_many_entries", "values": {"count": 5, "kept": 2}}
    assert titles(feed([None] * 5), 3) == ["خبر 0", "خبر 1", "خبر 2"]
    assert titles(feed([None, "Sun, 05 Jan 2025 10:00:00 GMT", None, "Sun, 01 Jan 2025 10:00:00 GMT"]), 2) == [
        "خبر 1", "خبر 3"]
    assert len(parse_feed(oldest_first, max_entries=5).entries) == 5
    assert parse_feed(oldest_first, max_entries=5).warning is None


def test_line_breaks_inside_a_link_are_dropped_as_browsers_do():
    """Found by the property test: «h\\r\\n\\r\\nttp://…» passed the http(s) check (``urlsplit`` drops
    tabs and line breaks) and was stored as written."""
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            "<link>h\r\n\r\nttp://site.example.ir</link>"
            "<item><title>خبر</title><link>https://site.example.ir/news/\n1\t2</link></item></channel></rss>")
    feed = parse_feed(body.encode())
    assert feed.link == "http://site.example.ir"
    assert feed.entries[0].link == "https://site.example.ir/news/12"


@pytest.mark.parametrize("mark", ["\u200f", "\u200e", "\u061c", "\ufeff", "\u200b", "\u202b", "\u2067"])
def test_a_direction_mark_or_unseen_character_around_a_link_is_not_part_of_it(mark):
    """A Persian CMS writes an RLM (or an ALM, a BOM, a zero-width space, an embedding) before a link: feedparser
    took «\u200fhttps://x.ir/news/1» for a path and the item's link was «https://feed.example.ir/\u200fhttps:/x.ir/news/1»,
    a page of the feed's site that is not there; after it, the mark stayed in the link (hostile feeds, round 16)."""
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            f'<link>{mark}https://x.ir/{mark}</link><item><title>خبر</title><link>{mark}https://x.ir/news/1{mark}</link></item>'
            f'<item><title>خبر دو</title><link>{mark} /news/2 {mark}</link></item></channel></rss>').encode()
    feed = parse_feed(body, base_url="https://feed.example.ir/rss")
    assert feed.link == "https://x.ir/"
    assert [entry.link for entry in feed.entries] == ["https://x.ir/news/1", "https://feed.example.ir/news/2"]
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            f'<entry><title>خبر</title><id>urn:1</id><link href="{mark}https://x.ir/news/1{mark}"/></entry></feed>').encode()
    assert parse_feed(atom, base_url="https://feed.example.ir/atom").entries[0].link == "https://x.ir/news/1"


def test_bidi_overrides_and_c1_controls_are_not_stored():
    """Found by a fuzzing review: «\\u202e» (and the other embeddings, overrides and isolates) and
    raw C1 controls were kept in titles, texts and links; an override turns a headline around on
    the page. They are left out, written or as character references; the marks RLM/LRM stay."""
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item>'
            '<title>خبر \u202eفوری\u202c \u2067یک\u2069 &#x202e;دو \u200fسه\u0085</title>'
            '<link>https://a.example.ir/\u202e/x</link>'
            '<description>&lt;p&gt;متن \u202dوارونه\u202c &amp;#x202e; و&#x2066;جدا&#x2069;\u0090&lt;/p&gt;</description>'
            '</item></channel></rss>').encode()
    (entry,) = parse_feed(body).entries
    banned = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u0085\u0090")
    for value in (entry.title, entry.text, entry.summary_html, entry.link):
        assert not banned & set(value), repr(value)
    assert entry.title == "خبر فوری یک دو \u200fسه" and entry.link == "https://a.example.ir//x"
    assert "وارونه" in entry.text and "جدا" in entry.text


def test_a_guid_keeps_the_bidi_controls_it_kept_before_so_its_dedupe_key_stays():
    """A guid is the entry's dedupe key and never shown: the wider filter of titles and texts
    (above) would have given an entry stored earlier with such a guid another key, and a re-read
    feed would have stored it twice. It still loses the C0 controls, as it always did."""
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item>'
            '<guid isPermaLink="false">urn:a:\u202e12&#x1f;</guid><title>خبر</title></item></channel></rss>').encode()
    (entry,) = parse_feed(body).entries
    assert entry.guid == "urn:a:\u202e12"
    assert entry_key(entry.guid, entry.link, entry.title, entry.text) == sha1_hex("guid:urn:a:\u202e12")


def test_a_guid_is_kept_as_written_and_one_that_is_no_address_makes_no_link():
    """feedparser read «<guid>55501</guid>» as an address relative to the feed's: the entry was keyed
    and linked «http://host/old/55501», a page the feed never named, and every such entry was stored
    again when the feed's address moved (a review of hostile feeds). An absolute http(s) GUID that
    is a permalink is still the link of an entry without one."""
    body = _rss('<item><title>یک</title><guid>55501</guid></item>'
                '<item><title>دو</title><guid>/fa/news/55502</guid><link>https://news.example.ir/fa/news/55502</link></item>'
                '<item><title>سه</title><guid>https://news.example.ir/fa/news/55503</guid></item>'
                '<item><title>چهار</title><guid isPermaLink="false">https://news.example.ir/fa/news/55504</guid></item>')
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            '<entry><id>12</id><title>پنج</title></entry></feed>').encode()
    for address in ("http://news.example.ir/old/rss.xml", "https://news.example.ir/rss/news.xml", None):
        entries = parse_feed(body, base_url=address).entries + parse_feed(atom, base_url=address).entries
        assert [(e.guid, e.link) for e in entries] == [
            ("55501", None), ("/fa/news/55502", "https://news.example.ir/fa/news/55502"),
            ("https://news.example.ir/fa/news/55503", "https://news.example.ir/fa/news/55503"),
            ("https://news.example.ir/fa/news/55504", None), ("12", None)], address


def test_a_reference_to_a_lone_surrogate_is_read_as_a_replacement_mark_and_the_feed_kept():
    """Found by a fuzzing review: one «&#xD800;» in a title made feedparser fail to encode it, and
    the whole feed was refused as broken (its other entries lost, an English detail in the Persian
    message). It reads as U+FFFD, as an HTML parser reads it; other references stay as they are."""
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            '<item><title>خبر &#xD800; یک &#55297;</title><link>https://a.example.ir/1</link>'
            '<description>متن &#xdfff; و &#9731; &#x6cc;</description></item>'
            '<item><title>خبر دو</title><link>https://a.example.ir/2</link></item></channel></rss>').encode()
    first, second = parse_feed(body).entries
    assert (first.title, first.text) == ("خبر \ufffd یک \ufffd", "متن \ufffd و ☃ ی")
    assert second.title == "خبر دو"


# --- bounds on what one feed may cost (the review of hostile feeds, session 26) -----------------

def _rss(items: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>خوراک</title>'
            f'<link>https://news.example.ir/</link>{items}</channel></rss>').encode()


def test_an_entry_nested_thousands_deep_keeps_its_text_without_the_tags():
    """«<div>» 40,000 times took nh3 6 s (its cost grows with the square of the depth); a 15 MB
    body, hours, with the worker stalled. Nested past MAX_DEPTH, the entry's text is kept as text."""
    deep = "<div>" * 50_000 + "آب شهر &amp; روستا قطع شد" + "</div>" * 50_000
    feed = parse_feed(_rss(f"<item><title>خبر</title><link>https://news.example.ir/1</link>"
                           f"<description><![CDATA[{deep}]]></description></item>"), max_entries=1000)
    [entry] = feed.entries
    assert entry.text == "آب شهر & روستا قطع شد" and "<div" not in entry.summary_html


def test_an_entry_of_megabytes_of_html_is_cut():
    """One entry stored 62 MB of HTML and made a 14 MB item page."""
    from app.monitor.clean import MAX_ENTRY_HTML

    body = "<p>" + "خبر " * 600_000 + "</p>"
    feed = parse_feed(_rss(f"<item><title>خبر</title><link>https://news.example.ir/1</link>"
                           f"<description><![CDATA[{body}]]></description></item>"))
    assert len(feed.entries[0].summary_html) <= MAX_ENTRY_HTML + 10


def test_categories_are_kept_once_each_and_fifty_at_most():
    tags = "".join(f"<category>برچسب {n % 120}</category>" for n in range(400))
    feed = parse_feed(_rss(f"<item><title>خبر</title><link>https://news.example.ir/1</link>{tags}</item>"))
    categories = feed.entries[0].categories
    assert len(categories) == parse_module.MAX_CATEGORIES and len(set(categories)) == len(categories)
    assert categories[:2] == ["برچسب 0", "برچسب 1"]


@pytest.mark.parametrize("tags", [
    "".join(f"<category>k{n}</category>" for n in range(40_000)),  # 1 MB: 34 s
    "<itunes:keywords>" + ",".join(f"k{n}" for n in range(40_000)) + "</itunes:keywords>",  # 269 KB: 36 s
    "<media:keywords>" + ",".join(f"k{n}" for n in range(40_000)) + "</media:keywords>",
], ids=["category", "itunes", "media"])
def test_tens_of_thousands_of_categories_cost_what_their_size_says(monkeypatch, tags):
    """feedparser looks each new tag up in a list of the entry's others, so 40,000 of them took half
    a minute (a review of hostile feeds). It collects TAGS_COLLECTED; the entry keeps its first
    MAX_CATEGORIES, as before."""
    held = []
    real_read = parse_module.read_once

    def recorded(*args):
        result = real_read(*args)
        held.extend(len(entry.get("tags") or ()) for entry in result.entries)
        return result

    monkeypatch.setattr(parse_module, "read_once", recorded)
    body = ('<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
            'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>خوراک</title>'
            f"<item><title>خبر</title><guid>k-1</guid>{tags}</item></channel></rss>").encode()
    [entry] = parse_feed(body, max_entries=1000).entries
    assert len(held) == 1 and held[0] <= 4 * parse_module.MAX_CATEGORIES  # 40,000 before
    assert entry.categories == [f"k{n}" for n in range(parse_module.MAX_CATEGORIES)]


def test_a_fetched_document_of_more_tags_or_entries_than_a_feed_is_refused_before_it_is_parsed(monkeypatch):
    """15 MB of tiny items took feedparser 31 s and 560 MB before the newest 1,000 were kept; five
    million unclosed elements 210 s and 4 GB. A fetched feed is counted first; an administrator's own
    file (no entry limit: `feeds import-file`) is read whatever its size."""
    from app.monitor import feed_guards

    monkeypatch.setattr(feed_guards, "MAX_TAGS", 2_000)
    many_tags = _rss("<item><title>خبر</title><link>https://news.example.ir/1</link><description>"
                     + "<a>" * 3_000 + "</description></item>")
    with pytest.raises(FeedParseError) as refused:
        parse_feed(many_tags, max_entries=1000)
    assert refused.value.code == "overgrown" and "۳" in refused.value.message_fa
    items = "".join(f"<item><title>خبر {n}</title><link>https://news.example.ir/{n}</link></item>" for n in range(101))
    with pytest.raises(FeedParseError) as refused:
        parse_feed(_rss(items), max_entries=10)
    assert refused.value.code == "too_many_entries"
    assert len(parse_feed(_rss(items), max_entries=11).entries) == 11  # ten times the kept: read
    assert len(parse_feed(_rss(items)).entries) == 101  # a local file


def test_a_tag_of_tens_of_thousands_of_attributes_is_refused_before_it_is_parsed():
    """One item of 60,000 attributes (650 KB) took feedparser 58 s, holding the GIL: its strict
    parser looks each attribute up in a list of them all (a review of hostile feeds). Refused at
    once, fetched or an administrator's own file, and in the encodings that write markup in other
    bytes than ASCII's; a tag of MAX_ATTRIBUTES is read."""
    from app.monitor.feed_guards import MAX_ATTRIBUTES

    for max_entries in (1000, None):
        with pytest.raises(FeedParseError) as refused:
            parse_feed(crowded_tag_feed(), max_entries=max_entries)
        assert refused.value.code == "crowded_tag"
        assert "۶۰۰۰۰" in refused.value.message_fa and "۲۵۶" in refused.value.message_fa
    text = crowded_tag_feed(MAX_ATTRIBUTES + 1).decode().replace("خبر", "news")  # EBCDIC has no Persian
    for codec in ("utf-16", "cp037", "utf-7"):
        with pytest.raises(FeedParseError) as refused:
            parse_feed(f'<?xml version="1.0" encoding="{codec}"?>\n{text}'.encode(codec), max_entries=1000)
        assert refused.value.code == "crowded_tag", codec
    [entry] = parse_feed(crowded_tag_feed(MAX_ATTRIBUTES), max_entries=1000).entries
    assert (entry.title, entry.guid) == ("خبر", "at-1")


def test_markup_of_many_attributes_in_cdata_a_comment_or_escaped_is_text_and_read():
    """An article's picture of a thousand attributes, in CDATA, escaped or in a comment, is no tag
    of the feed: its entries are read."""
    img = "<img " + " ".join(f'data-a{n}="1"' for n in range(1000)) + ' src="https://news.example.ir/a.jpg">'
    body = _rss(f"<item><title>یک</title><link>https://news.example.ir/1</link>"
                f"<description><![CDATA[{img}<p>متن خبر</p>]]></description></item><!-- {img} -->"
                f"<item><title>دو</title><link>https://news.example.ir/2</link>"
                f"<description>{html.escape(img)}</description></item>")
    first, second = parse_feed(body, max_entries=1000).entries
    assert (first.title, first.text, second.title) == ("یک", "متن خبر", "دو")


def test_an_article_quoting_an_entity_declaration_is_read_a_declaration_is_refused():
    """The review of hostile feeds (session 26): «<!ENTITY» anywhere refused the whole feed, so one
    entry quoting it (an article on XML security, a comment) silenced its outlet on every poll."""
    quoted = _rss("<item><title>امنیت XML</title><link>https://news.example.ir/1</link>"
                  "<description><![CDATA[نمونهٔ حمله: <!ENTITY lol 'lol'> و &lol;]]></description></item>"
                  "<!-- <!ENTITY in a comment -->")
    [entry] = parse_feed(quoted, max_entries=1000).entries
    assert entry.text.startswith("نمونهٔ حمله")  # read (the quoted markup is HTML, cleaned away)
    # declared and used (one declared and never used is taken out and the feed read: test_entity_subset.py, round 20)
    declared = quoted.replace(b"<rss", b"<!DOCTYPE rss [<!ENTITY x \"y\">]><rss", 1).replace(b"</title>", b" &x;</title>", 1)
    with pytest.raises(FeedParseError) as refused:
        parse_feed(declared)
    assert refused.value.code == "entities"
    # A declaration after text expat cannot read (the loose parser might still honour it): refused.
    broken = quoted.replace(b"</channel>", b"<![CDATA[ unclosed <!ENTITY z 'z'> </channel>", 1)
    with pytest.raises(FeedParseError):
        parse_feed(broken)


def test_html_references_under_an_external_doctype_are_kept():
    """The review of hostile feeds (session 26): under RSS 0.91's DOCTYPE expat skipped every HTML
    reference silently: «می&zwnj;شود» was stored «میشود» (two words joined), «caf&eacute;» «caf»."""
    doc = ('<?xml version="1.0" encoding="utf-8"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
           '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>t</title>'
           '<link>https://t.example.ir/</link><item><title>می&zwnj;شود caf&eacute; &amp; x</title>'
           '<link>https://t.example.ir/1</link><description>d&eacute;j&agrave; &lt;b&gt;</description></item>'
           '</channel></rss>').encode()
    [entry] = parse_feed(doc).entries
    assert entry.title == "می\u200cشود café & x" and entry.text.startswith("déjà")


def test_a_title_loses_the_characters_it_shows_as_nothing_but_keeps_zwnj():
    """The review of hostile feeds (session 26): zero-width spaces, BOMs, soft hyphens and the tag
    characters of «ASCII smuggling» were stored and shown in titles (and copied along)."""
    title = "نشست\u200b خبری\ufeff استاندار\u00ad می\u200cشود\u2060 \U000e0041\U000e0042 ok\u034f"
    [entry] = parse_feed(_rss(f"<item><title>{title}</title><link>https://news.example.ir/1</link></item>")).entries
    assert entry.title == "نشست خبری استاندار می\u200cشود ok"



@pytest.mark.parametrize("title", ["\u200c\u200c\u200c", "\u200f\u200e\u061c", "\u2800\u115f\u3164", "\u200c \u0651"])
def test_a_title_of_only_characters_shown_as_nothing_is_no_title(title):
    """ZWNJs, direction marks, Hangul fillers or the blank Braille pattern alone were stored and
    shown as an empty, unclickable headline (a review of hostile feeds, round 4)."""
    [entry] = parse_feed(_rss(f"<item><title>{title}</title><link>https://news.example.ir/1</link></item>")).entries
    assert entry.title == ""



# --- the review of hostile feeds, round 2 (session 27) ------------------------------------------

@pytest.mark.parametrize("codec, compress", [("bz2_codec", bz2.compress), ("zlib_codec", zlib.compress)])
def test_a_bytes_codec_named_as_the_charset_inflates_nothing(codec, compress):
    """A server naming «charset=bz2_codec» over 833 bytes of bz2 had them inflated to 1 GiB (2 GB
    of memory) while a cut document was looked at; a few KB would kill the worker before the
    failure is stored, on every claim of the feed. No bytes codec decodes a feed now: the charset
    is read as an unknown one. The override of a feed may not name one either."""
    body = compress(b" " * 50_000_000)  # 50 MB of spaces in a few KB
    tracemalloc.start()
    try:
        with pytest.raises(FeedParseError):
            parse_feed(body, headers={"Content-Type": f"application/rss+xml; charset={codec}"})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # bytes: nothing inflated (the 50 MB inside were)
    with pytest.raises(FeedParseError) as refused:
        parse_feed(_rss("<item><title>خبر</title></item>"), encoding_override=codec)
    assert refused.value.code == "bad_override"


def test_a_huge_author_costs_what_its_size_says(monkeypatch):
    """feedparser's e-mail search over an author's text backtracks with the square of its length,
    holding the GIL: 100,000 characters froze the worker for 50 s (a review of hostile feeds). The
    text it searches is bounded; the entries and a real author are read as before."""
    searched = []
    original = feedparser_bounds._SYNC_AUTHOR_DETAIL

    def recorded(parser, key="author"):
        searched.append(len(parser._get_context().get(key) or ""))
        return original(parser, key)

    monkeypatch.setattr(feedparser_bounds, "_SYNC_AUTHOR_DETAIL", recorded)
    huge = "a" * 300_000
    body = (f'<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            f'<title>t</title><managingEditor>{huge}</managingEditor>'
            f'<item><title>یک</title><author>{huge}</author></item>'
            f'<item><title>دو</title><dc:creator>{huge}</dc:creator></item>'
            f'<item><title>سه</title><author>news@example.ir (مریم احمدی)</author></item></channel></rss>').encode()
    first, second, third = parse_feed(body).entries
    assert searched and max(searched) == feedparser_bounds.AUTHOR_TEXT_MAX  # 300,000 before: hours of search
    assert (first.title, second.title) == ("یک", "دو") and len(first.author) <= 2_000
    assert "مریم احمدی" in third.author


@pytest.mark.parametrize("reference", ["&#x110000;", "&#1114112;", "&#99999999999;", "&#x7FFFFFFFFFFFFFFFF;"])
def test_a_reference_past_the_last_character_is_a_replacement_mark_and_the_feed_kept(reference):
    """«&#x110000;» made feedparser's chr() raise ValueError (the whole feed lost as malformed, with
    Python's English in the message), «&#99999999999;» OverflowError (an internal error in the
    poll, a 500 on the feed form's preview)."""
    first, second = parse_feed(_rss(f"<item><title>خبر {reference} یک</title><link>https://a.example.ir/1</link>"
                                    f"</item><item><title>خبر دو &#x10FFFF;&#65;</title></item>")).entries
    assert (first.title, second.title) == ("خبر \ufffd یک", "خبر دو \U0010ffffA")


@pytest.mark.parametrize("where", ["declaration", "header"])
def test_a_utf8_byte_order_mark_decides_over_a_declared_windows_1256(where):
    """UTF-8 with its byte-order mark, declared (or served) as windows-1256: feedparser followed the
    declaration and stored «ط®ط¨ط±» for «خبر», with no warning. The mark decides (XML 1.0 appendix
    F); the feed's page says what was declared."""
    declaration = ' encoding="windows-1256"' if where == "declaration" else ""
    body = codecs.BOM_UTF8 + (f'<?xml version="1.0"{declaration}?><rss version="2.0"><channel><title>t</title>'
                              '<item><title>خبر خوب</title><link>https://a.example.ir/1</link></item>'
                              '</channel></rss>').encode()
    headers = {"Content-Type": "application/rss+xml; charset=windows-1256"} if where == "header" else {}
    parsed = parse_feed(body, headers=headers)
    assert [e.title for e in parsed.entries] == ["خبر خوب"]
    assert "windows-1256" in parsed.warning


def _with_summary(description: str, content: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>'
            f'<item><title>خبر</title><link>https://a.example.ir/1</link><description>{description}</description>'
            f'<content:encoded><![CDATA[{content}]]></content:encoded></item></channel></rss>').encode()


BODY = ("<p>به گزارش خبرگزاری، جلسهٔ شورای اداری استان امروز با حضور مدیران کل دستگاه‌های اجرایی برگزار شد.</p>"
        "<p>در این جلسه دربارهٔ کم‌آبی تابستان و راه‌های کاستن از مصرف آب سخن گفته شد.</p>")


def test_a_lede_written_apart_from_the_content_is_kept_before_it():
    """The feed's description (a lede: news agencies name the official who spoke there) was dropped
    whenever the content was longer, and «استاندار» missed the article (a review of search)."""
    (entry,) = parse_feed(_with_summary("استاندار خراسان جنوبی گفت: مدیران باید پاسخگوی مردم باشند.", BODY)).entries
    assert entry.text.startswith("استاندار خراسان جنوبی گفت") and "کم‌آبی تابستان" in entry.text
    assert entry.summary_html.startswith("<div>استاندار") and "<p>در این جلسه" in entry.summary_html


def test_a_lede_whose_first_words_the_body_repeats_and_that_goes_on_with_its_own_is_kept():
    """A review of search, round 5: a lede was an excerpt when its first eight words stood anywhere
    in the body; 135 of the 1,500 real articles have one the body ends by repeating, with words of
    its own after them («مصدوم شدن 6 مسافر»: no search found the article). Kept before the body."""
    lede = ("به گزارش خبرگزاری، جلسهٔ شورای اداری استان امروز با حضور مدیران کل برگزار شد و "
            "در آن از مصدوم شدن ۶ مسافر در حادثهٔ جاده‌ای سخن رفت.")
    body = BODY + "<p>به گزارش خبرگزاری، جلسهٔ شورای اداری استان امروز با حضور مدیران کل پایان یافت.</p>"
    (entry,) = parse_feed(_with_summary(lede, body)).entries
    assert entry.text.startswith("به گزارش خبرگزاری") and "مصدوم شدن ۶ مسافر" in entry.text
    assert entry.text.count("کم‌آبی تابستان") == 1


@pytest.mark.parametrize("lede", [
    "رئیس سازمان گفت: «… کار ادامه دارد»؛ در تصادف امروز ۶ مسافر مصدوم شدند و به بیمارستان رفتند…",
    "… و مدیران کل از طرح تازهٔ مصرف آب در تابستان سخن گفتند",
    "جاده مسدود",
    # the second review: a quoted «…» with the lede's news after it; «ادامه داد» (went on) is no link
    "به گزارش خبرگزاری، جلسهٔ شورای اداری استان گفت: «…» استاندار از برکناری سه مدیر خبر داد",
    "به گزارش خبرگزاری، جلسهٔ شورای اداری استان «...» برگزار شد و استاندار ادامه داد که از فردا سهمیه‌بندی آب "
    "در همهٔ شهرهای استان آغاز می‌شود و مردم باید صرفه‌جویی کنند",
])
def test_a_lede_with_an_ellipsis_of_its_own_or_of_two_words_is_kept(lede):
    """The review of this change: the words before a lede's first «…» decided (quoted speech with
    «…» is common in ledes: «رئیس» was in the body, the lede dropped); a lede opening with «…» was
    always dropped; a two-word lede lost its last word and matched the body's «جاده»."""
    body = BODY + "<p>رئیس سازمان دربارهٔ جاده سخن گفت.</p>"
    (entry,) = parse_feed(_with_summary(lede, body)).entries
    assert entry.text.startswith(lede.split()[0]) and entry.text.count("کم‌آبی تابستان") == 1


@pytest.mark.parametrize("description", [
    "به گزارش خبرگزاری، جلسهٔ شورای اداری استان امروز با حضور مدیران کل دستگاه‌های اجرایی برگزار شد. [&#8230;]",
    "&lt;p&gt;به گزارش خبرگزاری، جلسهٔ شورای اداری استان امروز با حضور مدیران&lt;/p&gt;",
    "در این جلسه دربارهٔ کم‌آبی تابستان و راه‌های کاستن از مصرف آب سخن گفته شد.",
    # cut inside a word, then the link's words
    "به گزارش خبرگزاری، جلسهٔ شورای اداری استان امروز با حضور مدی… ادامه مطلب",
    "به گزارش خبرگزاری، جلسهٔ شورای اداری استان امروز با حضور مدیران کل ... Continue reading →",
    "به گزارش خبرگزاری، جلسهٔ شورای اداری استان امروز [&#8230;] The post خبر appeared first on سایت.",
    "به گزارش خبرگزاري، جلسه شوراي اداري استان امروز با حضور مديران كل دستگاه\u200cهاي اجرايي برگزار شد.",  # Arabic letters
])
def test_a_description_that_is_an_excerpt_of_the_content_is_left_out(description):
    """A WordPress «[…]» excerpt, the first words as HTML, a paragraph of the content, an excerpt
    cut with a «read more» link after it: not twice."""
    (entry,) = parse_feed(_with_summary(description, BODY)).entries
    assert entry.text.startswith("به گزارش خبرگزاری") and entry.text.count("کم‌آبی تابستان") == 1


def test_feedparsers_encoding_fallback_is_said_in_persian():
    """A UTF-16 feed served as «charset=utf-8»: read, with feedparser's English sentence («document
    declared as utf-8, but parsed as utf-16le») inside the Persian warning (a review of hostile feeds)."""
    body = ('<?xml version="1.0" encoding="utf-16"?>\n<rss version="2.0"><channel><title>t</title>'
            '<item><title>خبر یک</title><link>https://a.example.ir/1</link></item></channel></rss>').encode("utf-16")
    parsed = parse_feed(body, headers={"Content-Type": "application/rss+xml; charset=utf-8"})
    assert [e.title for e in parsed.entries] == ["خبر یک"]
    # The byte-order mark decides before feedparser reads it (round 16): said as a misdeclaration, in Persian.
    assert parsed.warning_detail == {"key": "warning.misdeclared",
                                     "values": {"declared": "utf-8", "actual": "utf-16-le"}}
    assert "declared" not in parsed.warning and "«utf-8»" in parsed.warning and "«utf-16-le»" in parsed.warning


def test_a_declared_encoding_longer_than_any_name_is_shown_cut():
    """A charset label of 3,000 letters was shown whole in the feed's warning (3,142 characters; found while
    fuzzing the corpus, hostile feeds round 14): a value the feed wrote is shown at most 200 characters long."""
    # (no encoding declared: a declaration naming one is read over a label no encoding has, round 16)
    body = ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>t</title>'
            '<item><title>خبر یک</title><link>https://a.example.ir/1</link></item></channel></rss>').encode("utf-16")
    parsed = parse_feed(body, headers={"Content-Type": "application/rss+xml; charset=" + "x" * 3000})
    assert [e.title for e in parsed.entries] == ["خبر یک"]
    assert len(parsed.warning) < 400 and "«" + "x" * 200 + "…»" in parsed.warning


def test_an_entity_declaration_under_an_encoding_expat_lacks_is_refused_not_a_crash():
    """Found by Hypothesis from a real feed: «encoding="so-8859-2"» with an «<!ENTITY» made expat's
    check raise LookupError (an internal error in the poll); it is refused as a declaring feed. (Drupal's
    «%HTMLlat1» alone, as that feed declared, is taken out and the item read since round 20: test_entity_subset.py.)"""
    body = (b'<?xml version="1.0" encoding="so-8859-2"?>\n<!DOCTYPE rss [<!ENTITY % HTMLlat1 PUBLIC "-//W3C//ENTITIES '
            b'Latin 1 for XHTML//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml-lat1.ent"><!ENTITY x "y">]>\n<rss version="0.92">'
            b'<channel><title>t</title><item><title>Kommunik\xe1ci\xf3 &x;</title></item></channel></rss>')
    with pytest.raises(FeedParseError) as refused:
        parse_feed(body)
    assert refused.value.code == "entities"
    assert [e.title for e in parse_feed(body.replace(b'<!ENTITY x "y">', b"").replace(b" &x;", b"")).entries] == ["Kommunikáció"]


def test_a_podcast_episode_with_its_audio_alone_has_the_audio_as_its_link():
    """A review of hostile feeds, round 7: an episode with a GUID and an enclosure, no link, was
    stored without an address. Without a GUID it stays linkless (its key would change)."""
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>p</title>'
            '<item><guid isPermaLink="false">ep-1</guid><title>قسمت یک</title>'
            '<enclosure url="https://radio.example.ir/ep1.mp3" length="100" type="audio/mpeg"/></item>'
            '<item><title>قسمت دو</title>'
            '<enclosure url="https://radio.example.ir/ep2.mp3" length="100" type="audio/mpeg"/></item>'
            '<item><guid isPermaLink="false">ep-3</guid><title>قسمت سه</title>'
            '<enclosure url="javascript:alert(1)" type="audio/mpeg"/></item>'
            '<item><guid isPermaLink="false">n-4</guid><title>خبر با عکس</title>'
            '<enclosure url="https://news.example.ir/images/default.jpg" type="image/jpeg"/></item>'
            '</channel></rss>').encode()
    first, second, third, picture = parse_feed(body).entries
    assert (first.guid, first.link) == ("ep-1", "https://radio.example.ir/ep1.mp3")
    assert second.link is None and third.link is None
    assert picture.link is None  # a news feed's shared picture is no article's address (the review of this change)


def test_a_valid_feed_of_no_entries_is_read_with_a_warning():
    """An RSS channel without an item showed as a working feed with nothing said: a CMS that emptied
    its feed stopped the monitoring in silence (a review of hostile feeds, round 8)."""
    feed = parse_feed(b"<rss version='2.0'><channel><title>t</title><link>https://x.example/</link>"
                      b"<description>d</description></channel></rss>")
    assert feed.entries == [] and "هیچ خبری نداشت" in feed.warning
    assert parse_feed(b"<rss version='2.0'><channel><title>t</title><item><title>x</title>"
                      b"<link>https://x.example/1</link></item></channel></rss>").warning is None


def test_an_entry_of_invisible_characters_alone_is_empty():
    """A review of hostile feeds (round 9): an item whose title was a ZWNJ and an RLM and whose
    description was ZWNJ, spaces and an LRM, with no link or GUID, was stored as an untitled item of
    invisible text; an author or a category of such characters alone was kept too."""
    rss = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
           '<item><title>\u200c\u200f</title><description>\u200c \u200e \u200c</description>'
           '<author>\u200c\u200e</author><category>\u200c</category><category>\U000e0041 سیاسی</category></item>'
           '<item><title>خبر</title><link>http://x.example/1</link><description>\u200c\u200e</description></item>'
           '</channel></rss>')
    empty, news = parse_feed(rss.encode()).entries
    assert (empty.title, empty.text, empty.author, empty.categories) == ("", "", None, ["سیاسی"])
    assert (news.title, news.text) == ("خبر", "")


def test_an_entry_of_invisible_characters_alone_is_not_stored(app, tmp_path):
    from tests.monitor.test_ingest import cli_import

    path = tmp_path / "ghost.rss"
    path.write_text('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
                    '<item><title>\u200c\u200f</title><description>\u200c \u200e \u200c</description></item>'
                    '<item><title>خبر واقعی</title><link>http://x.example/2</link></item></channel></rss>', "utf-8")
    assert cli_import(app, str(path))["items_new"] == 1


def _joined_base_lengths(monkeypatch) -> list[int]:
    """The length of the base of each join feedparser makes, as the parse goes."""
    joined = []
    urljoin = feedparser.urls.urllib.parse.urljoin

    def recorded(base, url, *args, **kwargs):
        joined.append(len(base or ""))
        return urljoin(base, url, *args, **kwargs)

    monkeypatch.setattr(feedparser.urls.urllib.parse, "urljoin", recorded)
    return joined


def test_an_xml_base_longer_than_any_address_is_not_joined_at_every_tag(monkeypatch):
    """feedparser joins the base of each element to the one it inherits at every start tag, and each
    relative link to it: an «xml:base» of 1 MB on the «<rss>» of 400 small items (1 MB in all) took
    35 s, holding the GIL, and half a million tags an hour (a review of hostile feeds, round 13). A
    base longer than any address (``LINK_MAX_CHARS``) is none: the element keeps its parent's, and the
    relative links resolve against the feed's address."""
    joined = _joined_base_lengths(monkeypatch)
    huge = "https://ostan.example.ir/" + "a/" * 500_000
    items = "".join(f"<item><title>خبر {n}</title><link>news/{n}</link><description>&lt;a href=\"p{n}\"&gt;x&lt;/a&gt;"
                    "</description></item>" for n in range(40))
    body = f'<rss version="2.0" xml:base="{huge}"><channel><title>t</title>{items}</channel></rss>'.encode()
    parsed = parse_feed(body, base_url="https://feeds.example.ir/fa/rss.xml")
    assert max(joined) <= parse_module.LINK_MAX_CHARS  # 1,000,025 before: 40 joins of a megabyte an item
    assert [entry.link for entry in parsed.entries[:2]] == ["https://feeds.example.ir/fa/news/0",
                                                            "https://feeds.example.ir/fa/news/1"]
    assert 'href="https://feeds.example.ir/fa/p0"' in parsed.entries[0].summary_html
    nested = ('<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://ostan.example.ir/fa/"><title>t</title>'
              f'<entry xml:base="{huge}"><id>urn:1</id><title>یک</title><link href="1.html"/></entry></feed>').encode()
    assert parse_feed(nested).entries[0].link == "https://ostan.example.ir/fa/1.html"


@pytest.mark.parametrize("location", ["https://ostan.example.ir/" + "a" * 16_000, "/fa/" + "a/" * 100])
def test_a_content_location_longer_than_any_address_is_not_the_base(monkeypatch, location):
    """A 16 KB Content-Location slowed a document of 200,000 tags from 5.8 to 10 s: feedparser joins it at every
    start tag (a review of hostile feeds, round 13). It is capped as an «xml:base» is (``BASE_MAX_CHARS``,
    ``BASE_MAX_SLASHES``): the links resolve against the feed's address."""
    joined = _joined_base_lengths(monkeypatch)
    items = "".join(f"<item><title>خبر {n}</title><link>news/{n}</link></item>" for n in range(5))
    body = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    parsed = parse_feed(body, headers={"Content-Location": location}, base_url="https://feeds.example.ir/fa/rss.xml")
    assert max(joined) <= 200
    assert parsed.entries[0].link == "https://feeds.example.ir/fa/news/0"
    short = parse_feed(body, headers={"Content-Location": "/fa/archive/"}, base_url="https://feeds.example.ir/fa/rss.xml")
    assert short.entries[0].link == "https://feeds.example.ir/fa/archive/news/0"  # as before


def test_nested_relative_xml_bases_do_not_grow_past_any_address(monkeypatch):
    """Each «xml:base» short, nested: feedparser joins each to the base it inherits, so the base grew by
    one piece a level and every join was as long as the path so far (20,000 elements of «a/», 420 KB, took
    21 s: a review of the session's changes). A base whose join would pass ``BASE_MAX_CHARS`` is none:
    the element keeps its parent's."""
    joined = _joined_base_lengths(monkeypatch)
    depth = 6000
    nested = '<x xml:base="a/">' * depth + "</x>" * depth
    body = ('<rss version="2.0"><channel><title>t</title><item><title>خبر</title><link>news/1</link>'
            f'{nested}</item></channel></rss>').encode()
    parsed = parse_feed(body, base_url="https://feeds.example.ir/fa/rss.xml")
    assert max(joined) <= 200  # 12,026 before: the base a level deeper each time (8,192 with the length cap alone)
    assert parsed.entries[0].link == "https://feeds.example.ir/fa/news/1"


def test_a_web_page_in_place_of_the_feed_names_the_feed_its_head_links_to():
    """A CMS redesigned or the home page given: the page was refused as HTML and no more; the feed its head names
    («<link rel="alternate" type="application/rss+xml">», resolved against the page's address) is said, to be
    given instead, not followed (hostile feeds, round 18). A page naming none, or only a «javascript:» one, is
    said as before; the code stays ``html``."""
    page = ('<!DOCTYPE html><html><head><link rel="stylesheet" href="/s.css">'
            '<link rel="alternate" type="application/rss+xml" title="اخبار" href="/fa/rss?x=1&amp;y=2">'
            '</head><body>خبرها</body></html>').encode()
    with pytest.raises(FeedParseError) as refused:
        parse_feed(page, base_url="https://ostan.example.ir/fa/")
    assert refused.value.code == "html" and "«https://ostan.example.ir/fa/rss?x=1&y=2»" in refused.value.message_fa
    for other in (page.replace(b'"alternate"', b'"canonical"'), page.replace(b"/fa/rss?x", b"javascript:x")):
        with pytest.raises(FeedParseError) as refused:
            parse_feed(other, base_url="https://ostan.example.ir/fa/")
        assert refused.value.message_fa.startswith("این نشانی به جای خوراک RSS یا Atom یک صفحهٔ HTML برگرداند.")


def test_a_pages_feed_link_cannot_write_words_into_the_refusal():
    """A review of round 18: the page's href is the page's author's; spaces, «» and quotes in it were said as
    written, «…: «https://evil.example/» این نشانی را بدهید» است», words of the author's in the sentence. They
    are percent-encoded (a URL has none), the Persian letters of an address kept."""
    page = ('<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" '
            'href="https://evil.example/» نشانی درست: «https://evil.example/خبر"></head></html>').encode()
    with pytest.raises(FeedParseError) as refused:
        parse_feed(page, base_url="https://ostan.example.ir/fa/")
    assert "«https://evil.example/%C2%BB%20نشانی%20درست:%20%C2%ABhttps://evil.example/خبر»" in refused.value.message_fa


def test_an_emptied_feed_with_an_html_entity_is_read_as_empty_not_refused_as_broken():
    """A channel whose CMS emptied it, its description holding «&nbsp;» (no XML entity): refused as broken, «no news
    read» (feedparser's 251 entity test files); it is a feed of no item, said with its flaw (hostile feeds, round
    18). A document with an item's tag that the lenient reading did not read is refused as before."""
    empty = "<rss version='2.0'><channel><title>اخبار&nbsp;استان</title><description>a&nbsp;b</description></channel></rss>"
    feed = parse_feed(empty.encode())
    assert (feed.title, feed.entries) == ("اخبار استان", [])
    assert feed.warning_detail["key"] == "warning.malformed_no_entries" and "هیچ خبری نداشت" in feed.warning
    with pytest.raises(FeedParseError) as refused:
        parse_feed(empty.replace("</channel>", "<!-- <item><title>خبر</title></item> --></channel>").encode())
    assert refused.value.code == "malformed"
