"""The directory's sheet: its columns, and reading an uploaded CSV or XLSX (directory_xlsx.py) into
rows of text.

The export's sheet is the import's template (issue 12): one row per journalist under the headers
«نام», «رسانه», «سطح رسانه» (محلی / استانی / ملی), «شهر», «تلفن», «ایمیل», «حوزه خبری». The headers
and the scope words are the file's format, not interface text: they stay Persian whatever the
reader's language (English headers, and common other names of «تلفن» and «ایمیل»: ALIASES, are
accepted on import too). A journalist of several outlets lists them in «رسانه» separated by «؛» with
the scopes (and cities) in the same order. Optional
columns after those seven carry the other fields (outlets' kinds, websites and notes, phones' kinds,
the preferred channel, messaging handles, the journalist's note): see HEADERS and the README.

A file is refused whole, with a Persian message, before any row is looked at, when it is larger
than ``MAX_BYTES``, neither CSV nor XLSX (known by its content, not its name), in an encoding not read (a CSV is read in UTF-8, UTF-16
with its BOM, or a Persian windows-1256: directory_encoding.py), holds more than ``MAX_ROWS`` rows,
or has no header row. Row numbers are the sheet's, as its reader sees them:
the header is row 1 when the file begins with it, and empty lines count but are skipped.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from flask_babel import gettext as _

from app.services.digits import shown_number
from app.services.directory_cells import MAX_COLUMNS, MAX_ROWS, SheetRefused, too_many_rows, too_wide
from app.services.directory_encoding import UTF16BE, UTF16LE, csv_text
from app.services.directory_keys import name_key
from app.services.directory_line_ends import stray_returns
from app.services.directory_xlsx import merged_refusal, xlsx_rows
from search_index.normalization import printable

MAX_BYTES = 5 * 1024 * 1024

# The template's columns in order: field → header. Not translated: the file format of issue 12.
# The first seven are the contract; the others (optional on import) carry the rest of the
# directory, so the export imported into an empty directory gives every field back.
HEADERS = {"name": "نام", "outlet": "رسانه", "scope": "سطح رسانه", "city": "شهر", "phone": "تلفن",
           "email": "ایمیل", "beat": "حوزه خبری",
           "kind": "گونه رسانه", "website": "وبگاه رسانه", "outlet_notes": "یادداشت رسانه",
           "phone_label": "گونه تلفن", "channel": "راه ارتباطی",
           "handle_telegram": "تلگرام", "handle_eitaa": "ایتا", "handle_bale": "بله", "handle_whatsapp": "واتس‌اپ",
           "handle_instagram": "اینستاگرام", "handle_x": "ایکس", "notes": "یادداشت"}
FIELDS = tuple(HEADERS)
# The seven the messages name when a file has no header row or no «نام» (the optional ones are in the README).
CONTRACT_HEADERS = "، ".join(list(HEADERS.values())[:7])
# What an unknown column can be mapped to on the preview page (a surname too: read after «نام»).
MAP_TARGETS = (*FIELDS, "surname")
# A field's name in messages: the template's header, or the surname's.
FIELD_LABELS = {**HEADERS, "surname": "نام خانوادگی"}
# Fields that may come from several columns (their values are joined): the rest take one column.
MULTI_COLUMN_FIELDS = frozenset({"phone", "notes"})
SCOPE_WORDS = {"local": "محلی", "provincial": "استانی", "national": "ملی"}
# The words of «گونه رسانه», «گونه تلفن» and «راه ارتباطی» (models' codes → the file's word), file
# format like the scope words; the codes themselves and the aliases below are read too.
KIND_WORDS = {"news_agency": "خبرگزاری", "newspaper": "روزنامه", "tv": "تلویزیون", "radio": "رادیو",
              "website": "پایگاه خبری", "social_channel": "کانال پیام‌رسان", "other": "دیگر"}
PHONE_LABEL_WORDS = {"mobile": "همراه", "office": "دفتر", "fax": "دورنگار", "other": "دیگر"}
CHANNEL_WORDS = {"phone": "تلفن", "sms": "پیامک", "email": "ایمیل", "telegram": "تلگرام", "eitaa": "ایتا",
                 "bale": "بله", "whatsapp": "واتس‌اپ", "visit": "دیدار حضوری"}
_WORD_ALIASES = {
    "news_agency": ("news agency",), "newspaper": ("روزنامه / نشریه", "نشریه", "هفته‌نامه", "ماهنامه"),
    "tv": ("تلویزیون", "سیما", "television"), "website": ("سایت", "وبگاه", "سایت خبری", "site"),
    "social_channel": ("کانال در پیام‌رسان", "کانال", "social channel", "channel"),
    "mobile": ("موبایل", "تلفن همراه"), "office": ("ثابت", "تلفن ثابت"), "fax": ("فکس", "نمابر"),
    "sms": ("اس ام اس",), "email": ("رایانامه", "پست الکترونیک", "e-mail"), "visit": ("حضوری", "دیدار"),
}
LIST_SEPARATOR = "؛ "  # between the outlets of one journalist (and their scopes and cities)
PHONE_SEPARATOR = "، "

_ENGLISH = {"name": "name", "outlet": "outlet", "scope": "scope", "city": "city", "phone": "phone",
            "email": "email", "beat": "beat", "kind": "outlet kind", "website": "outlet website",
            "outlet_notes": "outlet notes", "phone_label": "phone kind", "channel": "preferred channel",
            "handle_telegram": "telegram", "handle_eitaa": "eitaa", "handle_bale": "bale",
            "handle_whatsapp": "whatsapp", "handle_instagram": "instagram", "handle_x": "x", "notes": "notes"}
# Other names sheets give the template's phone and e-mail columns, read as those columns (from the
# shell as on the page): they name nothing else. A sheet headed «موبایل» and «پست الکترونیک» stored its
# journalists without phones and e-mails from the shell and exited 0, and a corrected file could not
# add them (a duplicate is never changed: a review of the directory commands). Compared as headers are
# (``header_key``: spacing, ZWNJ, «ي/ك» and the punctuation people add left out).
ALIASES = {
    "phone": ("موبایل", "شماره موبایل", "تلفن همراه", "شماره همراه", "شماره تماس", "شماره تلفن", "تلفن ثابت",
              "mobile", "mobile number", "phone number", "tel", "telephone"),
    "email": ("پست الکترونیک", "پست الکترونیکی", "رایانامه", "نشانی رایانامه", "نشانی ایمیل", "آدرس ایمیل",
              "ای میل", "e-mail", "email address"),
}
# Headers other sheets may use for the same things: offered on the preview page, never applied
# silently (from the shell they are ignored, with a warning): each could mean something else too.
_SUGGESTIONS = {
    "name": ("نام و نام خانوادگی", "نام خبرنگار", "خبرنگار", "full name"),
    "outlet": ("نام رسانه", "رسانه ها", "media"),
    "scope": ("سطح", "گستره", "گستره رسانه"),
    "city": ("شهرستان", "محل"),
    "phone": ("همراه",),  # a column of who comes along, as well as a mobile number
    "beat": ("حوزه", "حوزه کاری", "سرویس"),
    "notes": ("توضیحات", "ملاحظات"),
    "kind": ("نوع رسانه", "گونه", "نوع"),
    "website": ("سایت", "وب سایت", "وبگاه", "سایت رسانه", "website"),
    "channel": ("راه ارتباطی دلخواه", "راه تماس"),
    "handle_telegram": ("آیدی تلگرام", "شناسه تلگرام"), "handle_eitaa": ("آیدی ایتا", "شناسه ایتا"),
    "handle_bale": ("آیدی بله", "شناسه بله"), "handle_whatsapp": ("واتساپ",),
    "handle_instagram": ("آیدی اینستاگرام", "اینستا"), "handle_x": ("توییتر", "twitter"),
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_DELIMITERS = (",", ";", "\t")
_DELIMITERS_IN_WORDS = ("\u060c", "|")  # taken only when they cut the header into the template's columns
_CSV_DELIMITERS_IF_HEADERS = (*_CSV_DELIMITERS, *_DELIMITERS_IN_WORDS)
_SNIFFED_LINES = 5


def header_key(text: str) -> str:
    """A header as compared: the name key without the punctuation people add («نام:»)."""
    return name_key(re.sub(r"[\s:*،,._\-]+", " ", text or ""))


# A surname kept in a column of its own, as many sheets keep it: read after «نام» («علی» and «محمدی»
# are «علی محمدی»). It was ignored from the shell: a sheet of first names stored «علی» and dropped
# every other «علی» as its duplicate (a review of the commands, round 6). Never written: an export
# writes the whole name in «نام».
SURNAME_HEADERS = ("نام خانوادگی", "نام فامیل", "فامیل", "فامیلی", "surname", "last name", "family name", "lastname")
_KNOWN = ({header_key(h): f for f, h in HEADERS.items()} | {header_key(e): f for f, e in _ENGLISH.items()}
          | {header_key(h): "surname" for h in SURNAME_HEADERS}
          | {header_key(a): f for f, aliases in ALIASES.items() for a in aliases})
_SUGGESTED = {header_key(text): target for target, texts in _SUGGESTIONS.items() for text in texts}
SCOPES_BY_WORD = {header_key(w): s for s, w in SCOPE_WORDS.items()} | {s: s for s in SCOPE_WORDS}


def _by_word(words: dict[str, str]) -> dict[str, str]:
    found = {header_key(code): code for code in words} | {header_key(word): code for code, word in words.items()}
    return found | {header_key(alias): code for code in words for alias in _WORD_ALIASES.get(code, ())}


KINDS_BY_WORD, PHONE_LABELS_BY_WORD, CHANNELS_BY_WORD = map(_by_word, (KIND_WORDS, PHONE_LABEL_WORDS, CHANNEL_WORDS))


def known_field(header: str) -> str | None:
    """The template field a header names, or None."""
    return _KNOWN.get(header_key(header))


def suggested_target(header: str) -> str:
    """The mapping the preview page proposes for an unknown header ("" = ignore)."""
    return _SUGGESTED.get(header_key(header), "")


@dataclass
class Table:
    """The file's header row and its non-empty data rows (row number, text cells)."""

    kind: str  # "csv" or "xlsx"
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    # XLSX cells holding a formula but no value computed for it (the file was written by a program
    # that does not compute formulas): row number → {column index: formula}. They read as empty.
    uncomputed: dict[int, dict[int, str]] = field(default_factory=dict)
    # XLSX cells whose stored value is a formula's error (#REF!, #DIV/0!, #N/A…): row number →
    # {column index: the error}. They read as empty, not as the error's text.
    failed: dict[int, dict[int, str]] = field(default_factory=dict)
    # XLSX: the data rows the sheet hides (a filter, «Hide»), and the first sheet's name when it is
    # itself hidden. Read like the others (the import warns): what a reader of the file does not see.
    hidden_rows: list[int] = field(default_factory=list)
    hidden_sheet: str | None = None
    # A CSV's encoding (directory_encoding: "utf-8", "utf-16-le", "utf-16-be", "windows-1256"; None for
    # an XLSX), and whether it was decided by the text read (then a warning says so).
    encoding: str | None = None
    encoding_guessed: bool = False
    stray_returns: list[tuple[int, int]] = field(default_factory=list)  # a CSV's rows cut by a lone CR (directory_line_ends)


def unquote(value: str) -> str:
    """Undo the export's formula defusing: the first of the quotes before = + - @ tab or CR is the
    export's (``directory_export`` adds one to a value that begins so)."""
    return value[1:] if value.startswith("'") and value.lstrip("'").startswith(_FORMULA_START) else value


def blank(text: str) -> bool:
    """Nothing a reader sees: empty, or only spaces and invisible characters (ZWNJ, ZWJ, bidi marks,
    no-break spaces, tatweel «ـ», lone diacritics), which counted as a name."""
    return not name_key(text)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # as the spreadsheet shows it (Python's «True» was stored: a review, round 3)
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone typed into a number cell: 9121234567.0
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return printable(unquote(str(value))).strip()


def read_table(data: bytes, filename: str) -> Table:
    """The file as a table of text cells.

    :raise SheetRefused: too large, empty, neither CSV nor XLSX, in an encoding not read (see
        directory_encoding), too many rows, no header.
    """
    if len(data) > MAX_BYTES:
        raise SheetRefused(_("فایل بزرگ‌تر از %(size)s مگابایت است و پذیرفته نشد.", size=shown_number(MAX_BYTES // (1024 * 1024))))
    suffix = PurePath(filename or "").suffix.lower()
    read = None
    if data.startswith(b"PK\x03\x04"):  # the content decides, whatever the name (directory_encoding)
        read = xlsx_rows(data)
        kind, cells = "xlsx", read.rows
    else:
        decoded = csv_text(data, suffix, template_columns)
        delimiter = _csv_delimiter(decoded.text, prefer_tab=decoded.encoding in (UTF16LE, UTF16BE))
        kind, cells = "csv", _csv_rows(decoded.text, delimiter)
    try:
        table = _table(kind, cells, read.first_of_several if read is not None else None)
    except SheetRefused as error:  # the command's JSON names the encoding read (headers only, a quote left open)
        error.encoding = decoded.encoding if read is None else None
        raise
    if read is None:
        table.encoding, table.encoding_guessed = decoded.encoding, decoded.guessed
        table.stray_returns = stray_returns(decoded.text, delimiter)
    else:
        late = [ref for ref, row in read.title_merges.items() if int(row) >= table.header_row]
        if late:
            raise merged_refusal(late)
        table.hidden_rows = [number for number, _cells in table.rows if number in read.hidden_rows]
        table.hidden_sheet = read.hidden_sheet
    return table


def _is_title(headers: list[str]) -> bool:
    """Whether a first row reads as a sheet's title: one filled cell that names no column."""
    filled = [h for h in headers if h]
    return len(filled) == 1 and known_field(filled[0]) is None


def _table(kind: str, cells, first_of_several: str | None = None) -> Table:
    """``first_of_several``: the first sheet's name, when the workbook has others (the one read)."""
    table = None
    for number, row, formulas, failed in cells:
        if any(_text(v) for v in row[MAX_COLUMNS:]):  # read, not dropped in silence
            raise too_wide(number)
        texts = [_text(v) for v in row[:MAX_COLUMNS]]
        if all(map(blank, texts)) and not formulas and not failed:  # an empty row, or one that looks so
            continue
        if table is None:
            if formulas:
                index, formula = next(iter(formulas.items()))
                raise SheetRefused(uncomputed_message(number, column_label(index, ""), formula),
                                   row=number, column=column_label(index, ""))
            if failed:
                index, error = next(iter(failed.items()))
                raise SheetRefused(failed_message(number, column_label(index, ""), error),
                                   row=number, column=column_label(index, ""))
            # A header showing nothing (a ZWNJ, a bidi mark) is no header: messages say «ستون ۲», not «‌».
            table = Table(kind=kind, header_row=number, headers=["" if blank(t) else t for t in texts])
            continue
        if not table.rows and _is_title(table.headers) and sum(1 for t in texts if known_field(t)) >= 2:
            # The first row was a title above the header («فهرست خبرنگاران استان», one cell, often
            # merged across the sheet): this row is the header.
            table = Table(kind=kind, header_row=number, headers=["" if blank(t) else t for t in texts])
            continue
        if kind == "csv" and len(texts) == 1 and sum(1 for h in table.headers if h) > 1 and \
                any(d in texts[0] for d in _CSV_DELIMITERS):
            # The header was cut at another character than this row («;» against «,»): the whole
            # row would be one journalist's name.
            raise SheetRefused(_("سطر %(row)s با جداکننده‌ای جز جداکنندهٔ سرستون‌ها نوشته شده و یک خانه خوانده شد؛ "
                                 "همهٔ سطرها را با یک جداکننده (ویرگول، نقطه‌ویرگول یا Tab) بنویسید.",
                                 row=shown_number(number)), row=number)
        if len(table.rows) >= MAX_ROWS:
            raise too_many_rows(MAX_ROWS)
        table.rows.append((number, texts))
        if formulas:
            table.uncomputed[number] = formulas
        if failed:
            table.failed[number] = failed
    if table is None and first_of_several is not None:  # the list on another sheet: «empty» sent people looking
        raise SheetRefused(_("کاربرگ نخست فایل («%(sheet)s») خالی است و تنها کاربرگ نخست خوانده می‌شود؛ فهرست را "
                             "به کاربرگ نخست ببرید.", sheet=first_of_several))
    if table is None:
        raise SheetRefused(_("فایل خالی است؛ سطر نخست باید سرستون‌ها باشد: %(headers)s.",
                             headers=CONTRACT_HEADERS))
    if not table.rows and not any(known_field(h) or suggested_target(h) for h in table.headers):
        # One row that names no column: a journalist's row without the header row above it (it was
        # told «nothing but the header row», the wrong reason: a review of the commands, round 3).
        raise SheetRefused(_("سطر نخست فایل سرستون‌ها نیست؛ سطر نخست باید سرستون‌ها باشد: %(headers)s.",
                             headers=CONTRACT_HEADERS), row=table.header_row)
    if not table.rows:  # the preview showed no row and a «save all» button
        raise SheetRefused(_("فایل جز سطر سرستون‌ها سطری ندارد؛ خبرنگاران و رسانه‌ها را از سطر دوم به بعد بنویسید."))
    width = max([len(table.headers)] + [len(cells) for _n, cells in table.rows])
    table.headers += [""] * (width - len(table.headers))  # a row may be wider than the header row
    while width and not table.headers[width - 1] and not any(len(c) >= width and c[width - 1] for _n, c in table.rows):
        width -= 1
    table.headers = table.headers[:width]
    table.rows = [(n, (c + [""] * width)[:width]) for n, c in table.rows]
    return table


def _csv_delimiter(text: str, prefer_tab: bool = False) -> str:
    return _delimiter([line for line in text.splitlines() if line.strip()][:_SNIFFED_LINES] or [""], prefer_tab)


def _csv_rows(text: str, delimiter: str):
    # strict: a quote opened and never closed is an error, not a cell that swallows every later row.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number, width = 0, None
    try:
        for number, cells in enumerate(reader, 1):  # a record is a sheet row, even when a cell spans lines
            if delimiter in _DELIMITERS_IN_WORDS:
                if width is None and sum(known_field(cell) is not None for cell in cells) > 1:
                    width = len(cells)  # the header's
                elif width is not None and any(not blank(cell) for cell in cells[width:]):
                    raise _cut_in_a_cell(number, delimiter)
            yield number, cells, {}, {}
    except csv.Error as error:
        raise _csv_refused(str(error), number + 1) from None


def _cut_in_a_cell(row: int, delimiter: str) -> SheetRefused:
    """A «،»- or «|»-separated row longer than its header: the character in a cell («اقتصاد، سیاست»)
    cut it, and every later cell moved a column (session 37: a beat stored cut, a note lost)."""
    return SheetRefused(_("سطر %(row)s بیش از سرستون‌ها خانه دارد: «%(delimiter)s» درون یک خانه آن را دو خانه کرده "
                          "است. آن خانه را میان گیومه («\"») بگذارید یا فایل را با ویرگول لاتین («,») یا Tab جدا کنید؛ چیزی "
                          "ذخیره نشد.", row=shown_number(row), delimiter=delimiter), row=row)


def _delimiter(head: list[str], prefer_tab: bool = False) -> str:
    """The delimiter that cuts one of the first lines into the most headers the template knows (the
    header row's: a data cell holding eight commas outnumbered a «;» header's delimiters, and the
    file was refused for a missing «نام»; a review of the directory commands, round 10); when none
    cuts out a known header, that of the first of the lines with the most delimiters (a title line
    above the header, without one or with a comma in its words, read alone made a «;» or tab file one
    column; round 9), or a tab in a UTF-16 file (``prefer_tab``: Excel's «Unicode Text» is so cut)."""
    found = {delimiter: max(len(_known_in(line, delimiter)) for line in head)
             for delimiter in _CSV_DELIMITERS_IF_HEADERS}
    best = max(_CSV_DELIMITERS_IF_HEADERS, key=found.__getitem__)
    if found[best] > 1:
        return best
    if prefer_tab and any("\t" in line for line in head):
        return "\t"
    header = max(head, key=lambda line: max(line.count(d) for d in _CSV_DELIMITERS))
    return max(_CSV_DELIMITERS, key=header.count)


def _known_in(line: str, delimiter: str) -> list[str]:
    """The cells of ``line`` cut at ``delimiter`` that name the template's columns."""
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a cell past the csv module's limit: refused with its row when the file is read
        return []
    return [cell for cell in cells if known_field(cell) is not None]


def template_columns(text: str) -> list[str]:
    """The header cells the first lines of a CSV's text name the template's columns with (the most
    any delimiter cuts out): whether a decoding reads as the directory's sheet (directory_encoding)."""
    head = [line for line in text.splitlines() if line.strip()][:_SNIFFED_LINES] or [""]
    return max((_known_in(line, d) for line in head for d in _CSV_DELIMITERS_IF_HEADERS), key=len)


def _csv_refused(reason: str, row: int) -> SheetRefused:
    """The csv module's error (English) said in Persian, with the sheet row it is in."""
    if reason.startswith("unexpected end of data"):
        return SheetRefused(_("گیومهٔ «\"» در سطر %(row)s باز شده و تا پایان فایل بسته نشده است؛ آن را ببندید یا "
                              "بردارید.", row=shown_number(row)), row=row)
    if "expected after" in reason:
        return SheetRefused(_("در سطر %(row)s پس از گیومهٔ «\"» بسته، پیش از جداکننده نوشته‌ای آمده است؛ همهٔ خانه را "
                              "درون گیومه بگذارید یا گیومه‌ها را بردارید.", row=shown_number(row)), row=row)
    if reason.startswith("field larger than field limit"):
        return SheetRefused(_("خانه‌ای در سطر %(row)s بیش از اندازه بزرگ است.", row=shown_number(row)), row=row)
    return SheetRefused(_("فایل CSV را نمی‌توان خواند (سطر %(row)s): %(reason)s", row=shown_number(row), reason=reason), row=row)


def uncomputed_message(row: int, column: str, formula: str) -> str:
    """What to say of a formula cell the file holds no value for (see Table.uncomputed)."""
    return _("در سطر %(row)s، ستون «%(column)s» فرمول «%(formula)s» هست بی مقداری که برنامه‌ای برایش حساب کرده "
             "باشد، و خوانده نمی‌شود؛ فایل را در Excel یا LibreOffice باز کنید و دوباره ذخیره کنید تا مقدار "
             "فرمول‌ها در آن نوشته شود، یا به جای فرمول خود مقدار را بنویسید.", row=shown_number(row), column=column,
             formula=formula)


def failed_message(row: int, column: str, error: str) -> str:
    """What to say of a cell whose stored value is a formula's error (see Table.failed)."""
    return _("در سطر %(row)s، ستون «%(column)s» به جای مقدار، خطای فرمول «%(error)s» ذخیره شده است؛ فرمول را در "
             "Excel یا LibreOffice درست کنید، یا به جای فرمول خود مقدار را بنویسید.", row=shown_number(row),
             column=column, error=error)


def column_label(index: int, header: str) -> str:
    """How a column is named in messages: its header, or «ستون ۳» when it has none."""
    return header or _("ستون %(number)s", number=shown_number(index + 1))
