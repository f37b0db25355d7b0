"""What the directory's sheet readers share (directory_sheet.py reads a CSV or an XLSX, with
directory_xlsx.py): the refusal of a whole file, the widest row read, and cells made safe to
print."""
from __future__ import annotations

from app.services import ServiceError

MAX_COLUMNS = 60


class SheetRefused(ServiceError):
    """The whole file is refused (its message says why); ``row`` and ``column`` when it is one cell's."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row, self.column = row, column


# C0 controls but tab and line breaks, DEL and C1: a terminal's escape codes in a cell («\x1b[2J»,
# «\x1b]0;…\x07», the one-byte CSI «\x9b») reached whoever read a message quoting the cell (an
# unknown header's warning, a bad phone), and json.dumps lets C1 through as it is.
_UNPRINTABLE = str.maketrans(dict.fromkeys((*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))))


def printable(text: str) -> str:
    """``text`` without control characters (but tab and line breaks): safe to print on a terminal."""
    return text.translate(_UNPRINTABLE)
