"""Numbers inside messages as their reader reads them: Persian digits in Persian text (the shell
and Persian pages), ASCII digits when the request is in English; and a typed row id read.

Pass the number through ``shown_number`` as the message's parameter, not the whole message through
``to_persian_digits``: what the user typed (a file name, an address) is shown as typed.
"""
from __future__ import annotations

from flask import has_request_context

from app.i18n import digit_style
from search_index.normalization import ascii_digits, to_persian_digits

MAX_ROW_ID = 2**31 - 1  # the largest id a row can have (PostgreSQL's integer)


def shown_number(value) -> str:
    """``value`` with Persian digits unless the request is in English."""
    return to_persian_digits(str(value)) if digit_style() == "fa" else str(value)


def shown_ref(ref) -> str:
    """A case's number as a sentence shows it: ``shown_number``, and on a page isolated left to
    right (LRI … PDI): in a Persian sentence «۱۴۰۵-۰۰۰۰۲۹» was shown «۰۰۰۰۲۹-۱۴۰۵» (Persian digits
    read as Arabic numbers, the hyphen as neutral), and a number copied from it was refused (a walk
    through the pages, round 5). The shell's text has no invisible characters (``case_by_ref``
    drops them from a number pasted back)."""
    shown = shown_number(ref)
    return f"\u2066{shown}\u2069" if has_request_context() else shown


def row_id(text) -> int | None:
    """``text`` as a row id (Persian and Arabic-Indic digits too), or None when it is none: «²» is
    a digit to ``str.isdigit`` and no number to ``int`` (a 500), and an id past MAX_ROW_ID overflowed
    the database driver (a 500 too)."""
    value = ascii_digits(str(text if text is not None else "")).strip()
    if not (value.isascii() and value.isdecimal() and len(value) <= 10):
        return None
    number = int(value)
    return number if number <= MAX_ROW_ID else None
