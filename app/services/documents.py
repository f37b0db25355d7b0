"""Documents: a report as PDF (WeasyPrint) or XLSX (openpyxl), built from data the report
modules hand in.

PDF: a *document template* (``templates/reports/doc_*.html``, ``dir="rtl" lang="fa"``) is
rendered with Jinja like the e-mail text templates (app/services/alert_digest.py), always in
Persian (``force_locale("fa")``: the governorate files the Persian document, whatever the
language of the screen that asked for it), then laid out by WeasyPrint, whose Pango/HarfBuzz
shape the Persian letters (joined forms, the ZWNJ, right-to-left runs with Persian digits).
The font is the bundled Vazirmatn (``static/vendor/vazirmatn``, the same WOFF2 the pages use;
WeasyPrint reads WOFF2 through fontTools + Brotli). Nothing is fetched from the network: the
document's only resource is ``hamzaban:vazirmatn``, served from that file by
``BundledFetcher``; every other URL is refused (an image or stylesheet a template might name
by mistake fails the render instead of calling out).

This sits in the services, not in ``app.web``: the worker (report jobs, the daily press
digest) renders documents too, and the worker sits beside the web layer, not above it. The
template is HTML for a printer, never sent to a browser: the strict CSP of the pages does not
apply, so its CSS is inline in the template.

XLSX: ``write_workbook`` writes sheets right to left, bold Persian headers, numbers as numbers,
text as text cells (a title beginning with "=" stays text), dates as Jalali text.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from app.clock import utcnow

FONT_URL = "hamzaban:vazirmatn"
FONT_FILE = ("vendor", "vazirmatn", "Vazirmatn-Variable.woff2")  # under the app's static folder
MIMETYPES = {"pdf": "application/pdf",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class DocumentResourceRefused(ValueError):
    """A document named a resource other than the bundled font."""


def _font_path() -> Path:
    return Path(current_app.static_folder).joinpath(*FONT_FILE)


def _fetcher():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    font = _font_path()

    class BundledFetcher(URLFetcher):
        """Serves ``hamzaban:vazirmatn`` from the bundled file; refuses everything else."""

        def fetch(self, url, headers=None):
            if url == FONT_URL:
                return URLFetcherResponse(url, font.read_bytes(), {"Content-Type": "font/woff2"})
            raise FatalURLFetchingError(f"refused (documents use bundled files only): {url[:200]}")

    return BundledFetcher(allowed_protocols=("hamzaban",), fail_on_errors=True)


def _pillow_refuses_truncated_images_again() -> None:
    """Importing WeasyPrint sets Pillow's ``ImageFile.LOAD_TRUNCATED_IMAGES`` for the whole
    process (weasyprint/images.py), after which a cut-off PNG or JPEG decodes without an error and
    photo and evidence uploads would store it (conference_photos.inspect_image relies on the
    error). Documents embed no image (the fetcher serves the font alone), so Pillow's default is
    put back after the import."""
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False


def render_document_html(template: str, **context) -> str:
    """The document's HTML, in Persian (see the module doc)."""
    with force_locale("fa"):
        return render_template(template, font_url=FONT_URL, now=utcnow(), **context)


def render_pdf(template: str, **context) -> bytes:
    """The PDF of ``templates/<template>`` rendered with ``context``.
    :raise DocumentResourceRefused: the template named a resource other than the bundled font."""
    # WeasyPrint (and its C libraries) load when a document is rendered, not at every import.
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    _pillow_refuses_truncated_images_again()

    html = render_document_html(template, **context)
    try:
        return HTML(string=html, base_url=FONT_URL, url_fetcher=_fetcher()).write_pdf()
    except FatalURLFetchingError as error:
        raise DocumentResourceRefused(str(error.__cause__ or error)) from error


@dataclass
class Sheet:
    """One sheet: a title (≤ 31 characters are kept), a header, rows of str / int / float / None."""

    title: str
    header: Sequence[str]
    rows: list[Sequence] = field(default_factory=list)
    widths: Sequence[int] = ()


def write_workbook(sheets: Sequence[Sheet], target=None) -> bytes | None:
    """Write the sheets to ``target`` (a path or binary file), or return the bytes when None."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        sheet.sheet_view.rightToLeft = True
        for column, width in enumerate(spec.widths, 1):
            sheet.column_dimensions[get_column_letter(column)].width = width

        def cell(value, font=None, sheet=sheet):
            if isinstance(value, bool):
                value = int(value)
            if value is None or isinstance(value, int | float):
                made = WriteOnlyCell(sheet, value=value)  # a number stays a number
            else:
                made = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
                made.data_type = "s"  # never a formula
            if font is not None:
                made.font = font
            return made

        sheet.append([cell(label, bold) for label in spec.header])
        for row in spec.rows:
            sheet.append([cell(value) for value in row])
    if target is not None:
        book.save(target)
        return None
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
