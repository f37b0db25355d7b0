"""Reading an uploaded XLSX into rows of values for the directory's sheet (directory_sheet.py
makes them a table): a zip bomb and a damaged file refused before openpyxl opens them, every row
read whatever the sheet's <dimension> says (and none past the last filled one), formulas without a
computed value and formulas' errors told apart from empty cells, and merged cells refused but in a
title row."""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _

from app.services.directory_cells import MAX_COLUMNS, MAX_ROWS, SheetRefused, too_many_rows, too_wide
from search_index.normalization import printable

MAX_UNZIPPED = 60 * 1024 * 1024  # an XLSX is a zip: refuse a bomb before openpyxl opens it


@dataclass
class SheetRead:
    """An XLSX's first sheet: its rows as (number, values, formulas without a value, formulas'
    errors), read lazily; the ranges merged across one row (reference → row number); the rows the
    sheet hides (a filter, «Hide») and the sheet's name when the sheet itself is hidden. Hidden
    rows and sheets are read like the others: the import warns of them."""

    rows: Iterator
    title_merges: dict[str, str]
    hidden_rows: frozenset[int] = frozenset()
    hidden_sheet: str | None = None
    first_of_several: str | None = None  # the first sheet's name when the workbook has others


def xlsx_rows(data: bytes) -> SheetRead:
    """The file's first sheet, as the format says (not the one that was open when it was saved).

    :raise SheetRefused: not an XLSX, damaged, too large once unzipped, or merged cells.
    """
    broken = SheetRefused(_("فایل XLSX خراب است یا کاربرگ Excel نیست؛ آن را دوباره با قالب ‎.xlsx‎ ذخیره کنید."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise broken from None
    if "xl/workbook.xml" not in {e.filename for e in entries}:
        raise broken
    if sum(e.file_size for e in entries) > MAX_UNZIPPED:
        raise SheetRefused(_("فایل XLSX باز‌شده بیش از اندازه بزرگ است و پذیرفته نشد."))
    xml = _first_sheet_xml(data)
    cells = _filled_cells(xml) if xml is not None else None
    if cells is not None:
        _refuse_by_cells(cells)  # before openpyxl: it parses a sheet without <dimension> whole, twice, on opening
    # openpyxl is loaded when a sheet is read, as in spreadsheets.py.
    from openpyxl import load_workbook

    try:
        # Read twice: the values (a formula's as last computed) and the formulas themselves; a cell
        # empty in the first and not in the second is a formula nobody computed, which openpyxl
        # would give as empty, silently (a sheet written by openpyxl or another library).
        # The first sheet, as the format says: not the one that was open when the file was saved.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet, several = book.worksheets[0], len(book.worksheets) > 1
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
        # Read-only mode stops at the sheet's <dimension ref=…>, which some writers leave wrong
        # («A1:G2» over 50 rows): the rows under it were lost, silently. Read every row there is.
        sheet.reset_dimensions()
        formulas.reset_dimensions()
        if xml is None:
            with sheet._get_source() as source:  # the sheet's XML, as openpyxl opens it (read-only mode keeps no more)
                xml = source.read(MAX_UNZIPPED + 1)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds (KeyError, ValueError, XML errors) on a damaged file
        raise broken from None
    if cells is None:
        cells = _filled_cells(xml)
        _refuse_by_cells(cells)
    merged = [ref.decode("ascii", "replace") for ref in _MERGED.findall(xml)
              if len(set(ref.upper().split(b":"))) > 1]  # not «A1:A1»
    # A range across one row above the header is a title's («فهرست خبرنگاران …» over the columns):
    # read_table lets it be when that row is no header or data row. Any other merge is refused.
    in_one_row = {ref: rows.pop() for ref in merged if len(rows := set(_REF_ROW.findall(ref))) == 1}
    if len(in_one_row) < len(merged):
        raise merged_refusal(merged)
    return SheetRead(_sheet_rows(sheet, formulas, cells.last_row, broken), in_one_row, _hidden_rows(xml),
                     None if getattr(sheet, "sheet_state", "visible") == "visible" else printable(sheet.title),
                     printable(sheet.title) if several else None)


_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*)>")
_SHEET_RID = re.compile(rb"""\b[\w.-]+:id\s*=\s*["']([^"']+)["']""")
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"""\b(Id|Target|Type)\s*=\s*["']([^"']*)["']""")


def _first_sheet_xml(data: bytes) -> bytes | None:
    """The XML of the workbook's first worksheet, the one openpyxl's ``worksheets[0]`` reads (the
    first <sheet> of xl/workbook.xml that is no chart sheet and whose part is in the file); None
    when the file says it otherwise than plainly (then openpyxl's own reading is used)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/_rels/workbook.xml.rels" not in names:
                return None
            relations = {}
            for rel in _RELATIONSHIP.finditer(archive.read("xl/_rels/workbook.xml.rels")):
                attributes = dict(_ATTRIBUTE.findall(rel.group(1)))
                relations[attributes.get(b"Id")] = attributes
            for sheet in _SHEET.finditer(archive.read("xl/workbook.xml")):
                rid = _SHEET_RID.search(sheet.group(1))
                rel = relations.get(rid.group(1) if rid else None)
                if rel is None or b"chartsheet" in rel.get(b"Type", b""):
                    continue
                target = rel.get(b"Target", b"").decode("utf-8", "replace")
                path = target.lstrip("/") if target.startswith("/") else "xl/" + target
                if path in names:
                    return archive.read(path)
            return None
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError, zlib.error):
        return None


_CELL_REF = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{1,3})(\d+)["']""")


@dataclass(frozen=True)
class _Cells:
    """What the sheet's filled cells say, from its XML in one pass: how many rows hold one, the
    last of them (openpyxl reads up to it and no further: a sheet formatted down to row 1,048,576
    is that many rows to parse, twice, and a cut-off after so many empty rows lost what came after
    them; None when a cell has no reference: then every row is read), and the first row with one
    past column MAX_COLUMNS (openpyxl is asked for one column past the widest read: a filled cell
    further out was never seen)."""

    rows: int
    last_row: int | None
    first_wide_row: int | None


def _filled_cells(xml: bytes) -> _Cells:
    rows: set = set()
    last, wide, referenced = 0, None, True
    for cell in _CELL.finditer(xml):
        if cell.group(2) or cell.group(3):  # nothing in it (a styled empty cell)
            continue
        ref = _CELL_REF.search(cell.group(1))
        if ref is None:
            referenced = False
            rows.add(cell.start())  # its row, counted once
            continue
        row = int(ref.group(2))
        rows.add(row)
        last = max(last, row)
        if _column_number(ref.group(1)) > MAX_COLUMNS and (wide is None or row < wide):
            wide = row
    return _Cells(len(rows), last if referenced else None, wide)


def _refuse_by_cells(cells: _Cells) -> None:
    if cells.first_wide_row is not None:  # «تلفن» at column 70 had imported with no phones, unsaid
        raise too_wide(cells.first_wide_row)
    if cells.rows > MAX_ROWS + 2:  # the header and a title row above it are not the directory's
        raise too_many_rows(MAX_ROWS)  # (150,000 rows: ~8 s in openpyxl before the same refusal)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def merged_refusal(refs: list[str]) -> SheetRefused:
    return SheetRefused(_("خانه‌های %(cells)s در کاربرگ ادغام شده‌اند (Merge)؛ مقدار خانه‌های ادغام‌شده تنها در "
                          "نخستین خانه است و دیگر سطرها و ستون‌های آن خالی خوانده می‌شوند. ادغام را بردارید و "
                          "مقدار را در هر خانه بنویسید، سپس فایل را دوباره بفرستید.",
                          cells="، ".join(refs[:3]) + ("، …" if len(refs) > 3 else "")))


# In the sheet's XML: a merged range, a cell (its attributes; whether it is empty: «<c …/>» or
# «<c …></c>»), a cell's row in a merged range's reference.
_MERGED = re.compile(rb"""<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref\s*=\s*["']([A-Za-z]{1,3}\d+:[A-Za-z]{1,3}\d+)["']""")
_CELL = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s/>])([^>]*?)(/?)>\s*(</)?")
_REF_ROW = re.compile(r"[A-Za-z]{1,3}(\d+)")


_ROW = re.compile(rb"<(?:[\w.-]+:)?row\b([^>]*)>")
_HIDDEN = re.compile(rb"""\bhidden\s*=\s*["'](?:1|true)["']""")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")


def _hidden_rows(xml: bytes) -> frozenset[int]:
    """The rows the sheet's XML marks hidden (``<row r="7" hidden="1">``: a filter or «Hide»)."""
    hidden = set()
    for row in _ROW.finditer(xml):
        number = _ROW_NUMBER.search(row.group(1))
        if number is not None and _HIDDEN.search(row.group(1)):
            hidden.add(int(number.group(1)))
    return frozenset(hidden)


def _sheet_rows(sheet, formula_sheet, last_row: int | None, broken: SheetRefused):
    """The sheet's rows from row 1 to ``last_row`` (None: to its end) with their formulas that have
    no value and their cells holding a formula's error (read as empty); empty rows are left out."""
    if last_row == 0:
        return
    options = {"min_row": 1, "max_row": last_row, "max_col": MAX_COLUMNS + 1}  # one column past: a sheet wider than read is refused
    try:
        # The values as cells: an error's data type ("e") tells it from the same text typed in.
        rows = zip(sheet.iter_rows(**options), formula_sheet.iter_rows(**options, values_only=True), strict=False)
        for number, (cells, written) in enumerate(rows, 1):
            if written.count(None) == len(written):  # empty (a value or a formula is in both reads)
                continue
            failed = {i: printable(str(c.value)) for i, c in enumerate(cells) if c.data_type == "e"}
            values = [None if i in failed else c.value for i, c in enumerate(cells)]
            formulas = {i: _formula_text(w) for i, (v, w) in enumerate(zip(values, written, strict=False))
                        if v is None and w not in (None, "") and i not in failed}
            yield number, values, formulas, failed
    except SheetRefused:
        raise
    except Exception:  # noqa: BLE001 - the same, met while the rows are read
        raise broken from None


def _formula_text(written) -> str:
    text = printable(written if isinstance(written, str) else getattr(written, "text", None) or str(written))
    return text if len(text) <= 60 else text[:60] + "…"
