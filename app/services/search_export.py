"""Search results beyond one page: the CLI's long listings and the search page's CSV/XLSX export.

``iter_results`` walks a search page by page (the backend serves at most ``MAX_PER_PAGE`` hits
a call) through the same scoped ``search`` the page uses, so an export holds exactly what the
actor could page through. Exports of at most ``DIRECT_ROWS`` results are built in the request;
larger ones are a job (a ``settings`` row ``search_export:<token>``, see ``app.services.
export_jobs``) that the worker writes to the data folder while the page shows its progress.

CSV: UTF-8 with a BOM (Excel opens Persian text right), every cell that a spreadsheet would read
as a formula (it begins with = + - @ tab or CR) prefixed with a single quote (OWASP "CSV
injection"). XLSX (openpyxl, write-only): a right-to-left sheet whose cells are all text cells,
so a title beginning with "=" stays text there without any prefix.
"""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator

from flask_babel import gettext as _

from app.i18n import N_
from app.jalali import format_jalali_date
from app.services.search import ItemResult, SearchPage, search
from app.services.stories import routes_by_item
from search_index.backend import MAX_PER_PAGE, SearchRequest

MAX_ROWS = 10_000      # the most results one export (or one `search query`) holds; the page says so
DIRECT_ROWS = 2_000    # up to this many the file is built in the request, above it by the worker
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

HEADER = (N_("عنوان"), N_("رسانه"), N_("تاریخ انتشار"), N_("پیوند"), N_("سازمان"), N_("وضعیت"), N_("بخشی از متن"))
STATUS_LABELS = {"new": N_("تازه"), "seen": N_("دیده‌شده"), "accepted": N_("پذیرفته"),
                 "dismissed": N_("کنار گذاشته"), "reassigned": N_("ارجاع‌شده به سازمان دیگر")}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TAGS = re.compile(r"</?mark>")


def plain(html_text: str) -> str:
    """Highlighted hit text (escaped, with <mark>) as plain text."""
    return html.unescape(_TAGS.sub("", html_text or ""))


def iter_results(request: SearchRequest, *, actor=None, offset: int = 0, limit: int = MAX_ROWS,
                 highlight: bool = True, on_page: Callable[[SearchPage], None] | None = None
                 ) -> Iterator[ItemResult]:
    """Up to ``limit`` results of ``request`` after the first ``offset``, fetched page by page.

    ``request.page`` and ``per_page`` are ignored. ``on_page`` sees each page (its total,
    warnings, ``index_missing``) before its results are yielded. A key met twice (the index
    changed between two pages) is yielded once.
    """
    seen: set[str] = set()
    number, skip = offset // MAX_PER_PAGE + 1, offset % MAX_PER_PAGE
    left = limit
    while left > 0:
        page = search(replace(request, page=number, per_page=MAX_PER_PAGE), actor=actor, highlight=highlight)
        if on_page is not None:
            on_page(page)
        for result in page.results[skip:]:
            if result.hit.key in seen:
                continue
            seen.add(result.hit.key)
            yield result
            left -= 1
            if left == 0:
                return
        if len(page.results) < MAX_PER_PAGE or number * MAX_PER_PAGE >= page.total:
            return
        number, skip = number + 1, 0


def count_results(request: SearchRequest, *, actor=None) -> SearchPage:
    """The first page of ``request`` (one hit, not highlighted): its total, warnings, state."""
    return search(replace(request, page=1, per_page=1), actor=actor, highlight=False)


# --- rows ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRow:
    title: str
    outlet: str
    published: str   # Jalali, Persian digits
    link: str
    agencies: str    # the routes the actor may see, "؛ " between them
    statuses: str
    snippet: str

    def cells(self) -> tuple[str, ...]:
        return (self.title, self.outlet, self.published, self.link, self.agencies, self.statuses, self.snippet)


def export_rows(results: Iterable[ItemResult], batch: int = MAX_PER_PAGE) -> Iterator[ExportRow]:
    """The export's rows of ``results``, the routes read once per ``batch`` results."""
    chunk: list[ItemResult] = []

    def flush():
        routes = routes_by_item([r.item.id for r in chunk])
        for result in chunk:
            item, mine = result.item, routes.get(result.item.id, [])
            yield ExportRow(
                title=plain(result.hit.title_html) or item.title or "",
                outlet=item.outlet.name if item.outlet else "",
                published=format_jalali_date(item.published_at) if item.published_at else "",
                link=item.link or "",
                agencies="؛ ".join(r.agency.name_fa if r.agency else _("بدون سازمان") for r in mine),
                statuses="؛ ".join(_(STATUS_LABELS.get(r.status, r.status)) for r in mine),
                snippet=plain(result.hit.snippet_html),
            )

    for result in results:
        chunk.append(result)
        if len(chunk) >= batch:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


def header() -> tuple[str, ...]:
    return tuple(_(label) for label in HEADER)


# --- files --------------------------------------------------------------------------------------


def safe_cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run: a leading = + - @ tab or CR gets a single quote."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_chunks(rows: Iterable[ExportRow]) -> Iterator[str]:
    """The CSV file as text pieces: a BOM, the header, then the rows (to encode as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header())
    for n, row in enumerate(rows, 1):
        writer.writerow([safe_cell(value) for value in row.cells()])
        if n % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(rows: Iterable[ExportRow], target) -> int:
    """Write the rows as a one-sheet XLSX (right to left, text cells) to ``target`` (a path or a
    binary file); returns the rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("نتیجه‌های جست‌وجو"))
    sheet.sheet_view.rightToLeft = True
    for letter, width in zip("ABCDEFG", (60, 20, 14, 40, 24, 16, 80)):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)

    def text_cell(value: str, font=None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever the text begins with
        if font is not None:
            cell.font = font
        return cell

    sheet.append([text_cell(label, bold) for label in header()])
    count = 0
    for row in rows:
        sheet.append([text_cell(value) for value in row.cells()])
        count += 1
    book.save(target)
    return count


def filename(fmt: str) -> str:
    return f"hamzaban-search.{fmt}"
