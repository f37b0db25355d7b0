"""The search page: one box with its syntax, filters, Jalali dates, highlighting, count, paging."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.services.indexing import drain
from app.services.routing import create_rule
from app.services.rule_tester import request_backfill, run_backfills
from tests.search_index.item_factory import ItemFactory


@pytest.fixture
def news(app):
    factory = ItemFactory()
    local = factory.outlet("همدان پیام", scope="local")
    national = factory.outlet("خبرگزاری سراسری", scope="national")
    made = {
        "water": factory.make("قطعی آب در همدان", "آب شهر <script>alert(1)</script> از صبح قطع است و مردم گلایه دارند.",
                              outlet=local, published_at=datetime(2026, 3, 25, 6, 0, tzinfo=UTC)),
        "power": factory.make("قطعی برق در روستاها", "برق چند روستا قطع شد.", outlet=national,
                              published_at=datetime(2026, 4, 10, 6, 0, tzinfo=UTC)),
        "both": factory.make("قطعی آب و برق", "هم آب و هم برق قطع شد.", outlet=national,
                             published_at=datetime(2026, 2, 1, 6, 0, tzinfo=UTC)),
    }
    drain()
    return made, local, national


@pytest.fixture
def user(make_user, login_as):
    u = make_user(role="viewer")
    login_as(u)
    return u


def page(client, **args) -> str:
    response = client.get("/search/", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def result_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/items/(\d+)"', html)]


def test_anonymous_is_sent_to_login(client):
    response = client.get("/search/?q=آب")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_results_with_count_in_persian_digits_and_highlights(client, user, news):
    made, _, _ = news
    html = page(client, q="قطعي آب")  # typed with an Arabic ya
    assert set(result_ids(html)) == {made["water"].id, made["both"].id}
    assert "۲ نتیجه" in html
    assert "<mark>قطعی</mark> <mark>آب</mark> در همدان" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert 'value="قطعی آب"' in html  # what was typed stays in the box (ي folded for storage)


def test_syntax_exclusion_or_and_phrase(client, user, news):
    made, _, _ = news
    assert result_ids(page(client, q="قطعی -برق")) == [made["water"].id]
    assert set(result_ids(page(client, q="همدان یا روستاها"))) == {made["water"].id, made["power"].id}
    assert result_ids(page(client, q="«آب و برق»")) == [made["both"].id]


def test_fallback_warning_is_shown(client, user, news):
    made, _, _ = news
    html = page(client, q='"قطعی آب')
    assert "گیومه‌ها جفت نبودند" in html
    assert set(result_ids(html)) == {made["water"].id, made["both"].id}


def test_filters_outlet_scope_and_jalali_dates(client, user, news):
    made, local, _national = news
    assert result_ids(page(client, q="قطعی", outlet=str(local.id))) == [made["water"].id]
    assert set(result_ids(page(client, q="قطعی", scope="national"))) == {made["power"].id, made["both"].id}
    # 1405/01/01 … 1405/01/15: only the item of 5 Farvardin (25 March 2026), not the 21st's.
    html = page(client, q="قطعی", since="۱۴۰۵/۰۱/۰۱", until="1405-1-15")
    assert result_ids(html) == [made["water"].id]
    assert "۱۴۰۵/۰۱/۰۵" in html


def test_bad_date_is_shown_next_to_the_field_and_kept(client, user, news):
    html = page(client, q="قطعی", since="1404/12/30")
    assert "فقط ۲۹ روز دارد" in html and 'value="۱۴۰۴/۱۲/۳۰"' in html
    assert len(result_ids(html)) == 3  # the other filters still apply


def test_sort_newest_and_paging(client, user, news, monkeypatch):
    made, _, _ = news
    html = page(client, q="قطعی", sort="newest")
    assert result_ids(html) == [made["power"].id, made["water"].id, made["both"].id]
    monkeypatch.setattr("views.search.PER_PAGE", 2)
    first = page(client, q="قطعی", sort="newest")
    assert result_ids(first) == [made["power"].id, made["water"].id]
    assert "صفحهٔ ۱ از ۲" in first and "page=2" in first and "sort=newest" in first
    second = page(client, q="قطعی", sort="newest", page="2")
    assert result_ids(second) == [made["both"].id] and "۳ نتیجه" in second


def test_no_results_and_empty_box(client, user, news):
    assert "پیدا نشد" in page(client, q="زلزله")
    html = page(client)
    assert "نتیجه" not in html and 'name="q"' in html


def test_dashboard_links_the_search_page(client, user):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/search/"' in html and 'name="q"' in html
    assert 'href="/search/"' in html and "جست‌وجو" in html  # the menu entry


def _route_by_rule(agency, query: str) -> None:
    """Route stored items to ``agency`` the way a deployment does: a rule and its backfill."""
    rule = create_rule(agency, f"قاعدهٔ {query}", query, actor_label="test")
    request_backfill(rule, None, actor_label="test")
    run_backfills()


def agency_options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="agency".*?</select>', html, re.DOTALL).group(0)
    return [value for value in re.findall(r'<option[^>]*value="([^"]*)"', select) if value]


def test_agency_filter_uses_routed_agencies(app, client, make_user, login_as, make_agency):
    agency = make_agency(slug="water-co", name_fa="آبفا")
    login_as(make_user(role="viewer", agency=agency))
    factory = ItemFactory()
    routed = factory.make("قطعی آب شرب", "متن")
    other = factory.make("قطعی آب کشاورزی", "متن")
    _route_by_rule(agency, "«آب شرب»")  # no hook: the index reads the routes from the database
    drain()
    assert result_ids(page(client, q="قطعی آب", agency="water-co")) == [routed.id]
    assert set(result_ids(page(client, q="قطعی آب"))) == {routed.id, other.id}
    assert db.session.get(type(agency), agency.id).name_fa in page(client, q="آب")


def test_title_prefix_and_and_operator(client, user, news):
    made, _, _ = news
    assert result_ids(page(client, q="روستا")) == [made["power"].id]  # in the body only
    assert result_ids(page(client, q="title:روستا")) == [made["power"].id]  # «روستاها» in the title: a word form
    assert result_ids(page(client, q="title:«روستا»")) == []  # quoted: this very form, not in the title
    assert result_ids(page(client, q="عنوان:روستاها")) == [made["power"].id]
    assert set(result_ids(page(client, q="title:«قطعی آب»"))) == {made["water"].id, made["both"].id}
    assert result_ids(page(client, q="قطعی -عنوان:برق")) == [made["water"].id]
    html = page(client, q="قطعی AND برق")
    assert set(result_ids(html)) == {made["power"].id, made["both"].id} and "search-warning" not in html


def test_a_bare_title_prefix_says_so_and_searches_the_words(client, user, news):
    made, _, _ = news
    html = page(client, q="قطعی title: برق")
    assert "پس از «عنوان:» (title:) باید بی‌فاصله واژه یا عبارتی بیاید" in html
    assert set(result_ids(html)) == {made["power"].id, made["both"].id}


def test_syntax_help_and_export_buttons_on_the_page(client, user, news):
    html = page(client, q="قطعی")
    help_box = html[html.index('<details class="mb-2 small" id="search-help">'):]
    help_box = help_box[:help_box.index("</details>")]
    for example in ("«مسکن مهر»", "برق -گاز", "سیل یا آبگرفتگی", "عنوان:تانکر", "AND"):
        assert example in help_box
    assert 'id="search-export"' in html and 'value="xlsx"' in html and "۱۰٬۰۰۰" in html  # the export's cap, grouped
    assert 'id="search-export"' not in page(client, q="ناموجودترین")  # nothing to export


def _export(client, fmt, **args):
    from tests.conftest import csrf_token

    token = csrf_token(client, "/search/?q=" + args.get("q", ""))
    return client.post("/search/export", data={"csrf_token": token, "format": fmt, **args})


def test_export_csv_and_xlsx_of_the_filtered_search(client, user, news):
    import io

    from openpyxl import load_workbook

    _made, local, _ = news
    response = _export(client, "csv", q="قطعی", outlet=str(local.id))
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeffعنوان,") and text.count("\r\n") == 2 and "قطعی آب در همدان" in text
    response = _export(client, "xlsx", q="قطعی", sort="newest")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.sheet_view.rightToLeft
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [
        "قطعی برق در روستاها", "قطعی آب در همدان", "قطعی آب و برق"]


def test_export_without_csrf_token_is_refused(client, user, news):
    assert client.post("/search/export", data={"format": "csv", "q": "قطعی"}).status_code == 400


def test_large_export_shows_progress_then_a_link_for_its_owner_only(app, client, user, news, monkeypatch,
                                                                    make_user):
    from app.services import search_export_jobs as jobs
    from tests.conftest import login

    monkeypatch.setattr(jobs, "DIRECT_ROWS", 1)
    response = _export(client, "csv", q="قطعی")
    assert response.status_code == 302 and "/search/exports/" in response.headers["Location"]
    progress = client.get(response.headers["Location"])
    assert progress.headers["Refresh"] == "2"
    assert "در حال آماده‌سازی… ۰٪" in progress.get_data(as_text=True)
    jobs.exports_job(app)
    ready = client.get(response.headers["Location"])
    html = ready.get_data(as_text=True)
    assert "Refresh" not in ready.headers and "فایل با ۳ ردیف آماده است" in html
    link = re.search(r'id="export-download" href="([^"]+)"', html).group(1)
    file = client.get(link)
    assert file.status_code == 200 and file.get_data().startswith(b"\xef\xbb\xbf")
    admin = app.test_client()
    login(admin, make_user(role="admin"))  # even an administrator cannot read another user's export
    assert admin.get(response.headers["Location"]).status_code == 404
    assert admin.get(link).status_code == 404


def test_agency_filter_offers_and_allows_only_my_agency(app, client, make_user, login_as, make_agency):
    mine, theirs = make_agency(slug="water-co", name_fa="آبفا"), make_agency(slug="power-co", name_fa="برق")
    factory = ItemFactory()
    routed = factory.make("قطعی برق شهر", "متن")
    _route_by_rule(theirs, "برق")
    drain()
    login_as(make_user(role="staff", agency=mine))
    html = page(client, q="قطعی")
    assert agency_options(html) == ["water-co"]  # only my own agency is offered
    refused = page(client, q="قطعی", agency="power-co")  # typed into the address bar
    assert "تنها همان سازمان و ناظران می‌بینند" in refused and "«برق»" in refused
    assert routed.id not in result_ids(refused)
    assert 'id="result-count"' not in refused  # nothing searched: not a silent "0 results"
    assert result_ids(page(client, q="قطعی")) == [routed.id]  # the item itself is public


def test_supervisors_filter_by_every_agency(app, client, make_user, login_as, make_agency):
    make_agency(slug="water-co", name_fa="آبفا")
    power = make_agency(slug="power-co", name_fa="برق")
    factory = ItemFactory()
    routed = factory.make("قطعی برق شهر", "متن")
    _route_by_rule(power, "برق")
    drain()
    login_as(make_user(role="supervisor"))
    html = page(client, q="قطعی", agency="power-co")
    assert {"water-co", "power-co"} <= set(agency_options(html))
    assert result_ids(html) == [routed.id]
    assert result_ids(page(client, q="قطعی", agency="water-co")) == []


def test_route_status_filter(app, client, make_user, login_as, make_agency):
    """The index carries each route's status: the page filters by it, for my own agency (an
    agency user) or any agency (supervisors); a status alone is refused for an agency user."""
    from sqlalchemy import select

    from app.services.triage import set_route_status
    from models import ItemRoute

    water = make_agency(slug="water-co", name_fa="آبفا")
    make_agency(slug="power-co", name_fa="برق")
    factory = ItemFactory()
    kept = factory.make("قطعی آب شرب در شهر", "متن")
    dismissed = factory.make("قطعی آب شرب در روستا", "متن")
    _route_by_rule(water, "«آب شرب»")
    staff = make_user(role="staff", agency=water)
    route = db.session.scalar(select(ItemRoute).where(ItemRoute.item_id == dismissed.id))
    set_route_status(route, "dismissed", staff)
    drain()

    login_as(staff)
    html = page(client, q="قطعی")
    select_html = re.search(r'<select[^>]*name="status".*?</select>', html, re.DOTALL).group(0)
    assert 'value="dismissed"' in select_html and "کنار گذاشته" in select_html
    assert result_ids(page(client, q="قطعی", agency="water-co", status="dismissed")) == [dismissed.id]
    assert result_ids(page(client, q="قطعی", agency="water-co", status="new")) == [kept.id]
    refused = page(client, q="قطعی", status="new")  # a status without my agency reads every agency's
    assert "همراه با سازمان خودتان" in refused and 'id="result-count"' not in refused
    assert re.search(r'<option selected value="new"|<option value="new" selected', refused)  # kept

    from tests.conftest import login

    supervisor = app.test_client()
    login(supervisor, make_user(role="supervisor"))
    assert result_ids(page(supervisor, q="قطعی", status="dismissed")) == [dismissed.id]
    assert result_ids(page(supervisor, q="قطعی", agency="power-co", status="new")) == []


def test_the_agency_filter_and_the_reports_page_name_agencies_in_english(client, make_agency, make_user):
    """In English the search page's and the reports page's agency lists were in Persian, though
    agencies have English names (a walk through the pages)."""
    from tests.conftest import csrf_token, login

    make_agency(slug="water", name_fa="آب و فاضلاب", name_en="Water and Wastewater")
    login(client, make_user(role="supervisor"))
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/search/")})
    for path in ("/search/", "/reports/"):
        html = client.get(path).get_data(as_text=True)
        assert ">Water and Wastewater</option>" in html and ">آب و فاضلاب</option>" not in html, path
