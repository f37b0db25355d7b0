"""Every labelled cell of a list shown as cards on a phone has something after its label: the cases
list read «کارشناس:» with nothing after it for a case no one had taken, the rules list «محدوده:»,
the users list «سازمان:» for the governorate's accounts, the feeds list «آخرین بررسی:» and «آخرین
خطا:» (session 41's walk). An empty value is «—», on the desktop's table too."""
from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from app.extensions import db
from app.services.cases import ManualSource, open_case
from app.services.directory_keys import name_key
from models import ConferenceCommitment, Feed, Journalist, Outlet, PressConference, RoutingRule, utcnow
from tests.conftest import login


class _LabelledCells(HTMLParser):
    """The labels of the <td data-label> cells with no text in them."""

    def __init__(self) -> None:
        super().__init__()
        self.empty: list[str] = []
        self._cell: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and "data-label" in attrs:
            self._cell = (attrs["data-label"], [])

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1].append(data)

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            if not "".join(self._cell[1]).strip():
                self.empty.append(self._cell[0])
            self._cell = None


def empty_labelled_cells(html: str) -> list[str]:
    parser = _LabelledCells()
    parser.feed(html)
    return parser.empty


def test_no_card_row_is_a_label_with_nothing_after_it(client, make_agency, make_user):
    water = make_agency(slug="water")
    manager = make_user("manager", water)
    open_case(manager, agency=water, title="چرا آب محلهٔ شهرک قطع است؟",
              manual=ManualSource(channel="radio", outlet_name="رادیو استان"), opened_on=date.today())
    conference = PressConference(agency_id=water.id, title="نشست خبری تابستان", starts_at=utcnow(), status="held")
    conference.commitments.append(ConferenceCommitment(text="فهرست محله‌ها منتشر شود"))
    db.session.add_all([Feed(url="https://news.example.ir/rss"), RoutingRule(agency_id=water.id, name="آب", query="آب"),
                        Outlet(name="هفته‌نامهٔ شهر", name_key=name_key("هفته‌نامهٔ شهر")),
                        Journalist(name="سارا امینی", name_key=name_key("سارا امینی")), conference])
    db.session.commit()
    login(client, make_user("admin"))
    empty = {}
    for path in ("/cases/all", "/rules/", "/admin/users", "/feeds/", "/directory/outlets", "/directory/journalists",
                 "/conferences/", "/conferences/commitments", "/admin/audit"):
        response = client.get(path)
        assert response.status_code == 200, path
        if found := empty_labelled_cells(response.get_data(as_text=True)):
            empty[path] = found
    assert empty == {}
