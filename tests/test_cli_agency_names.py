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


def test_a_name_typed_without_its_punctuation_or_as_one_of_its_two_names(app, make_agency):
    """`--agency` took the Persian name as the lists show it, spacing and ZWNJ aside, but not without its
    «،» («میراث فرهنگی گردشگری و صنایع دستی» was refused with the slugs listed), nor one of the two names
    an agency's joins by «/» (session 43's note). Punctuation is left out of the comparison, and each
    name of the two is the agency's (an agency whose whole name it is comes first); a name two
    agencies share is still refused with both slugs."""
    make_agency(slug="heritage", name_fa="میراث فرهنگی، گردشگری و صنایع دستی")
    make_agency(slug="roads", name_fa="راه و شهرسازی / راهداری و حمل‌ونقل جاده‌ای")
    for typed, slug in (("میراث فرهنگی گردشگری و صنایع دستی", "heritage"), ("میراث فرهنگی،گردشگری و صنایع‌دستی", "heritage"),
                        ("راه و شهرسازی", "roads"), ("راهداری و حمل و نقل جاده ای", "roads")):
        line, = _lines(app, "cases", "stats", "--period", "1405-08", "--agency", typed, "--json")
        assert line["agency"] == slug, typed
    make_agency(slug="urban", name_fa="راه و شهرسازی")
    assert _lines(app, "cases", "stats", "--period", "1405-08", "--agency", "راه و شهرسازی", "--json")[0]["agency"] == "urban"
    make_agency(slug="heritage2", name_fa="میراث فرهنگی، گردشگری و صنایع دستی")
    refused = app.test_cli_runner().invoke(args=["cases", "list", "--agency", "میراث فرهنگی گردشگری", "--json"])
    assert refused.exit_code == 2 and "سازمانی با شناسهٔ" in json.loads(refused.stdout)["error"]  # a part is no name
    refused = app.test_cli_runner().invoke(args=["cases", "list", "--agency", "میراث فرهنگی گردشگری و صنایع دستی"])
    assert refused.exit_code == 2 and "heritage، heritage2" in refused.stderr


def test_an_active_agency_comes_before_inactive_ones_of_the_name(app, make_agency):
    """An active agency before an inactive one held only among names of the same rank (session 44's note): an
    inactive agency whose whole name was typed came before the active one of which it is one of two names, so
    `cases open --agency "راه و شهرسازی"` named the old agency and was refused as inactive. Now any active agency
    that has the name comes first; two inactive ones (and none active) are refused with both slugs, said inactive."""
    make_agency(slug="roads-old", name_fa="راه و شهرسازی", is_active=False)
    make_agency(slug="roads", name_fa="راه و شهرسازی / راهداری و حمل‌ونقل جاده‌ای")
    line, = _lines(app, "cases", "stats", "--period", "1405-08", "--agency", "راه و شهرسازی", "--json")
    assert line["agency"] == "roads"
    opened = app.test_cli_runner().invoke(args=["cases", "open", "--manual", "--title", "چرا جاده بسته است؟",
                                                "--outlet", "رادیو", "--channel", "radio", "--opened", "1405/08/10",
                                                "--agency", "راه و شهرسازی", "--json"])
    assert opened.exit_code == 0 and json.loads(opened.stdout)["agency"] == "roads", opened.output
    make_agency(slug="ports-a", name_fa="بنادر و دریانوردی", is_active=False)
    make_agency(slug="ports-b", name_fa="بنادر و دریانوردی", is_active=False)
    refused = app.test_cli_runner().invoke(args=["cases", "list", "--agency", "بنادر و دریانوردی", "--json"])
    error = json.loads(refused.stdout)["error"]
    assert refused.exit_code == 2 and "ports-a" in error and "ports-b" in error and "غیرفعال" in error, error
