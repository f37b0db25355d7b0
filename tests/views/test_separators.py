"""The parts of a line (an agency, a period, a date) are parted by «، » on a Persian page: a middle
dot beside a Persian digit reads as that script's zero, «آب و فاضلاب · آذر ۱۴۰۵» as «… ۰ آذر ۱۴۰۵»
and «۱۴۰۵-۰۰۰۰۰۳ · زمان …» as «۰۱۴۰۵-…» (session 42's walk). An English page keeps « · »."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from app.clock import utcnow
from app.extensions import db
from app.services.indexing import drain
from app.services.routing import create_rule
from models import Contact, ItemRoute, Journalist
from tests.conftest import csrf_token, login
from tests.search_index.item_factory import ItemFactory
from tests.services import case_fixtures

desk = case_fixtures.desk  # the shared fixture, by name


def test_a_line_is_parted_by_a_persian_comma_on_a_persian_page(client, make_agency, make_user):
    login(client, make_user("manager", make_agency(slug="water", name_fa="آب و فاضلاب", name_en="Water")))
    heading = re.search(r"<h1.*?</h1>", client.get("/agency-dashboard").get_data(as_text=True), re.DOTALL).group(0)
    assert "</bdi>، " in heading and "·" not in heading
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    heading = re.search(r"<h1.*?</h1>", client.get("/agency-dashboard").get_data(as_text=True), re.DOTALL).group(0)
    assert "</bdi>\u00a0· " in heading  # the dot held to the part before it


def _text(html: str) -> str:
    """The page's words as read: tags, scripts and styles left out."""
    return re.sub(r"<[^>]+>", "", re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.DOTALL))


def _dot_beside_a_digit(html: str) -> list[str]:
    """Each «·» with a Persian digit beside it, in the page's text (tags and isolates left out)."""
    text = _text(html)
    return re.findall(r"\S*[۰-۹][\s\u2066-\u2069]*·.{0,12}|.{0,12}·[\s\u2066-\u2069]*[۰-۹]\S*", text)


def _space_before_a_comma(html: str) -> list[str]:
    """A «، » that a line break in the template put a space before: «۰۶:۳۰ ، سارا امینی»."""
    text = _text(html)
    return re.findall(r"\S{0,12}\s+،.{0,12}", text)


def test_no_middle_dot_beside_a_date_on_an_items_page_its_search_results_or_a_cases_timeline(
        app, client, make_user, login_as, desk):
    """The item's page said «خبرگزاری نمونهٔ استان · ۱۳ آذر ۱۴۰۵»; a search result «استانی ·
    ۱۴۰۵/۰۹/۰۴ · متن در سایت رسانه»; a case's timeline «کارشناس روابط عمومی آب و فاضلاب · ۱۶ آذر
    ۱۴۰۵» (left by 66537de9; the review of session 42's pages)."""
    factory = ItemFactory()
    item = factory.make("قطعی آب در همدان", "آب شهر از صبح قطع است.", outlet=factory.outlet("همدان پیام"),
                        author="سارا امینی", published_at=datetime(2026, 3, 25, 6, 0, tzinfo=UTC))
    drain()
    login_as(make_user(role="viewer"))
    for path in (f"/items/{item.id}", "/search/?q=آب"):
        html = client.get(path).get_data(as_text=True)
        assert "همدان پیام" in html and "۱۴۰۵" in html
        assert _dot_beside_a_digit(html) == [] and _space_before_a_comma(html) == [], path
    case = desk.open("published", item_id=item.id)
    viewer = app.test_client()
    login(viewer, desk.viewer)
    html = viewer.get(f"/cases/{case.ref}").get_data(as_text=True)
    assert "۱۴۰۵" in html and _dot_beside_a_digit(html) == [] and _space_before_a_comma(html) == []


def test_no_middle_dot_beside_a_count_on_a_rules_page(client, make_agency, make_user, login_as):
    """Under a rule's name: «آب و فاضلاب · نسخهٔ ۱، فعال · ۱۰۴ خبر در صندوق با این قاعده» (66537de9
    parted the version only; the review of session 42's pages)."""
    rule = create_rule(make_agency(name_fa="آب و فاضلاب"), "قطعی آب", "قطعی آب", actor_label="test")
    login_as(make_user(role="admin"))
    html = client.get(f"/rules/{rule.id}").get_data(as_text=True)
    line = re.search(r'<p class="text-secondary mb-3">.*?</p>', html, re.DOTALL).group(0)
    assert "۰ خبر در صندوق" in line and "·" not in line



def test_no_line_of_a_persian_page_is_parted_by_a_middle_dot(app, client, make_agency, make_user):
    """Session 42 parted the lines beside a date by «، »; about forty others kept « · »: the inbox's
    «رسانه · سازمان · وضعیت», a contact's «خبرنگار · رسانه · ثبت: …», the account menu's «نقش ·
    سازمان», the users' «ویرایش · نشست‌ها», the alerts' «جست‌وجو · واژه‌ها: … · رسانه» (session 43's
    walk). A Persian page parts every line by Persian punctuation («، », and «؛ » before a part
    holding a «،» list of its own); an English page by « · »."""
    water = make_agency(slug="water", name_fa="آب و فاضلاب", name_en="Water")
    factory = ItemFactory()
    outlet = factory.outlet("همدان پیام")
    item = factory.make("قطعی آب در محلهٔ ۱۲", "آب قطع است", outlet=outlet, commit=False)
    db.session.flush()
    db.session.add(ItemRoute(item_id=item.id, agency_id=water.id, status="new"))
    manager = make_user("manager", water)
    journalist = Journalist(name="مریم احمدی")
    db.session.add(journalist)
    db.session.flush()
    db.session.add(Contact(agency_id=water.id, journalist_id=journalist.id, outlet_id=outlet.id, topic="کم‌آبی",
                           happened_at=utcnow() - timedelta(hours=1), logged_by_id=manager.id))
    db.session.commit()
    login(client, manager)
    pages = ("/", "/inbox/", "/contacts/", "/items/")
    texts = {path: _text(client.get(path).get_data(as_text=True)) for path in pages}
    for path, text in texts.items():
        assert "·" not in text, (path, re.findall(r".{0,30}·.{0,30}", text))
        assert _space_before_a_comma(text) == [], path
    assert "همدان پیام، آب و فاضلاب، " in re.sub(r"\s+", " ", texts["/inbox/"])
    assert "مریم احمدی، همدان پیام، " in re.sub(r"\s+", " ", texts["/contacts/"])
    supervisor = app.test_client()  # the governorate's dashboard names each item's agency
    login(supervisor, make_user("supervisor"))
    text = _text(supervisor.get("/").get_data(as_text=True))
    assert "·" not in text and _space_before_a_comma(text) == [] and "۱۲، آب و فاضلاب" in text, _space_before_a_comma(text)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    assert "همدان پیام · Water · " in re.sub(r"\s+", " ", _text(client.get("/inbox/").get_data(as_text=True)))
