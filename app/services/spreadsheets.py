"""The two file formats every list export writes (search results, cases): CSV and XLSX.

CSV: UTF-8 with a BOM (Excel opens Persian text right), every cell that a spreadsheet would read
as a formula (it begins with = + - @ tab or CR) prefixed with a single quote (OWASP "CSV
injection"). XLSX (openpyxl, write-only): a right-to-left sheet whose cells are all text cells,
so a title beginning with "=" stays text there without any prefix.

Callers hand in the header (already translated) and rows of text cells; what a row holds is
theirs (app/services/search_export.py, app/services/case_export.py).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

FORMATS = {"csv": "text/csv",  # Werkzeug adds "; charset=utf-8" to a text/ type (given here too, it came twice)
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
BOM = "\ufeff"
# Excel's most characters in a cell, counted in UTF-16 units as Excel stores them (an emoji is two):
# openpyxl cuts a longer value to its first 32,767 characters unsaid. A caller whose cells must come
# back whole asks ``fits_xlsx`` first (the directory's export does).
XLSX_CELL_MAX = 32_767
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run: a leading = + - @ tab or CR gets a single quote."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def fits_xlsx(value: str) -> bool:
    """Whether an XLSX cell holds ``value`` whole."""
    return len(value) <= XLSX_CELL_MAX // 2 or len(value.encode("utf-16-le")) // 2 <= XLSX_CELL_MAX


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[str]], every: int = 200) -> Iterator[str]:
    """The CSV file as text pieces: a BOM, the header, then the rows (to encode as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([safe_cell(value) for value in row])
        if n % every == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[str]], target, *, sheet_title: str,
               widths: Sequence[int] = ()) -> int:
    """Write a one-sheet XLSX (right to left, text cells, bold header) to ``target`` (a path or a
    binary file); returns the rows written."""
    # openpyxl is loaded when a file is written, not by every process that imports the services.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])  # Excel's limit on a sheet's name
    sheet.sheet_view.rightToLeft = True
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    bold = Font(bold=True)

    def text_cell(value: str, font=None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever the text begins with
        if font is not None:
            cell.font = font
        return cell

    sheet.append([text_cell(label, bold) for label in header])
    count = 0
    for row in rows:
        sheet.append([text_cell(value) for value in row])
        count += 1
    book.save(target)
    return count
