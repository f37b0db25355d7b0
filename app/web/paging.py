"""The page number a list page is asked for (``?page=``), and the query it carries into its links."""
from __future__ import annotations

from flask import request

# Pages one can ask for: past it, this last one. A typed ?page=99999999999999999999 was larger than
# SQLite's or PostgreSQL's OFFSET takes (the driver's overflow: a 500); 100,000 pages of 50 rows
# is five million rows, more than any list here shows.
MAX_PAGE = 100_000


def page_arg() -> int:
    """``?page=`` as a number from 1 to MAX_PAGE: 1 when it is missing or no number."""
    return min(max(1, request.args.get("page", 1, type=int)), MAX_PAGE)


def list_args(*dropped: str) -> dict[str, str]:
    """The query's filters, to carry into a link to the same list (its other pages, its export, back
    from a refused export): each non-empty parameter but ``dropped`` and those ``url_for`` reads as
    its own options rather than as the query: ``_method``, ``_anchor``, ``_external``, ``_scheme``
    (any name starting with «_») and ``endpoint``. Spread into ``url_for`` they were a 500
    (``?_method=POST``: no such route; ``?endpoint=x``: a second endpoint) or a link elsewhere
    (``?_external=1&_scheme=…``: an absolute URL, ``?_anchor=…``: a fragment)."""
    return {key: value for key, value in request.args.items()
            if value and key not in dropped and not key.startswith("_") and key != "endpoint"}
