"""The province dashboard in a real browser (issue 13): a supervisor opens it, picks a season,
drills into one agency's clause-12 row and reaches the overdue cases behind it. The charts are
drawn (Chart.js under the strict CSP: no violation, no console error), right to left, with
Persian digits on their axes."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.clock import local_today
from app.extensions import db
from app.services.report_periods import period_holding
from tests.browser.conftest import click_menu
from tests.browser.test_case_flow import log_in
from tests.services import case_fixtures

pytestmark = pytest.mark.browser
desk = case_fixtures.desk
PERSIAN_NUMBER = r"^[۰-۹٬٫]+$"

CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def late(desk):
    """Water: two cases past their deadline, one not yet due, one answered; power: one late case."""
    today = local_today()
    opened = today - timedelta(days=1)  # inside the season whatever day it is run (clamped below)
    opened = max(opened, period_holding("season", today).first)

    def case(status, deadline_days, agency=None, title="چرا آب محله قطع است؟"):
        c = desk.open(status, agency=agency, opened_on=opened, title=title)
        c.deadline = today + timedelta(days=deadline_days)
        return c

    water_late = [case("assigned", -3, title="آب شرب روستای بالا"), case("accepted", -10, title="فشار آب طبقهٔ سوم")]
    case("assigned", 5)  # not yet due
    case("published", -1)  # answered
    power_late = case("accepted", -2, agency=desk.b, title="خاموشی بی‌خبر")
    db.session.commit()
    return {c.ref for c in water_late}, power_late.ref


def _charts_drawn(page) -> None:
    page.wait_for_function(
        "() => { const all = document.querySelectorAll('canvas.chart');"
        " return all.length > 0 && [...all].every(c => c.hasAttribute('data-chart-drawn')); }")


def test_supervisor_picks_a_season_and_reaches_the_overdue_cases_of_clause_12(page, live_server, desk, late):
    water_refs, power_ref = late
    base = live_server
    page.context.add_init_script(CSP_WATCH)
    log_in(page, base, desk.supervisor)
    click_menu(page, href="/province")  # the menu's «پیشخوان استان»
    page.wait_for_url(f"{base}/province")
    _charts_drawn(page)

    # Pick the season that holds today.
    season = period_holding("season", local_today())
    page.select_option("#period", season.key)
    page.click("#period-form button[type=submit]")
    page.wait_for_url(f"{base}/province?period={season.key}")
    assert season.name in page.locator("h1").inner_text()
    _charts_drawn(page)

    # The charts: every canvas drawn by Chart.js, right to left, Persian digits on the value axis.
    charts = page.evaluate("""() => [...document.querySelectorAll('canvas.chart')].map(c => {
        const chart = window.Chart.getChart(c);
        const value = chart.options.indexAxis === 'y' ? chart.scales.x : chart.scales.y;
        return {id: c.id, width: c.clientWidth, reversed: chart.options.scales.x.reverse,
                legendRtl: chart.options.plugins.legend.rtl, ticks: value.ticks.map(t => t.label),
                font: chart.options.font.family,
                inkAtLeftEdge: [...c.getContext('2d').getImageData(0, 0, 1, c.height).data]
                    .filter((v, i) => i % 4 === 3 && v > 40).length};
    })""")
    ids = {c["id"] for c in charts}
    assert {"chart-cases", "chart-routed", "chart-conferences", "chart-contacts"} <= ids
    for chart in charts:
        assert chart["width"] > 0 and chart["reversed"] is True and chart["legendRtl"] is True, chart
        # the newest month's slanted label at the left end whole: no ink in the canvas's first column
        # (Chart.js left room for the first label, the right end's; «آذر ۱۴۰۵» lost its «۱»: a browser walk)
        assert chart["inkAtLeftEdge"] == 0, chart
        assert chart["ticks"] and all(re.match(PERSIAN_NUMBER, t) for t in chart["ticks"]), chart
        assert "Vazirmatn" in chart["font"], chart
    # The table under a chart holds the same numbers and opens without script.
    page.click("#chart-cases-figure details summary")
    assert page.locator("table[data-chart-table='chart-cases'] tbody tr").count() == 12

    # What is overdue now: both agencies' late cases.
    shown = set(page.locator("#overdue-cases tr[data-ref]").evaluate_all("rows => rows.map(r => r.dataset.ref)"))
    assert shown == water_refs | {power_ref}

    # Drill into water's scorecard, its clause-12 row, then the overdue cases behind the figure.
    page.click("#ranking-table tr[data-agency='water'] a.scorecard-link")
    page.wait_for_url(f"{base}/scorecard/water?period={season.key}")
    overdue = page.locator("#clause-12 [data-figure='overdue']")
    assert "۲" in overdue.inner_text()
    overdue.locator("a.scorecard-list-link").click()
    page.wait_for_url(f"{base}/cases/all?**")
    listed = set(page.locator("tr.case-row").evaluate_all("rows => rows.map(r => r.dataset.ref)"))
    assert listed == water_refs

    assert page.evaluate("window.__cspViolations") == []
    assert page.console_errors == []
    assert all(url.startswith(base) for url in page.requests_made)
