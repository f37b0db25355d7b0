"""The URL converter of row ids: ``<int:…>`` in every route takes no number larger than a row's id
can be (PostgreSQL's integer), so a typed ``/cases/from-item/99999999999999999999`` is a 404, not
the driver's overflow (SQLite: OverflowError, PostgreSQL: NumericValueOutOfRange) as a 500."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ROW_ID = 2**31 - 1


class RowIdConverter(IntegerConverter):
    """Werkzeug's ``int`` with ``max`` defaulting to the largest row id (a route may still pass its own)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(map, *args, **kwargs)
