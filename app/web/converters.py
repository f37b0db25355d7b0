"""The URL converter of row ids: ``<int:…>`` in every route takes no number larger than a row's id
can be (PostgreSQL's integer), so a typed ``/cases/from-item/99999999999999999999`` is a 404, not
the driver's overflow (SQLite: OverflowError, PostgreSQL: NumericValueOutOfRange) as a 500."""
from __future__ import annotations

import re

from flask import request
from werkzeug.routing import IntegerConverter

from app.services.digits import MAX_ROW_ID, row_id


class RowIdConverter(IntegerConverter):
    """Werkzeug's ``int`` with ``max`` defaulting to the largest row id (a route may still pass its own)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(map, *args, **kwargs)


def form_id(name: str) -> int | None:
    """The row id the form field ``name`` holds (Persian digits too): None when it is left empty; 0,
    which is no row's id, when it is not one («²» passed isdigit() and failed int(): a 500; an id
    past the largest a row can have overflowed the database driver: a 500 too)."""
    value = (request.form.get(name) or "").strip()
    if not value:
        return None
    found = row_id(value)
    return 0 if found is None else found


_ANCHOR = re.compile(r"#[A-Za-z0-9_-]{1,64}")


def form_anchor() -> str:
    """The page section a form returns to (its ``anchor`` field, «#answer»), or nothing: the value
    went into the redirect's Location as sent, and a line break there was a 500 after the change
    was saved (a review of login, round 4)."""
    value = request.form.get("anchor", "")
    return value if _ANCHOR.fullmatch(value) else ""
