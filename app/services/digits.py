"""Numbers inside messages as their reader reads them: Persian digits in Persian text (the shell
and Persian pages), ASCII digits when the request is in English; and a typed row id read.

Pass the number through ``shown_number`` as the message's parameter, not the whole message through
``to_persian_digits``: what the user typed (a file name, an address) is shown as typed.
"""
from __future__ import annotations

from app.i18n import digit_style
from search_index.normalization import ascii_digits, to_persian_digits

MAX_ROW_ID = 2**31 - 1  # the largest id a row can have (PostgreSQL's integer)


def shown_number(value) -> str:
    """``value`` with Persian digits unless the request is in English."""
    return to_persian_digits(str(value)) if digit_style() == "fa" else str(value)


def row_id(text) -> int | None:
    """``text`` as a row id (Persian and Arabic-Indic digits too), or None when it is none: «²» is
    a digit to ``str.isdigit`` and no number to ``int`` (a 500), and an id past MAX_ROW_ID overflowed
    the database driver (a 500 too)."""
    value = ascii_digits(str(text if text is not None else "")).strip()
    if not (value.isascii() and value.isdecimal() and len(value) <= 10):
        return None
    number = int(value)
    return number if number <= MAX_ROW_ID else None
