"""windows-1256 under another Arabic-script name, or a name Python lacks (a review of hostile feeds,
round 11: «charset=ISO-8859-6», «encoding="arabic"», «x-cp1256», «windows1256» were stored as «íÔŃÝĘ
ŘŃÍ…» with a generic warning, a cp720 declaration as box-drawing characters with none)."""
from __future__ import annotations

import pytest

from app.monitor.parse import parse_feed

from .test_parse import _cp1256, _fingerprint, hoder  # noqa: F401 (the fixture)

MISDECLARED = "خوراک رمزگذاری خود را «{}» اعلام کرده بود ولی متنش «windows-1256» بود و «windows-1256» خوانده شد."


@pytest.mark.parametrize("label", ["ISO-8859-6", "arabic", "asmo-708", "cp720", "windows1256", "windows-1256-x"])
@pytest.mark.parametrize("where", ["http", "xml"])
def test_windows_1256_under_another_arabic_name_or_an_unknown_one_is_read_with_a_warning(hoder, label, where):
    if where == "http":
        feed = parse_feed(_cp1256(hoder, None), headers={"Content-Type": f"application/rss+xml; charset={label}"})
    else:
        feed = parse_feed(_cp1256(hoder, f'<?xml version="1.0" encoding="{label}"?>'))
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))
    assert feed.encoding == "cp1256" and feed.warning == MISDECLARED.format(label)


@pytest.mark.parametrize("where", ["http", "xml"])
def test_a_whatwg_label_python_lacks_is_read_as_it_says_without_a_warning(hoder, where):
    """«x-cp1256» is windows-1256 in WHATWG's Encoding Standard (what every browser reads)."""
    if where == "http":
        feed = parse_feed(_cp1256(hoder, None), headers={"Content-Type": "text/xml; charset=x-cp1256"})
    else:
        feed = parse_feed(_cp1256(hoder, '<?xml version="1.0" encoding="x-cp1256"?>'))
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))
    assert feed.encoding == "cp1256" and feed.warning is None


def test_arabic_in_iso_8859_6_keeps_its_reading():
    """Text that is in the Arabic code page it declares (which has no Persian letter) is not taken
    for windows-1256, though most of its letters sit where windows-1256 has them too."""
    title = "قال وزير الخارجية إن المفاوضات مستمرة مع الجانب الآخر حول الاتفاق النووي"
    body = (f'<?xml version="1.0" encoding="iso-8859-6"?><rss version="2.0"><channel><title>أخبار</title>'
            f"<item><title>{title}</title><link>http://x.example/1</link></item></channel></rss>").encode("iso-8859-6")
    feed = parse_feed(body)
    assert [e.title for e in feed.entries] == [title] and feed.warning is None


def _mixed(utf8: bytes, in_1256: set[int]) -> bytes:
    """hoder.xml with the items numbered in ``in_1256`` (from 0) in windows-1256, the rest of it UTF-8: a
    UTF-8 template around the text of an older database, as a CMS in the middle of a migration serves it."""
    head, *items = utf8.decode("utf-8").split("<item")
    parts = [head.encode("utf-8")]
    for n, item in enumerate(items):
        text = "<item" + item
        parts.append(text.translate({0x06CC: "\u064a", 0x06A9: "\u0643"}).encode("cp1256") if n in in_1256
                     else text.encode("utf-8"))
    return b"".join(parts)


@pytest.mark.parametrize("charset", [None, "utf-8", "windows-1256"])
def test_items_in_windows_1256_inside_a_utf8_feed_are_each_read_in_their_own_encoding(hoder, charset):
    """A feed whose template is UTF-8 and whose older items come from a windows-1256 database: the whole
    document was read in one encoding, ISO-8859-2 or windows-1256, and every item of the other was
    stored as «ŘŽŘ¨Řą» or «ط®ط¨ط±», with a warning that named neither or none at all (a review of
    hostile feeds, round 13). Each run of text is read in the encoding it is in, and the page says so."""
    whole = parse_feed(hoder)
    served = _mixed(hoder, {1, 3, 4})
    headers = {"Content-Type": f"application/rss+xml; charset={charset}"} if charset else {}
    feed = parse_feed(served, headers=headers)
    assert _fingerprint(feed) == _fingerprint(whole)
    assert feed.warning_detail == {"key": "warning.mixed_encoding", "values": {"count": 3}}
    assert "windows-1256" in feed.warning and "۳" in feed.warning


def test_a_feed_whose_own_text_alone_is_in_windows_1256_does_not_say_none_of_its_items_were():
    """The channel's title from the old database, every item UTF-8: the warning said «متن ۰ خبر
    windows-1256 بود» (the text of 0 items was; a review of session 39). It says the feed's own text was."""
    items = "".join(f"<item><title>خبر شماره {n} از استان</title><link>http://x.example/{n}</link></item>"
                    for n in range(3)).encode("utf-8")
    body = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>'
            + "اخبار استان".encode("cp1256") + b"</title>" + items + b"</channel></rss>")
    feed = parse_feed(body)
    assert feed.title == "اخبار استان" and len(feed.entries) == 3
    assert feed.warning_detail == {"key": "warning.mixed_encoding_feed", "values": {}}
    assert "۰" not in feed.warning and "بیرون از خبرها" in feed.warning


def test_a_feed_wholly_in_one_encoding_is_not_read_as_mixed(hoder):
    """A document in windows-1256 alone, and UTF-8 alone, are read as before (no piece of either passes
    for the other: a pair of windows-1256 letters may be a valid UTF-8 character, never a run of Persian)."""
    whole = _fingerprint(parse_feed(hoder))
    for body in (_cp1256(hoder, None), _mixed(hoder, set(range(100))), _mixed(hoder, set())):
        feed = parse_feed(body)
        assert (feed.warning_detail or {}).get("key") != "warning.mixed_encoding"
        assert _fingerprint(feed) == whole
    # A few damaged bytes in UTF-8 runs («\xed\xa0» reads «ي » in windows-1256) are no windows-1256 text
    damaged = _mixed(hoder, set()).replace(b"<title>", b"<title>\xed\xa0 ", 3)
    assert parse_feed(damaged).warning_detail == {"key": "warning.damaged_utf8", "values": {}}



def test_a_word_in_windows_1256_inside_utf8_text_is_read_as_that_word():
    """A word from an older database inside a UTF-8 headline or lede («استان», «گزارش»: bytes that are no UTF-8)
    stayed «�����» (a whole run or entry was read, not a word: session 43's note); it is read in windows-1256,
    and said. A lone damaged byte among UTF-8 words stays «�» (hostile feeds, round 18)."""
    title = "خبر فوری از ".encode() + "استان".encode("cp1256") + " یزد".encode()
    lede = "متن خبر درباره ".encode() + "گزارش".encode("cp1256") + " تازه ".encode() + b"\xd8" + " پایان".encode()
    body = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item><title>' + title
            + b"</title><link>http://x.example/1</link><description>" + lede + b"</description></item></channel></rss>")
    feed = parse_feed(body)
    assert (feed.entries[0].title, feed.entries[0].text) == ("خبر فوری از استان یزد", "متن خبر درباره گزارش تازه � پایان")
    assert feed.warning_detail == {"key": "warning.mixed_encoding", "values": {"count": 1}}

def _cesu8(text: str) -> bytes:
    """``text`` in CESU-8: each character past U+FFFF as its two UTF-16 halves, each in UTF-8's three bytes
    (Java's modified UTF-8, a MySQL «utf8» column fed emoji through a driver that splits them)."""
    return "".join(ch.encode("utf-16-be").decode("utf-16-be") if ord(ch) <= 0xFFFF else
                   "".join(chr(int.from_bytes(ch.encode("utf-16-be")[i:i + 2], "big")) for i in (0, 2))
                   for ch in text).encode("utf-8", "surrogatepass")


def test_emoji_written_in_cesu8_are_read_as_the_emoji_and_the_feed_as_utf8(hoder):
    """A Persian feed whose headlines open with «🔴» or «📸», written in CESU-8: the bytes were no UTF-8,
    and the whole feed was read as ISO-8859-2 (every item «ŘŽŘ¨Řą»), from five emoji on (a review of
    hostile feeds, round 13). Each pair of halves is its character; a half without its pair is «�»."""
    text = hoder.decode("utf-8")
    marked = text.replace("<title>", "<title>🔴 ").replace("<description>", "<description>📸 📢 ")
    feed = parse_feed(_cesu8(marked))
    assert feed.encoding == "utf-8" and feed.warning_detail is None
    assert _fingerprint(feed) == _fingerprint(parse_feed(marked.encode("utf-8")))
    assert all(entry.title.startswith("🔴 ") for entry in feed.entries)
    damaged = parse_feed(_cesu8(marked.replace("<title>🔴 ", "<title>", 1)).replace(b"<title>", b"<title>\xed\xa0\xbd", 1))
    assert damaged.entries[1].title.startswith("🔴 ") and damaged.warning_detail == {"key": "warning.damaged_utf8",
                                                                                       "values": {}}


@pytest.mark.parametrize("bom, codec", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
                                        (b"\xff\xfe\x00\x00", "utf-32-le")])
@pytest.mark.parametrize("declared", ["utf-8", "windows-1256", "utf-16be", "utf-16"])
def test_a_utf16_or_utf32_byte_order_mark_decides_over_the_declaration(hoder, bom, codec, declared):
    """The byte-order mark decides (XML 1.0 appendix F, WHATWG): a UTF-16 document whose declaration still said
    «utf-8» (a template's, re-encoded by the server) was refused whole as «broken» (hostile feeds, round 16)."""
    text = hoder.decode("utf-8").replace('encoding="utf-8"', f'encoding="{declared}"', 1)
    feed = parse_feed(bom + text.encode(codec))
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))
    said = (feed.warning_detail or {}).get("key")
    same = codec.replace("-", "") in (declared.replace("-", ""), declared.replace("-", "") + "le", declared.replace("-", "") + "be")
    assert said == (None if same else "warning.misdeclared")


@pytest.mark.parametrize("bom, codec", [(b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")])
def test_a_utf16_document_labelled_utf16_by_its_server_is_read_in_the_order_its_mark_says(hoder, bom, codec):
    """«charset=utf-16» over a big-endian mark (a correct label: UTF-16 names either order) was refused whole as
    broken (found by bench/fuzz_wire.py, round 16); read, with no warning."""
    body = bom + hoder.decode("utf-8").replace('encoding="utf-8"', 'encoding="utf-16"', 1).encode(codec)
    feed = parse_feed(body, headers={"Content-Type": "application/rss+xml; charset=utf-16"})
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder)) and feed.warning is None


def test_a_utf8_byte_order_mark_before_windows_1256_text_is_not_believed(hoder):
    """A windows-1256 site whose template begins with a UTF-8 byte-order mark (a PHP include saved «UTF-8 with BOM»):
    the mark decided and every title was stored as «���» (hostile feeds, round 16). Bytes that are no UTF-8 and
    read as Persian in windows-1256 are that, said as misdeclared."""
    for declaration in ('<?xml version="1.0" encoding="windows-1256"?>', None):
        feed = parse_feed(b"\xef\xbb\xbf" + _cp1256(hoder, declaration))
        assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))
        assert feed.encoding == "cp1256" and feed.warning_detail == {
            "key": "warning.misdeclared", "values": {"declared": "utf-8", "actual": "windows-1256"}}


@pytest.mark.parametrize("mark", [b"", b"\xef\xbb\xbf"])
def test_a_charset_no_encoding_has_in_the_header_leaves_the_bytes_to_the_declaration(hoder, mark):
    """«charset=bogus» over UTF-8 declared windows-1256 (or after a UTF-8 mark): the unknown label decided and
    feedparser fell back to the declaration, every title mojibake («Ø®Ø¨Ø±»; found by bench/fuzz_wire.py, round
    16). A label no encoding has is ignored, as browsers do: the mark or the bytes decide, said as misdeclared."""
    body = mark + hoder.replace(b'encoding="utf-8"', b'encoding="windows-1256"', 1)
    feed = parse_feed(body, headers={"Content-Type": "application/rss+xml; charset=bogus-charset"})
    assert _fingerprint(feed) == _fingerprint(parse_feed(hoder))
    assert feed.warning_detail == {"key": "warning.misdeclared", "values": {"declared": "windows-1256", "actual": "utf-8"}}


@pytest.mark.parametrize("declaration", ['encoding="utf-8"', None])
def test_a_utf8_byte_order_mark_before_utf8_with_a_damaged_byte_is_read_as_utf8(hoder, declaration):
    """A UTF-8 feed that begins with its mark and holds one byte no UTF-8 has (a windows-1256 «”» pasted into a
    title): without the mark only that byte is lost; with it, the whole feed was read in windows-1252, every item
    «Ø®Ø¨Ø±» (review of round 16's mark rules). The mark says UTF-8 and the bytes do not read as windows-1256."""
    text = hoder if declaration else hoder.replace(b' encoding="utf-8"', b"", 1)
    damaged = text.replace(b"<title>", b"<title>\x94", 1)
    feed = parse_feed(b"\xef\xbb\xbf" + damaged)
    assert _fingerprint(feed) == _fingerprint(parse_feed(damaged))
    assert feed.encoding == "utf-8" and feed.warning_detail == {"key": "warning.damaged_utf8", "values": {}}


def _mysql_latin1(text: str) -> str:
    """UTF-8's bytes read as MySQL's «latin1» (windows-1252, its five holes as C1 controls)."""
    return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in text.encode("utf-8"))


def _twice(utf8: bytes, in_items: set[int] | None, view) -> bytes:
    """hoder.xml with the text of the items numbered in ``in_items`` (every run: None) encoded twice: its
    UTF-8 bytes read as a code page (``view``) and written out again in UTF-8, as a CMS whose database
    connection said «latin1» or «cp1256» over UTF-8 text serves it (tags and ASCII stay as they are)."""
    head, *items = utf8.decode("utf-8").split("<item")
    parts = [view(head) if in_items is None else head]
    parts += [view("<item" + item) if in_items is None or n in in_items else "<item" + item for n, item in enumerate(items)]
    return "".join(parts).encode("utf-8")


@pytest.mark.parametrize("view", [_mysql_latin1, lambda text: text.encode("utf-8").decode("cp1256")],
                         ids=["latin1", "cp1256"])
@pytest.mark.parametrize("in_items", [{1, 3, 4}, None])
def test_persian_encoded_twice_is_read_back(hoder, view, in_items):
    """UTF-8 text that a CMS read as another encoding and wrote out again in UTF-8 (a MySQL connection in
    «latin1» over a UTF-8 table, the commonest fault of older Iranian sites): every title was stored as
    «Ø§Ø³ØªØ§Ù†» or «ط§ط³طھط§ظ†», unreadable and unfindable, without a word on the feed's page. A run of text
    that reads back, whole, as Persian in UTF-8 is that Persian, and the page says so."""
    whole = parse_feed(hoder)
    feed = parse_feed(_twice(hoder, in_items, view))
    assert _fingerprint(feed) == _fingerprint(whole)
    assert feed.title == whole.title
    assert feed.warning_detail == {"key": "warning.double_encoded", "values": {}}
