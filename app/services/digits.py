"""Numbers inside messages as their reader reads them: Persian digits in Persian text (the shell
and Persian pages), ASCII digits when the request is in English.

Pass the number through ``shown_number`` as the message's parameter, not the whole message through
``to_persian_digits``: what the user typed (a file name, an address) is shown as typed.
"""
from __future__ import annotations

from app.i18n import digit_style
from search_index.normalization import to_persian_digits


def shown_number(value) -> str:
    """``value`` with Persian digits unless the request is in English."""
    return to_persian_digits(str(value)) if digit_style() == "fa" else str(value)
