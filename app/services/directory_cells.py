"""What the directory's sheet readers share (directory_sheet.py reads a CSV or an XLSX, with
directory_xlsx.py): the refusal of a whole file, the widest row and the most rows read. Cells echoed in messages
go through ``search_index.normalization.printable``."""
from __future__ import annotations

from flask_babel import gettext as _

from app.services import ServiceError
from app.services.digits import shown_number

MAX_COLUMNS = 60
MAX_ROWS = 5000  # directory rows in one file (the header and a title row above it not counted)


class SheetRefused(ServiceError):
    """The whole file is refused (its message says why); ``row`` and ``column`` when it is one cell's;
    ``encoding``: a CSV's, when it was read before the refusal (directory_sheet.read_table)."""

    encoding: str | None = None

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row, self.column = row, column


def too_many_rows(limit: int = MAX_ROWS) -> SheetRefused:
    return SheetRefused(_("فایل بیش از %(count)s سطر دارد؛ آن را در چند فایل بفرستید.",
                          count=shown_number(limit)))


def too_wide(row: int) -> SheetRefused:
    return SheetRefused(_("سطر %(row)s بیش از %(count)s ستون دارد؛ ستون‌های زیادی را پاک کنید.",
                          row=shown_number(row), count=shown_number(MAX_COLUMNS)), row=row)
