"""The directory's CSV as text: the encodings a Persian office's spreadsheet writes, read without a
silent guess (directory_sheet.read_table).

- UTF-8, with a BOM («CSV UTF-8» of Excel) or without one.
- UTF-16 with its BOM, little- or big-endian: Excel's «Unicode Text» (tab-separated: the sheet's
  delimiter is chosen as for any CSV, by the header it cuts into the template's columns).
- windows-1256 (no BOM, not UTF-8): Excel's plain «CSV» on a Persian Windows. Every byte has a
  character in that code page, so it is taken only when the text then reads as Persian: its header
  names two of the template's columns in Persian letters, or Arabic-script letters are most of its
  letters beyond ASCII and stand in words of their own (a Western, Cyrillic or Hebrew code page's text so read
  puts them inside Latin words: «Espa»+«ً»+«a», «Jos»+«é» beside «ل»). The code page has no «ی»: its
  writers put «ي» (0xED, which the directory stores as «ی», as it does «ك») or «ى», read as «ی».
- UTF-16 without a BOM (no spreadsheet writes it; a script may): read only when its header, so
  decoded, names two of the template's columns.

A file mostly in UTF-8 with a few bytes that are not (a cell pasted from another encoding, a cut
character) is refused with the line of the first one: read as windows-1256 all its Persian would
turn to «ط¹ظ„غŒ». Anything else is refused as not UTF-8. The encoding read is the Table's
``encoding``, shown on the preview and in the command's JSON; the two decided by their content
(windows-1256, UTF-16 without BOM) add a warning too.

The content decides the format, never the name (``csv_text``): a zip is read as an XLSX and
anything else as a CSV, whatever the file is called (a CSV named «.xlsx» was refused while an XLSX
named «.csv» was read). The name only chooses the words of a refusal when the file is neither.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from app.services.digits import shown_number
from app.services.directory_cells import SheetRefused

UTF8, UTF16LE, UTF16BE, WINDOWS_1256 = "utf-8", "utf-16-le", "utf-16-be", "windows-1256"
CSV_NAMES = ("", ".csv", ".txt", ".tsv")  # names a refusal of the text says as a CSV's
EXCEL_NAMES = (".xls", ".xlsx", ".xlsm", ".ods")  # … as a workbook's
_OLE2 = b"\xd0\xcf\x11\xe0"  # an Excel 97–2003 workbook (or Word document): no text, no XLSX


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # UTF8, UTF16LE, UTF16BE or WINDOWS_1256: the command's "encoding"
    guessed: bool = False  # decided by the text read (windows-1256, UTF-16 without BOM): warned of

_CONTROL_RE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f]")
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff]")
_ARABIC_WORD = re.compile("(?:[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff][\u064b-\u065f\u0670]*){2,}")
_LATIN_LETTER = "A-Za-z\u00c0-\u024f"
_MIXED = re.compile(f"[{_LATIN_LETTER}][\u0600-\u06ff]|[\u0600-\u06ff][{_LATIN_LETTER}]")
_FARSI_YEH = str.maketrans({"\u0649": "\u06cc"})  # «ى»: how some writers put «ی» in the code page


def decode_csv(data: bytes, template_columns: Callable[[str], list[str]]) -> Decoded:
    """The file's text and its encoding; ``template_columns(text)``: the header cells of the
    first lines that name the template's columns (directory_sheet).

    :raise SheetRefused: not UTF-8, UTF-16 or Persian windows-1256, a damaged UTF-8 or UTF-16 file,
        or a stray NUL in a UTF-8 one (the reason, and the line when there is one, in Persian).
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise not_utf8()
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_utf8(data, 3), UTF8)
    for bom, encoding in ((codecs.BOM_UTF16_LE, UTF16LE), (codecs.BOM_UTF16_BE, UTF16BE)):
        if data.startswith(bom):
            return Decoded(_utf16(data[2:], encoding), encoding)
    if b"\x00" in data:  # UTF-16 without its BOM, or a UTF-8 text with a stray zero byte
        refusal = _stray_nul(data)
        if refusal is not None:
            raise refusal
        return _utf16_without_bom(data, template_columns)
    try:
        return Decoded(data.decode(UTF8), UTF8)
    except UnicodeDecodeError as error:
        if _mostly_utf8(data):
            raise _damaged(data, error.start, "UTF-8") from None
    text = data.decode("cp1256").translate(_FARSI_YEH)
    columns = template_columns(text)
    if (len(columns) > 1 and not all(map(str.isascii, columns))) or _reads_as_persian(text):
        return Decoded(text, WINDOWS_1256, guessed=True)
    raise not_utf8()


def csv_text(data: bytes, suffix: str, template_columns: Callable[[str], list[str]]) -> Decoded:
    """A file that is no XLSX (no zip) read as a CSV whatever its name's ``suffix`` (".xlsx" too).

    :raise SheetRefused: an old binary Excel or Word file, a PDF, or bytes no CSV encoding reads:
        said as decode_csv says it for a CSV's name, else as no XLSX (an Excel name) or neither.
    """
    if data.startswith(_OLE2):  # Excel 97–2003 (.xls), whatever it is called
        raise _no_xlsx()
    if data.startswith(b"%PDF-"):
        raise _neither()
    try:
        return decode_csv(data, template_columns)
    except SheetRefused:
        if suffix in CSV_NAMES:
            raise
        raise (_no_xlsx() if suffix in EXCEL_NAMES else _neither()) from None


def _no_xlsx() -> SheetRefused:
    return SheetRefused(_("این فایل XLSX درستی نیست؛ آن را در Excel یا LibreOffice با قالب ‎.xlsx‎ یا "
                          "«CSV UTF-8» ذخیره کنید."))


def _neither() -> SheetRefused:
    return SheetRefused(_("تنها فایل CSV یا XLSX پذیرفته می‌شود."))


def encoding_warning(encoding: str | None, guessed: bool) -> str | None:
    """The warning of an encoding decided by the file's text (``Decoded.guessed``), else None."""
    if not guessed:
        return None
    if encoding == WINDOWS_1256:
        return _("فایل UTF-8 نبود و با نویسه‌گذاری windows-1256 (فارسی و عربی ویندوز، «CSV» سادهٔ Excel) خوانده شد، "
                 "چون متنش چنین فارسی خوانده می‌شد؛ نام‌ها را در پیش‌نمایش ببینید و اگر درست نیستند، فایل را در "
                 "Excel با گزینهٔ «CSV UTF-8» ذخیره کنید.")
    return _("فایل نشانهٔ BOM نداشت و با نویسه‌گذاری UTF-16 خوانده شد، چون سرستون‌هایش چنین خوانده می‌شد؛ "
             "نام‌ها را در پیش‌نمایش ببینید.")


def not_utf8() -> SheetRefused:
    return SheetRefused(_("نویسه‌های فایل UTF-8 نیست؛ آن را در Excel با گزینهٔ «CSV UTF-8» یا در LibreOffice "
                          "با نویسه‌گذاری UTF-8 ذخیره کنید."))


def _line(data: bytes, at: int) -> int:
    return data.count(b"\n", 0, at) + 1


def _damaged(data: bytes, at: int, encoding: str) -> SheetRefused:
    line = _line(data, at)
    return SheetRefused(_("فایل با نویسه‌گذاری %(encoding)s نوشته شده، اما سطر %(line)s آن بایت‌هایی دارد که "
                          "%(encoding)s نیست (نوشته‌ای از جای دیگر چسبانده شده یا فایل بریده شده است)؛ آن سطر را "
                          "درست کنید یا فایل را در Excel با گزینهٔ «CSV UTF-8» دوباره ذخیره کنید. چیزی ذخیره نشد.",
                          encoding=encoding, line=shown_number(line)), row=line)


def _utf8(data: bytes, start: int) -> str:
    try:
        return data[start:].decode(UTF8)
    except UnicodeDecodeError as error:
        raise _damaged(data, start + error.start, "UTF-8") from None


def _utf16(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:  # an odd length, a lone surrogate: cut or damaged
        line = data[:error.start - error.start % 2].decode(encoding).count("\n") + 1
        raise SheetRefused(_("فایل UTF-16 در سطر %(line)s آسیب دیده یا بریده شده است؛ آن را در Excel دوباره ذخیره "
                             "کنید («Unicode Text» یا «CSV UTF-8»). چیزی ذخیره نشد.", line=shown_number(line)),
                           row=line) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise _nul_on(line)
    return text


def _utf16_without_bom(data: bytes, template_columns: Callable[[str], list[str]]) -> Decoded:
    """UTF-16 without a BOM: the byte of each pair that is mostly zero says the order (an ASCII or
    Persian character's high byte is 0x00 or 0x06); taken only when the header then names columns."""
    little = data[1::2].count(0) >= data[0::2].count(0)
    encoding = UTF16LE if little else UTF16BE
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = ""
    if text and "\x00" not in text and len(template_columns(text)) > 1:
        return Decoded(text, encoding, guessed=True)
    raise SheetRefused(_("فایل UTF-8 نیست و نویسه‌گذاری آن شناخته نشد (شاید UTF-16 بی نشانهٔ BOM)؛ آن را در Excel با "
                         "گزینهٔ «CSV UTF-8» یا «Unicode Text» ذخیره کنید."))


def _mostly_utf8(data: bytes) -> bool:
    """More characters beyond ASCII read as UTF-8 than bytes that are not UTF-8 (a windows-1256
    Persian text makes few valid UTF-8 pairs by chance, and many bytes that are not)."""
    text = data.decode(UTF8, "replace")
    bad = text.count("\ufffd")
    return sum(1 for ch in text if ord(ch) > 0x7F) - bad > bad


def _reads_as_persian(text: str) -> bool:
    """Arabic-script letters are two thirds of the letters the code page decided (beyond ASCII, which
    reads the same in any: an English header and e-mail addresses tell nothing), at least a word's
    three, and stand in words of their own: not inside Latin words, and in words of two
    letters or more, three in four (a Hebrew code page's sign read so was a lone «ھ», ten times)."""
    arabic = len(_ARABIC_LETTER.findall(text))
    others = sum(1 for ch in text if ch.isalpha() and not ch.isascii()) - arabic
    in_words = sum(map(len, _ARABIC_WORD.findall(text)))
    return (arabic >= 3 and arabic > 2 * others and len(_MIXED.findall(text)) * 20 <= arabic
            and in_words * 4 >= arabic * 3)


def _stray_nul(data: bytes) -> SheetRefused | None:
    """A UTF-8 text with a few zero bytes (a damaged or hand-made file) is refused for that, on its
    line; not UTF-16: a byte-order mark, a zero in most characters of a text in Latin letters, or,
    read as UTF-8, the control characters a Persian letter's second byte makes (U+0006)."""
    if data.count(b"\x00") * 10 > len(data):
        return None
    try:
        text = data.decode(UTF8)
    except UnicodeDecodeError:
        return None
    if _CONTROL_RE.search(text):
        return None
    return _nul_on(_line(data, data.index(b"\x00")))


def _nul_on(line: int) -> SheetRefused:
    return SheetRefused(_("سطر %(line)s فایل نویسهٔ تهی (NUL) دارد؛ آن را پاک کنید و فایل را دوباره بفرستید.",
                          line=shown_number(line)), row=line)
