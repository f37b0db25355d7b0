"""What the directory's sheet readers share (directory_sheet.py reads a CSV or an XLSX, with
directory_xlsx.py): the refusal of a whole file and the widest row read. Cells echoed in messages
go through ``search_index.normalization.printable``."""
from __future__ import annotations

from app.services import ServiceError

MAX_COLUMNS = 60


class SheetRefused(ServiceError):
    """The whole file is refused (its message says why); ``row`` and ``column`` when it is one cell's."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row, self.column = row, column
