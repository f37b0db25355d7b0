"""The bytes of a feed before feedparser reads them: what encoding they are really in.

* A document cut inside a multi-byte character loses that character's first bytes before it is
  parsed (``without_partial_character``): feedparser would find that the declared encoding fails
  and read the whole document as windows-1252, storing every complete entry as mojibake.
* Bytes in another encoding than the one declared (``misdeclared``) are read as what they are
  (``app.monitor.parse`` then transcodes them, with a warning on the feed's page): UTF-8 declared
  as a one-byte code page (any: ``single_byte``), windows-1256 declared as UTF-8, as a Latin code
  page, as another Arabic-script one (ISO-8859-6, cp720…), under a name no encoding has, or not at
  all, UTF-8 with a few bad bytes (only those are replaced).
* A document with runs of Persian in both UTF-8 and windows-1256 (a UTF-8 template around an older
  database's text) is read run by run (``mixed_utf8_and_windows_1256``).
* Characters past U+FFFF (emoji) written as two UTF-16 halves in UTF-8's bytes (CESU-8) are read as the
  characters (``without_cesu8``).
* A label of WHATWG's list that Python's codecs lack («x-cp1256») is read as the encoding it names
  (``whatwg_codec``).
* An XML declaration whose encoding name no encoding has loses the name
  (``without_unusable_encoding_name``).
"""
from __future__ import annotations

import codecs
import functools
import re

import webencodings
from feedparser.encodings import parse_content_type

__all__ = ["BOMS", "BOM_NAMES", "XML_DECL_ENCODING", "agreeing_mark", "declared_label", "is_utf8", "misdeclared",
           "mixed_utf8_and_windows_1256", "single_byte", "text_codec", "whatwg_codec", "without_cesu8",
           "without_partial_character", "without_unusable_encoding_name"]

BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF32_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE)
BOM_NAMES = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
             (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le"))
XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
# What feedparser reads as the declared encoding (its RE_XML_PI_ENCODING), and the bytes a name may have.
XML_DECL_ENCODING_ANY = re.compile(rb"""<\?.*encoding=['"](.*?)['"].*\?>""")
_ENCODING_NAME = re.compile(rb"[\x21-\x7e]*")


def text_codec(name: str | None) -> str | None:
    """The codec's name when ``name`` is a text encoding, else None: unknown, or one of Python's
    bytes-to-bytes codecs («bz2_codec», «zlib_codec», «base64_codec», «hex_codec»), whose
    decoder decompresses — a server naming «charset=bz2_codec» had 833 bytes inflated to 2 GB in
    memory (a review of hostile feeds). ``bytes.decode`` refuses them; codecs' decoders do not."""
    try:
        info = codecs.lookup(name or "")
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def whatwg_codec(name: str | None) -> str | None:
    """The codec of a label that Python's codecs lack but WHATWG's Encoding Standard (what browsers
    read) names: «x-cp1256» is windows-1256. None otherwise: a label Python knows, or none knows
    («windows1256»). feedparser stored such a feed as mojibake (a review of hostile feeds, round 11)."""
    if not name or text_codec(name) is not None:
        return None
    encoding = webencodings.lookup(name)
    return text_codec(encoding.codec_info.name) if encoding is not None else None


def declared_label(view: bytes, headers: dict[str, str]) -> str | None:
    """The encoding's name the feed declares: the HTTP charset, else the XML declaration's."""
    declaration = XML_DECL_ENCODING.match(view.lstrip(b"".join(BOMS))[:1024])
    return (parse_content_type(headers.get("content-type", ""))[1]
            or (declaration.group(1).decode("ascii") if declaration else None))


def without_partial_character(body: bytes, view: bytes, headers: dict[str, str]) -> bytes:
    """The body without the first bytes of a character it was cut inside, in the encoding
    feedparser will try first that reads everything before them: the HTTP charset, the XML
    declaration, the byte-order mark, then UTF-8 (feedparser's order). A body broken anywhere
    else is left as it is (feedparser then tries its next encoding, as before)."""
    head = view.lstrip(b"".join(BOMS))[:1024]
    declared = XML_DECL_ENCODING.match(head)
    bom = next((name for mark, name in BOM_NAMES if body.startswith(mark)), None)
    candidates = (parse_content_type(headers.get("content-type", ""))[1],
                  declared.group(1).decode("ascii") if declared else None, bom, "utf-8")
    for name in dict.fromkeys(c for c in candidates if c):
        codec = text_codec(name)
        if codec is None:
            continue
        decoder = codecs.getincrementaldecoder(codec)()
        try:
            decoder.decode(body, final=False)  # holds back an incomplete last character
        except UnicodeError:  # UTF-16/32 without a byte-order mark raise UnicodeError itself
            continue
        pending = decoder.getstate()[0]
        return body[: len(body) - len(pending)] if pending else body
    return body


# Latin code pages a server declares by default, and the Arabic-script ones a Persian feed declares itself.
_LATIN = frozenset(codecs.lookup(name).name for name in (
    "iso-8859-1", "windows-1252", "iso-8859-2", "iso-8859-15", "windows-1250"))
_ARABIC_SCRIPT = frozenset(codecs.lookup(name).name for name in ("windows-1256", "iso-8859-6"))
# Arabic-script code pages that have no Persian letter («پ», «چ», «ژ», «گ»): a Persian feed that declares
# one is in windows-1256 (ISO-8859-6 refuses its bytes, cp720 read them as box-drawing characters).
_OTHER_ARABIC = frozenset(codecs.lookup(name).name for name in ("iso-8859-6", "cp720", "cp864", "mac-arabic"))
_UTF8 = codecs.lookup("utf-8").name
_CP1256 = codecs.lookup("windows-1256").name
_ASCII_BYTES = bytes(range(0x80))
# The commonest letters of Persian text (with windows-1256's Arabic «ي», «ك»): two thirds of its
# letters; the bytes of Chinese, Japanese, Korean or Russian text read as windows-1256 spread over
# all its letters (a fifth or so here).
_COMMON_PERSIAN = frozenset("اینرودهمتبسيك")
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters
# Fewer letters in words of their own are no evidence: an English feed's «âãÏÓó» (a test string, the
# only letters beyond ASCII of a real feed of the corpus) reads «âمدس» in windows-1256.
_MIN_WORD_LETTERS = 10


@functools.cache  # one answer a codec: Python has some 120 text codecs
def single_byte(codec: str) -> bool:
    """Whether the text codec ``codec`` reads every byte as one character whatever its neighbours
    (windows-1251, cp720, koi8-r, mac-arabic, ISO-8859-…): any bytes then decode, and UTF-8 declared
    as one is read as mojibake without an error. A multi-byte or stateful codec's decoder holds a
    lead byte back (UTF-8's 0xD8, Shift JIS's 0x81, ISO-2022's ESC): it is none, as is one
    that refuses to replace what it cannot read («idna», «undefined»)."""
    try:
        return all(len(codecs.getincrementaldecoder(codec)("replace").decode(bytes([byte]), final=False)) == 1
                   for byte in range(256))
    except (UnicodeError, ValueError, TypeError):
        return False


def misdeclared(body: bytes, view: bytes, headers: dict[str, str]) -> tuple[str, str] | None:
    """(declared, actual) for a feed whose bytes are not in the encoding it declares, between the
    two a Persian feed is written in; None otherwise (a byte-order mark, plain ASCII, no doubt).

    * UTF-8 declared as a one-byte code page (windows-1256, windows-1251, ISO-8859-…, any for
      which ``single_byte``): every byte decodes, so feedparser stored «ط®ط¨ط±» for «خبر». Bytes
      that are valid UTF-8 with characters beyond ASCII are UTF-8: text in a one-byte code page is
      not (a Persian word's letters follow one another, never a lead byte and its continuation bytes).
    * windows-1256 declared as a Latin code page (``_windows_1256_under_latin``).
    * windows-1256 declared as UTF-8 (or not declared): feedparser falls back to Latin code
      pages and stored «ÎČŃ». Bytes of which at least a fifth of those beyond ASCII (and at least
      ten) do not decode as UTF-8, and whose letters read as windows-1256 are mostly (45 %) the
      commonest letters of Persian, are windows-1256 (not Big5, EUC or KOI8-R bytes: they spread
      over all the letters). A UTF-8 text with a damaged byte or a few is UTF-8 (feedparser
      read it all in ISO-8859-2): (declared, "utf-8") with «utf-8» declared, only those bytes lost."""
    unmarked = next((name for pattern, name in _UTF16_UNMARKED if pattern.match(body)), None)
    if unmarked is not None:  # NULs beside markup's «<»: no text in another encoding (XML forbids NUL), as a mark
        declared = _declared(view, headers) or "utf-8"
        return (declared, unmarked) if text_codec(declared) not in (unmarked, "utf-16") else None
    if body.isascii():
        return None
    declaration = XML_DECL_ENCODING.match(view.lstrip(b"".join(BOMS))[:1024])
    declared = _declared(view, headers) or "utf-8"
    codec = text_codec(declared)
    if body.startswith(BOMS):
        return _under_a_mark(body, declared, codec, stated=bool(declaration or headers.get("content-type")))
    if codec is None:  # a name no encoding has («windows1256»): read as if none were declared
        return (declared, "windows-1256") if not is_utf8(body) and _reads_as_persian(body, _CP1256) else None
    if single_byte(codec):
        if is_utf8(body):
            return declared, "utf-8"
        own = declaration.group(1).decode("ascii") if declaration else None
        if codec in _OTHER_ARABIC:
            return _windows_1256_under_other_arabic(body, declared, codec)
        return _windows_1256_under_latin(body, declared, own) if codec in _LATIN else None
    if codec == _UTF8 and not is_utf8(body):
        replaced = codecs.getincrementaldecoder(_UTF8)("replace").decode(body).count("\ufffd")
        broken = replaced - body.count("\ufffd".encode())  # less the «�» the text itself holds
        beyond = len(body.translate(None, _ASCII_BYTES))
        if broken < 10 or broken * 5 < beyond:  # UTF-8 with a damaged byte or a few: only they are lost
            return declared, "utf-8"
        if _reads_as_persian(body, _CP1256):
            return declared, "windows-1256"
    return None


# UTF-16 without a byte-order mark: markup's first «<» (after blanks) with a NUL beside it, as XML 1.0's appendix F
# reads a document without one; without «encoding» in a declaration (or any) such a feed was refused as broken
# («line 3: an invalid character»: hostile feeds, round 21). UTF-32's «<\0\0\0» is none of these.
_UTF16_UNMARKED = ((re.compile(rb"(?:[ \t\r\n]\x00)*+<\x00[!?A-Za-z]\x00"), "utf-16-le"),
                   (re.compile(rb"(?:\x00[ \t\r\n])*+\x00<\x00[!?A-Za-z]"), "utf-16-be"))


def agreeing_mark(body: bytes, view: bytes, headers: dict[str, str]) -> str | None:
    """The codec of a UTF-16 or UTF-32 byte-order mark that nothing contradicts (no encoding declared, or one the
    mark is: «utf-16» names either order), to read the body in: feedparser refused a big-endian UTF-16 document
    its server labelled «charset=utf-16» as broken (hostile feeds, round 16); UTF-16 without a mark, by its NULs
    (``_UTF16_UNMARKED``). None otherwise (``misdeclared``)."""
    mark = next((name for bom, name in BOM_NAMES if body.startswith(bom)), None)
    mark = mark or next((name for unmarked, name in _UTF16_UNMARKED if unmarked.match(body)), "utf-8")
    if mark == "utf-8":
        return None
    declared = _declared(view, headers)
    return mark if declared is None or text_codec(declared) in (mark, mark[:6]) else None


def _declared(view: bytes, headers: dict[str, str]) -> str | None:
    """The encoding the HTTP charset names, else the XML declaration's. A charset no encoding has is passed over
    for a declaration that names one, as browsers ignore it: «charset=bogus» over UTF-8 declared windows-1256 was
    read in windows-1256, every title mojibake (bench/fuzz_wire.py, round 16)."""
    declaration = XML_DECL_ENCODING.match(view.lstrip(b"".join(BOMS))[:1024])
    labels = [parse_content_type(headers.get("content-type", ""))[1], declaration.group(1).decode("ascii") if declaration else None]
    return next((label for label in labels if label and text_codec(label)), None) or next(filter(None, labels), None)


def _under_a_mark(body: bytes, declared: str, codec: str | None, *, stated: bool) -> tuple[str, str] | None:
    """A body that begins with a byte-order mark: the mark decides (XML 1.0 appendix F, WHATWG). feedparser
    followed a declared windows-1256 over a UTF-8 mark and stored every title as «ط®ط¨ط±» (a review of hostile
    feeds), and a UTF-16 or UTF-32 document whose declaration still said «utf-8» was refused whole as broken
    (round 16). But a UTF-8 mark before bytes that are no UTF-8 and read as Persian in windows-1256 (a PHP
    include saved «with BOM» on a windows-1256 site) is not believed: it made every title «���» (round 16). Other
    bytes that are no UTF-8 after the mark, declared UTF-8 or nothing, are UTF-8 damaged, as they are without it."""
    mark = next(name for bom, name in BOM_NAMES if body.startswith(bom))
    if mark != "utf-8":  # «utf-16» names either order
        return (declared, mark) if stated and codec not in (mark, mark[:6]) else None
    if is_utf8(body[3:]):
        return (declared, "utf-8") if codec is not None and single_byte(codec) else None
    if _reads_as_persian(body[3:], _CP1256):
        return "utf-8", "windows-1256"
    # Else, declared UTF-8 or nothing, UTF-8 with a damaged byte (a windows-1256 «”» pasted in): only it is lost.
    # feedparser gave up on UTF-8 and read the whole feed in windows-1252, every item «Ø®Ø¨Ø±» (review of round 16).
    # (A declared multibyte code page, «gbk», is left to feedparser, as before.)
    return (declared, "utf-8") if codec is None or codec == _UTF8 or single_byte(codec) else None


def _windows_1256_under_other_arabic(body: bytes, declared: str, codec: str) -> tuple[str, str] | None:
    """(declared, "windows-1256") for windows-1256 bytes declared as an Arabic-script code page without
    Persian's letters (``_OTHER_ARABIC``: «charset=ISO-8859-6», «encoding="arabic"», cp720); None for
    text that is in it (Arabic that the declared code page reads whole, mostly in the commonest letters)."""
    try:
        own_reading = body.decode(codec)
    except UnicodeDecodeError:
        own_reading = None
    if own_reading is not None and _mostly_persian(own_reading):
        return None
    return (declared, "windows-1256") if _reads_as_persian(body, _CP1256) else None


def _windows_1256_under_latin(body: bytes, declared: str, own: str | None) -> tuple[str, str] | None:
    """(declared, actual) for windows-1256 bytes under a Latin charset ``declared`` (the HTTP one, or
    the document's ``own`` declaration); None for Latin text.

    * A server's default charset (ISO-8859-1: Tomcat, old Apache and PHP) over a document that
      declares windows-1256: feedparser follows the header, and stored «ÇÓÊÇäÏÇÑ» for «استاندار»,
      «پ» (0x81, a control in Latin-1) dropped (a review of hostile feeds, round 8). The declaration
      is believed when the letters read in it are Persian's.
    * Persian bytes with a Latin charset only (the server's, the document's or both): stored as «ÎÈÑ
      ÝæÑí» with no warning (a review of hostile feeds). windows-1256 when its letters are Persian's
      and written in words of their own (``_written_in_words``: French, German and Portuguese are not)."""
    own_codec = text_codec(own) or whatwg_codec(own)
    if own_codec in _ARABIC_SCRIPT and _reads_as_persian(body, own_codec):
        return declared, own
    if _reads_as_persian(body, _CP1256) and _written_in_words(body, _CP1256):
        return declared, "windows-1256"
    return None


def _written_in_words(body: bytes, codec: str) -> bool:
    """Whether most (two thirds) of the letters beyond ASCII of ``body`` read in ``codec`` stand in
    words of two letters or more all beyond ASCII, and at least ten do. A Persian text's do (99 % of
    hoder.xml's); a Latin one's accented letters stand among ASCII ones: «Straße» read in
    windows-1256 is «Straكe», «informação» «informaçمo» (a quarter at most of a Czech or Polish
    pangram's letters; none of the 91 feeds of the corpus whose text windows-1252 can write, nor of
    the 75 for windows-1250, once in it). German, Portuguese, Polish or Danish letters read in
    windows-1256 are mostly Persian's commonest: that alone does not tell."""
    in_words = beyond = 0
    for word in _WORD.findall(body.decode(codec, "replace")):
        if word.isascii():
            continue
        letters = sum(1 for ch in word if not ch.isascii())
        beyond += letters
        in_words += letters if letters == len(word) > 1 else 0
    return in_words >= _MIN_WORD_LETTERS and in_words * 3 >= beyond * 2


def _reads_as_persian(body: bytes, codec: str) -> bool:
    """Whether the letters beyond ASCII of ``body`` read in ``codec`` are mostly (45 %) the commonest
    letters of Persian."""
    return _mostly_persian(body.decode(codec, "replace"))


def _mostly_persian(text: str) -> bool:
    letters = [ch for ch in text if ord(ch) > 0x7F and ch.isalpha()]
    return bool(letters) and sum(1 for ch in letters if ch in _COMMON_PERSIAN) * 100 >= 45 * len(letters)


def is_utf8(body: bytes) -> bool:
    """Whether ``body`` is valid UTF-8 (a character cut at its end is no proof against it)."""
    try:
        codecs.getincrementaldecoder(_UTF8)().decode(body, final=False)
    except UnicodeDecodeError:
        return False
    return True


def without_unusable_encoding_name(body: bytes) -> bytes:
    """An XML declaration whose encoding name has bytes no encoding name has (a NUL, a byte
    above 0x7E: a damaged document) loses that name, so feedparser detects the encoding as
    if none had been declared; feedparser itself would stop with UnicodeDecodeError or
    ValueError (found by tests/monitor/test_parse_properties.py)."""
    start = len(codecs.BOM_UTF8) if body.startswith(codecs.BOM_UTF8) else 0
    declared = XML_DECL_ENCODING_ANY.match(body, start)
    if declared is None or _ENCODING_NAME.fullmatch(declared.group(1)):
        return body
    return body[:declared.start(1)] + body[declared.end(1):]


# Three Persian letters in UTF-8 in a row (lead bytes 0xD8–0xDB): what windows-1256 text does not write
# («ط», «ظ», «ع», «غ» each followed by «پ», «چ», «گ», «ک» or «،», three times over).
_UTF8_PERSIAN_RUN = re.compile(rb"(?:[\xd8-\xdb][\x80-\xbf]){3}")
_ENTRY_START = re.compile(rb"(?=<(?:[\w.-]+:)?(?:item|entry)[\s>/])")
_TEXT_RUN = re.compile(rb"[^<>]+|[<>]")


def mixed_utf8_and_windows_1256(body: bytes) -> tuple[bytes, int] | None:
    """(the body in UTF-8, the entries that held windows-1256 text) for a document that holds runs of
    Persian in both UTF-8 and windows-1256 (a UTF-8 template around the text of an older database);
    None for any other. Read in one encoding, every entry of the other was stored as mojibake: «ŘŽŘ¨Řą»
    or «ط®ط¨ط±» (a review of hostile feeds, round 13). Each run of text between two tags is read in the
    encoding its Persian is in: UTF-8 when it is valid UTF-8 whose letters are Persian's, windows-1256
    when that reads them so; otherwise UTF-8 (a damaged byte replaced). ASCII-compatible bodies only."""
    if b"\x00" in body or body.isascii() or is_utf8(body) or not _UTF8_PERSIAN_RUN.search(body):
        return None
    entries, pieces, kinds = 0, [], set()
    for part in _ENTRY_START.split(body):
        in_1256 = False
        for run in _TEXT_RUN.findall(part):
            text, kind = _run_text(run)
            pieces.append(text)
            kinds.add(kind)
            in_1256 = in_1256 or kind in (_CP1256, _WORDS)
        entries += in_1256 and _ENTRY_START.match(part) is not None
    if not ({_UTF8, _CP1256} <= kinds or _WORDS in kinds):
        return None
    return "".join(pieces).encode("utf-8"), entries


def _run_text(run: bytes) -> tuple[str, str]:
    """A run of text as read, and how: "ascii", UTF-8 or windows-1256 (``mixed_utf8_and_windows_1256``).
    windows-1256 only when most of the run's bytes beyond ASCII are no UTF-8 and they read as three Persian
    letters or more (a damaged byte or two in a UTF-8 run is not that: «\xed\xa0» reads «ي »)."""
    if run.isascii():
        return run.decode("ascii"), "ascii"
    try:
        text = run.decode(_UTF8)
    except UnicodeDecodeError:
        text = None
    if text is not None and _mostly_persian(text):
        return text, _UTF8
    beyond = len(run.translate(None, _ASCII_BYTES))
    broken = run.decode(_UTF8, "replace").count("\ufffd") - run.count("\ufffd".encode())
    if text is None and broken * 2 >= beyond >= 3 and _reads_as_persian(run, _CP1256):
        return run.decode(_CP1256), _CP1256
    words = _words_read(run) if text is None else None
    if words is not None:
        return words, _WORDS
    return (text if text is not None else run.decode(_UTF8, "replace")), "other"  # no Persian: neither


_WORDS = "words"  # a UTF-8 run with a word or more in windows-1256
_BEYOND_ASCII = re.compile(rb"([\x80-\xff]+)")


def _words_read(run: bytes) -> str | None:
    """A run of UTF-8 with words in windows-1256 (each a word of bytes beyond ASCII that is no UTF-8 and reads in
    windows-1256 as two Arabic-script letters or more, letters and ZWNJ alone), those words so read and the rest as
    UTF-8; None for a run without one. Such a word (an older database's, inside a UTF-8 text) stayed «�����»
    (session 43's note: a whole run or entry was read, not a word)."""
    pieces, found = [], False
    for n, piece in enumerate(_BEYOND_ASCII.split(run)):
        text = piece.decode(_UTF8, "replace")
        if n % 2 and "\ufffd" in text:
            word = piece.decode(_CP1256, "replace")
            if len(word) >= 2 and all(ch.isalpha() and "\u0600" <= ch <= "\u06ff" or ch == "\u200c" for ch in word):
                text, found = word, True
        pieces.append(text)
    return "".join(pieces) if found else None


_SURROGATE_UTF8 = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")


def without_cesu8(body: bytes) -> tuple[bytes, bool] | None:
    """(the body in UTF-8, whether a half of a pair was alone) for a body that is UTF-8 but for characters
    past U+FFFF written as their two UTF-16 halves, each in three bytes (CESU-8: Java's modified UTF-8, a
    MySQL «utf8» column); None for any other. Emoji so written made the bytes no UTF-8, and a Persian feed
    whose headlines open with «🔴» was read whole as ISO-8859-2 (a review of hostile feeds, round 13).
    Each pair is its character; a half alone is «�»."""
    if b"\xed" not in body or not _SURROGATE_UTF8.search(body) or is_utf8(body):
        return None
    try:
        text = body.decode(_UTF8, "surrogatepass")
    except UnicodeDecodeError:  # other bytes are no UTF-8 either: not this
        return None
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return joined.encode(_UTF8), joined.count("\ufffd") > text.count("\ufffd")
