"""A portal without a feed is checked by its page's own change, against a real local HTTP
server, through the feeds' fetcher and its guards: the first read is the baseline; a 304 to the
conditional GET; the same text under other markup, scripts, clock and counter is unchanged; a
new text is a dated change that the freshness figures count; an unreachable server and an
address the guard refuses are recorded failures; a portal with a feed is not fetched."""
from __future__ import annotations

import json
import socket
from datetime import timedelta

from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.jalali import jalali_month_range, to_jalali
from app.leases import claim_lease, release_lease
from app.services.portal_checks import LEASE_KEY, check_portals
from app.services.portal_freshness import portal_figures
from models import PortalChange, PortalCheck
from tests.services import portal_page_server
from tests.services.portal_fixtures import portal_feed
from tests.services.portal_page_server import Page

page_server = portal_page_server.page_server

PAGE = """<!doctype html><html lang="fa"><head><title>{title}</title><script>var rendered="{stamp}";</script>
<style>.a{{color:red}}</style></head><body class="{cls}"><header>امروز {clock}</header>
<nav><a href="/">خانه</a><a href="/news">اخبار</a></nav>
<main><h1>اخبار روابط عمومی</h1>{body}<div class="visitor-counter">بازدید امروز: {visits}</div></main>
<aside>پربازدیدها</aside><footer>تمام حقوق محفوظ است {stamp}</footer></body></html>"""
NEWS = "<article><h2>افتتاح طرح آبرسانی روستای نمونه</h2><p>مدیرعامل شرکت از بهره‌برداری خبر داد.</p></article>"
NEWER = NEWS + "<article><h2>جدول کم‌آبی تابستان</h2><p>برنامهٔ توزیع آب اعلام شد.</p></article>"


def page(body=NEWS, *, stamp="1", clock="۱۰:۲۳", visits="۱۲۳", cls="home", etag=None, title="درگاه"):
    return Page(PAGE.format(body=body, stamp=stamp, clock=clock, visits=visits, cls=cls, title=title), etag=etag)


def _agency(make_agency, server, path="/", slug="water"):
    return make_agency(slug=slug, name_fa="آبفا", portal_url=server.url(path))


def _allow_loopback(app):
    app.config["FEED_ALLOW_PRIVATE"] = "127.0.0.1/32"


def test_baseline_then_unchanged_under_other_markup_then_changed(app, make_agency, page_server):
    _allow_loopback(app)
    water = _agency(make_agency, page_server)
    page_server.pages["/"] = page()
    first = check_portals()
    assert [r.outcome for r in first.results] == ["baseline"]
    assert db.session.scalars(select(PortalChange)).all() == []
    # Another render: other script stamp, clock, visitor count, class names, spacing and title.
    page_server.pages["/"] = page(NEWS.replace("<p>", "<p class='lead'>  "), stamp="2", clock="۱۱:۴۵",
                                  visits="۱۹۸", cls="home dark", title="درگاه | صفحهٔ اصلی")
    assert [r.outcome for r in check_portals().results] == ["unchanged"]
    assert db.session.scalars(select(PortalChange)).all() == []
    page_server.pages["/"] = page(NEWER, stamp="3")
    changed = check_portals()
    assert [r.outcome for r in changed.results] == ["changed"]
    change = db.session.scalars(select(PortalChange)).one()
    assert change.id == changed.results[0].change_id and change.agency_id == water.id
    assert "جدول کم‌آبی تابستان" in change.excerpt and "پربازدیدها" not in change.excerpt
    today = to_jalali(change.changed_at)
    figures = portal_figures(*jalali_month_range(today.year, today.month), [water.id])[water.id]
    assert figures.updates == 1 and figures.records["portal_changes"] == [change.id]
    assert figures.days_since_update == 0 and figures.stale is False and figures.has_feed is False


def test_conditional_get_and_304(app, make_agency, page_server):
    _allow_loopback(app)
    _agency(make_agency, page_server)
    page_server.pages["/"] = page(etag='"v1"')
    assert [r.outcome for r in check_portals().results] == ["baseline"]
    assert "if-none-match" not in page_server.requests[-1][1]
    second = check_portals()
    assert [(r.outcome, r.status) for r in second.results] == [("not_modified", 304)]
    assert page_server.requests[-1][1]["if-none-match"] == '"v1"'
    page_server.pages["/"] = page(NEWER, etag='"v2"')
    assert [r.outcome for r in check_portals().results] == ["changed"]
    assert db.session.scalar(select(PortalCheck)).etag == '"v2"'


def test_unreachable_and_refused_by_the_guard_are_failures(app, make_agency, page_server):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    _allow_loopback(app)
    make_agency(slug="dead", portal_url=f"http://127.0.0.1:{dead_port}/")
    page_server.pages["/"] = page()
    guarded = _agency(make_agency, page_server, slug="guarded")
    app.config["FEED_ALLOW_PRIVATE"] = ""  # the guard's default: loopback refused
    result = {r.agency: r for r in check_portals().results}
    assert result["guarded"].outcome == "failed" and result["guarded"].error_code == "private_address"
    assert page_server.requests == []  # refused before any connection
    assert result["dead"].outcome == "failed" and result["dead"].error_code == "private_address"
    _allow_loopback(app)
    result = {r.agency: r for r in check_portals().results}
    assert result["dead"].error_code == "connect_error" and result["guarded"].outcome == "baseline"
    dead = db.session.scalar(select(PortalCheck).where(PortalCheck.agency_id != guarded.id))
    assert dead.consecutive_failures == 2 and dead.last_error_detail["key"] == "fetch.connect_error"
    assert dead.content_hash is None and db.session.scalars(select(PortalChange)).all() == []


def test_a_portal_with_a_feed_is_not_fetched_and_a_second_process_waits(app, make_agency, page_server):
    _allow_loopback(app)
    water = _agency(make_agency, page_server)
    portal_feed(water)
    page_server.pages["/"] = page()
    assert check_portals().results == [] and page_server.requests == []
    assert claim_lease(LEASE_KEY, "someone-else", 600)
    try:
        assert check_portals().skipped == "busy"
    finally:
        release_lease(LEASE_KEY, "someone-else")


def test_the_command_and_the_job(app, make_agency, page_server):
    _allow_loopback(app)
    _agency(make_agency, page_server)
    page_server.pages["/"] = page()
    result = app.test_cli_runner().invoke(args=["portals", "check", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["checked"], data["baseline"], data["changed"], data["failed"]) == (1, 1, 0, 0)
    assert data["portals"][0]["agency"] == "water" and data["portals"][0]["outcome"] == "baseline"
    jobs = {name: func for name, _interval, func in app.extensions["hamzaban_jobs"]}
    # the worker's job checks the pages due: none right after the command checked them all
    assert jobs["portal-checks"](app) == ("portal checks: 0 pages, 0 changed, 0 unchanged, 0 not modified, "
                                          "0 first read, 0 failed")
    db.session.execute(PortalCheck.__table__.update().values(last_checked_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    assert jobs["portal-checks"](app) == ("portal checks: 1 pages, 0 changed, 1 unchanged, 0 not modified, "
                                          "0 first read, 0 failed")


def test_the_workers_pass_ends_in_its_time_and_the_next_run_takes_the_rest(app, make_agency, page_server):
    """A review of hostile feeds, round 6: six portals dripping a byte every two seconds held the
    worker — no poll, no index, no heartbeat — a minute each, one after the other. The job claims
    no page after PORTAL_CHECK_PASS_SECONDS; the pages left are the next run's, the longest
    unchecked first, until none is due. The command still checks every page."""
    _allow_loopback(app)
    app.config["PORTAL_CHECK_PASS_SECONDS"] = 1
    for slug in ("water", "power", "gas"):
        _agency(make_agency, page_server, path=f"/{slug}", slug=slug)
        page_server.pages[f"/{slug}"] = Page(page().html, delay=1.2)
    passes = [check_portals(due_only=True) for _ in range(4)]
    assert [(len(p.results), p.left) for p in passes] == [(1, 2), (1, 1), (1, 0), (0, 0)]
    assert [p.results[0].agency for p in passes[:3]] == ["water", "power", "gas"]
    assert "2 left for the next run" in passes[0].line() and passes[0].as_dict()["left"] == 2
    assert len(check_portals().results) == 3  # the command: every page, whatever the time


def test_a_page_of_more_tags_than_any_portal_is_not_read(app, make_agency, page_server):
    """A review of hostile feeds, round 6: 14 MB of «<a x="» took 3.4 s and 1.6 GB to read. Past
    PAGE_MAX_TAGS the page is a failed check, said in Persian; the next good page is read."""
    from app.monitor.messages import localized
    from app.services.portal_checks import PAGE_MAX_TAGS

    _allow_loopback(app)
    _agency(make_agency, page_server)
    page_server.pages["/"] = Page("<html><body><main>" + '<a x="' * (PAGE_MAX_TAGS + 1))
    outcome = check_portals().results[0]
    assert (outcome.outcome, outcome.error_code) == ("failed", "page.overgrown")
    check = db.session.scalar(select(PortalCheck))
    with app.test_request_context():
        assert "برچسب دارد" in localized(check.last_error_detail)
    assert check.content_hash is None and check.consecutive_failures == 1
    page_server.pages["/"] = page()
    assert [r.outcome for r in check_portals().results] == ["baseline"]

