"""Search results beyond one page: the CLI's long listings and the search page's CSV/XLSX export.

``iter_results`` walks a search page by page (the backend serves at most ``MAX_PER_PAGE`` hits
a call) through the same scoped ``search`` the page uses, so an export holds exactly what the
actor could page through. Exports of at most ``DIRECT_ROWS`` results are built in the request;
larger ones are a job (a ``settings`` row ``search_export:<token>``, see ``app.services.
export_jobs``) that the worker writes to the data folder while the page shows its progress.

The files are written by app/services/spreadsheets.py: CSV in UTF-8 with a BOM and formulas
defused, XLSX as a right-to-left sheet of text cells.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from flask_babel import gettext as _

from app.i18n import N_
from app.jalali import format_jalali_date
from app.services import spreadsheets
from app.services.search import ItemResult, SearchPage, search
from app.services.stories import routes_by_item
from search_index.backend import MAX_PER_PAGE, SearchRequest

MAX_ROWS = 10_000      # the most results one export (or one `search query`) holds; the page says so
DIRECT_ROWS = 2_000    # up to this many the file is built in the request, above it by the worker
FORMATS = spreadsheets.FORMATS

HEADER = (N_("عنوان"), N_("رسانه"), N_("تاریخ انتشار"), N_("پیوند"), N_("سازمان"), N_("وضعیت"), N_("بخشی از متن"))
STATUS_LABELS = {"new": N_("تازه"), "seen": N_("دیده‌شده"), "accepted": N_("پذیرفته"),
                 "dismissed": N_("کنار گذاشته"), "reassigned": N_("ارجاع‌شده به سازمان دیگر")}
safe_cell = spreadsheets.safe_cell  # the tests and older callers import it from here
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


# --- files (app/services/spreadsheets.py writes both formats) ---------------------------------


def csv_chunks(rows: Iterable[ExportRow]) -> Iterator[str]:
    """The CSV file as text pieces: a BOM, the header, then the rows (to encode as UTF-8)."""
    return spreadsheets.csv_chunks(header(), (row.cells() for row in rows))


def write_xlsx(rows: Iterable[ExportRow], target) -> int:
    """Write the rows as a one-sheet XLSX (right to left, text cells) to ``target`` (a path or a
    binary file); returns the rows written."""
    return spreadsheets.write_xlsx(header(), (row.cells() for row in rows), target,
                                   sheet_title=_("نتیجه‌های جست‌وجو"), widths=(60, 20, 14, 40, 24, 16, 80))


def filename(fmt: str) -> str:
    return f"hamzaban-search.{fmt}"
