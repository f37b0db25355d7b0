"""The province's dashboard and each agency's own: who may open which, the period picker, the
charts' data (the JSON the script draws = the table under it) and what is overdue now."""
from __future__ import annotations

import html
import json
import re

import pytest

from app.clock import local_today
from app.extensions import db
from app.jalali import to_jalali
from app.services.report_periods import period_holding
from tests.conftest import login
from tests.services import case_fixtures

desk = case_fixtures.desk


@pytest.fixture
def overdue(desk):
    """One overdue case at each agency, and one of A not yet due."""
    from datetime import timedelta

    today = local_today()
    late_a = desk.open("assigned", opened_on=today - timedelta(days=20), title="پرسش دیرکرد آب")
    late_b = desk.open("accepted", agency=desk.b, opened_on=today - timedelta(days=20), title="پرسش دیرکرد برق")
    fresh = desk.open("assigned", opened_on=today, title="پرسش تازه")
    late_a.deadline = late_b.deadline = today - timedelta(days=3)
    fresh.deadline = today + timedelta(days=5)
    db.session.commit()
    return desk, late_a, late_b


def _charts(body: str) -> dict[str, dict]:
    return {m.group(1): json.loads(html.unescape(m.group(2)))
            for m in re.finditer(r'<canvas id="([\w-]+)" class="chart" data-chart=\'([^\']*)\'', body)}


def _table(body: str, chart_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*data-chart-table="{chart_id}">(.*?)</table>', body, re.DOTALL).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.DOTALL)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.DOTALL)]
            for r in rows]


def first_day() -> str:
    """The first day a record may carry, as the pages write it (it moves with the year)."""
    from app.jalali import format_jalali_date
    from app.services.record_days import earliest_recorded_day

    return format_jalali_date(earliest_recorded_day())


def test_the_supervisor_sees_the_province(client, overdue):
    desk, late_a, late_b = overdue
    login(client, desk.supervisor)
    response = client.get("/province")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    charts = _charts(body)
    assert set(charts) >= {"chart-cases", "chart-routed", "chart-conferences", "chart-contacts"}
    cases = charts["chart-cases"]
    assert len(cases["labels"]) == 12 and cases["labels"][-1] == _month_name(local_today())
    assert [d["label"] for d in cases["datasets"]] == ["بازشده", "پاسخ به‌موقع", "گذشته از مهلت"]
    # The table under the chart holds the numbers the chart draws (in Persian digits).
    table = _table(body, "chart-cases")
    assert len(table) == 12 and table[-1][0] == cases["labels"][-1]
    digits = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    assert [[int(c.translate(digits)) for c in row[1:]] for row in table] == \
        [[d["data"][i] for d in cases["datasets"]] for i in range(12)]
    assert sum(cases["datasets"][0]["data"]) == 3  # three cases opened in the window
    # What is overdue now: both agencies' late cases, not the fresh one.
    overdue_table = re.search(r'<table[^>]*id="overdue-cases">(.*?)</table>', body, re.DOTALL).group(1)
    assert set(re.findall(r'data-ref="([^"]+)"', overdue_table)) == {late_a.ref, late_b.ref}
    assert 'id="agency-dashboards"' in body and "/agency-dashboard/power" in body
    # The agencies ranked by their scorecard: both, each with its clause 9–12 statuses.
    ranking = re.search(r'<table[^>]*id="ranking-table">(.*?)</table>', body, re.DOTALL).group(1)
    assert re.findall(r'<tr data-agency="(\w+)"', ranking) in (["water", "power"], ["power", "water"])
    assert len(re.findall(r'<td data-clause="12"><span class="badge[^"]*" data-status="(\w+)"', ranking)) == 2
    assert "<script>" not in body and not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert "vendor/chartjs/chart.umd.min.js" in body and "js/charts.js" in body


def _month_name(day) -> str:
    from app.jalali import format_jalali_month

    j = to_jalali(day)
    return format_jalali_month(j.year, j.month)


def test_the_period_picker(client, desk):
    login(client, desk.supervisor)
    body = client.get("/province?period=1405-S1").get_data(as_text=True)
    assert "بهار ۱۴۰۵" in body and '<option value="1405-S1" selected>' in body
    assert _charts(body)["chart-cases"]["labels"][-1] in ("خرداد ۱۴۰۵", _month_name(local_today()))
    body = client.get("/province?period=%DB%B1%DB%B4%DB%B0%DB%B5").get_data(as_text=True)  # «۱۴۰۵»
    assert '<option value="1405" selected>' in body
    response = client.get("/province?period=1405-13")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "خوانده نشد" in body
    default = period_holding("month", local_today())
    assert f'<option value="{default.key}" selected>' in body
    # «1305» for «1405»: said and the current month shown, as the scorecard page (session 40's note)
    body = client.get("/province?period=1305").get_data(as_text=True)
    assert first_day() in body and "سال را درست" in body
    assert f'<option value="{default.key}" selected>' in body


def test_an_agency_sees_only_its_own_dashboard(client, overdue):
    desk, late_a, late_b = overdue
    login(client, desk.manager)
    assert client.get("/province").status_code == 403
    assert client.get("/agency-dashboard/power").status_code == 404
    assert client.get("/agency-dashboard/no-such").status_code == 404
    response = client.get("/agency-dashboard")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-agency="water"' in body
    assert late_a.ref in body and late_b.ref not in body and "پرسش دیرکرد برق" not in body
    assert "توزیع برق" not in body  # not even the other agency's name (no routed series of B)
    assert 'id="ranking"' not in body
    summary = re.search(r'<section[^>]*id="scorecard-summary">(.*?)</section>', body, re.DOTALL).group(1)
    assert [int(n) for n in re.findall(r'data-clause="(\d+)"', summary)] == list(range(1, 15))
    assert sum(_charts(body)["chart-cases"]["datasets"][0]["data"]) == 2  # A's two cases in the 12 months
    assert client.get("/agency-dashboard/water").status_code == 200
    for user in (desk.staff, desk.viewer):
        other = client.application.test_client()
        login(other, user)
        assert other.get("/agency-dashboard").status_code == 200


def test_the_governorate_opens_any_agencys_dashboard(client, overdue):
    desk, late_a, late_b = overdue
    login(client, desk.supervisor)
    assert client.get("/agency-dashboard").status_code == 302  # it has no agency: to the province's
    body = client.get("/agency-dashboard/power").get_data(as_text=True)
    assert late_b.ref in body and late_a.ref not in body and 'data-agency="power"' in body
    assert sum(_charts(body)["chart-cases"]["datasets"][0]["data"]) == 1
    admin = client.application.test_client()
    login(admin, desk.admin)
    assert admin.get("/agency-dashboard/water").status_code == 200


def test_the_menu_and_the_main_dashboard_link_to_them(client, desk):
    login(client, desk.supervisor)
    body = client.get("/").get_data(as_text=True)
    assert 'href="/province"' in body and "پیشخوان استان" in body
    manager = client.application.test_client()
    login(manager, desk.manager)
    body = manager.get("/").get_data(as_text=True)
    assert 'href="/agency-dashboard"' in body and 'href="/province"' not in body


def test_the_demo_fills_the_province_dashboard(app, client):
    """`make run` (seed-demo with its history): every chart of the province has a year behind it."""
    from app.services.demo import seed_demo

    result = seed_demo(history=True)
    assert all(result["history"][k] > 0 for k in ("items", "routes", "cases", "conferences", "contacts"))
    assert seed_demo(history=True)["history"] == dict.fromkeys(result["history"], 0)  # idempotent
    password = next(u["password"] for u in result["users"] if u["username"] == "supervisor")
    from models import User

    login(client, db.session.scalar(db.select(User).where(User.username == "supervisor")), password)
    body = client.get("/province").get_data(as_text=True)
    charts = _charts(body)

    def months_with_data(chart_id: str) -> int:
        return sum(1 for i in range(12) if any(d["data"][i] for d in charts[chart_id]["datasets"]))

    assert months_with_data("chart-routed") == 12 and len(charts["chart-routed"]["datasets"]) >= 5
    assert months_with_data("chart-contacts") >= 11 and months_with_data("chart-cases") >= 11
    assert months_with_data("chart-conferences") >= 6
    assert charts["chart-outlets"]["datasets"][0]["data"] and charts["chart-topics"]["datasets"][0]["data"]
    assert 'id="ranking-table"' in body and 'id="overdue-cases"' in body


@pytest.mark.parametrize("option", [{"_method": "POST"}, {"_anchor": "x"}, {"_external": "1"},
                                    {"_scheme": "https", "_external": "1"}, {"endpoint": "x"}])
def test_the_governorate_goes_to_the_province_with_its_period_only(client, desk, option):
    """The governorate's «agency dashboard» passed its whole query to ``url_for``: «?_method=POST»
    or «?endpoint=» was a 500, «_anchor» and «_external» a fragment or an absolute URL."""
    login(client, desk.supervisor)
    response = client.get("/agency-dashboard", query_string={"period": "1405-S1", **option})
    assert response.status_code == 302 and response.headers["Location"] == "/province?period=1405-S1"
    assert client.get("/agency-dashboard", query_string=option).headers["Location"] == "/province"
