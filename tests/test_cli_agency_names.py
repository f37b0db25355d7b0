"""The agency's Persian name in the figures' JSON lines, as stored (session 43).

`report scorecard` gave «agency_name» (the stored name_fa) but `cases stats` and `contacts stats`,
one JSON line per agency too, gave the slug alone: a script putting the three side by side read the
name from one and looked it up for the others. All three give it now, the same stored text (ZWNJ
kept), and the scorecard gives its «as_of» as a Jalali day too, as `contacts stats` does.
"""
from __future__ import annotations

import json

from app.jalali import format_jalali_date
from app.jalali import parse_jalali_date as J

NAME = "اداره‌کل راه و شهرسازی"


def _lines(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_the_three_figures_give_the_stored_name(app, make_agency):
    agency = make_agency(slug="roads", name_fa=NAME)
    card, = _lines(app, "report", "scorecard", "--period", "1405-08", "--agency", "roads")
    cases, = _lines(app, "cases", "stats", "--period", "1405-08", "--agency", "roads", "--json")
    contacts, = _lines(app, "contacts", "stats", "--period", "1405-08", "--agency", "roads", "--json")
    assert card["agency_name"] == cases["agency_name"] == contacts["agency_name"] == agency.name_fa == NAME
    assert card["agency"] == cases["agency"] == contacts["agency"] == "roads"
    assert card["as_of_jalali"] == format_jalali_date(J(card["as_of_jalali"]), digits="en")
    assert card["as_of_jalali"] == contacts["as_of_jalali"]
