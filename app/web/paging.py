"""The page number a list page is asked for (``?page=``)."""
from __future__ import annotations

from flask import request

# Pages one can ask for: past it, this last one. A typed ?page=99999999999999999999 was larger than
# SQLite's or PostgreSQL's OFFSET takes (the driver's overflow: a 500); 100,000 pages of 50 rows
# is five million rows, more than any list here shows.
MAX_PAGE = 100_000


def page_arg() -> int:
    """``?page=`` as a number from 1 to MAX_PAGE: 1 when it is missing or no number."""
    return min(max(1, request.args.get("page", 1, type=int)), MAX_PAGE)
