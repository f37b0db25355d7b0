"""Per-user rate limits on the costly pages: searches, exports, the rule tester; a Persian 429
page (JSON when asked for JSON) that says when to come back."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from models import RoutingRule
from tests.conftest import csrf_token, login


def _search(client, q="آب", **headers):
    return client.get("/search/", query_string={"q": q}, headers=headers)


def test_searches_past_the_limit_wait_for_the_next_minute(app, client, make_user, clock):
    app.config["RATE_SEARCHES_PER_MINUTE"] = 2
    login(client, make_user(role="staff"))
    assert [_search(client).status_code for _ in range(3)] == [200, 200, 429]
    clock.advance(seconds=20)
    refused = _search(client)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "40"
    assert "شمار درخواست‌های «جست‌وجو» از سقف مجاز گذشت" in html and "۴۰ ثانیه دیگر" in html
    assert '<html lang="fa" dir="rtl">' in html
    clock.advance(seconds=40)
    assert _search(client).status_code == 200


def test_the_limit_is_per_user(app, make_user, clock):
    app.config["RATE_SEARCHES_PER_MINUTE"] = 1
    first, second = app.test_client(), app.test_client()
    login(first, make_user(role="viewer"))
    login(second, make_user(role="viewer"))
    assert [_search(first).status_code for _ in range(2)] == [200, 429]
    assert _search(second).status_code == 200


def test_the_empty_search_page_is_not_counted(app, client, make_user, clock):
    app.config["RATE_SEARCHES_PER_MINUTE"] = 1
    login(client, make_user(role="viewer"))
    for _ in range(3):
        assert client.get("/search/").status_code == 200
    assert _search(client).status_code == 200


def test_json_clients_get_json(app, client, make_user, clock):
    app.config["RATE_SEARCHES_PER_MINUTE"] = 1
    login(client, make_user(role="viewer"))
    _search(client)
    refused = _search(client, Accept="application/json")
    assert refused.status_code == 429 and refused.is_json
    assert refused.json["error"]["retry_after"] == 60 and refused.json["error"]["status"] == 429


def test_exports_are_limited_per_hour(app, client, make_user, clock):
    app.config.update(RATE_EXPORTS_PER_HOUR=2, SESSION_IDLE_MINUTES=120)  # an hour passes below
    login(client, make_user(role="staff"))
    token = csrf_token(client, "/search/?q=آب")
    statuses = [client.post("/search/export", data={"csrf_token": token, "format": "csv", "q": "آب"}).status_code
                for _ in range(3)]
    assert statuses == [302, 302, 429]  # (no item matches: back to the page with a message)
    clock.advance(minutes=59)
    assert client.post("/search/export", data={"csrf_token": token, "format": "csv", "q": "آب"}).status_code == 429
    clock.advance(minutes=1)
    again = client.post("/search/export", data={"csrf_token": token, "format": "csv", "q": "آب"})
    assert again.status_code == 302 and "/search/" in again.headers["Location"]


def test_reports_have_their_own_allowance_and_say_so(app, client, make_user, clock):
    """A newcomer's walk: reports counted against the search exports' 20 an hour, and the refusal
    named «خروجی گرفتن از جست‌وجو». They have their own allowance, named as theirs, and leave the
    search exports' alone."""
    app.config.update(RATE_REPORTS_PER_HOUR=2, RATE_EXPORTS_PER_HOUR=1)
    login(client, make_user(role="staff"))
    token = csrf_token(client, "/reports/")
    statuses = [client.post("/reports/", data={"csrf_token": token, "kind": "bogus"}).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]  # refused as no such report twice, then the allowance is spent
    refused = client.post("/reports/", data={"csrf_token": token, "kind": "bogus"}).get_data(as_text=True)
    assert "گرفتن گزارش" in refused and "جست‌وجو" not in refused.split("<main")[-1].split("</main>")[0]
    search_token = csrf_token(client, "/search/?q=آب")
    assert client.post("/search/export", data={"csrf_token": search_token, "format": "csv", "q": "آب"}).status_code == 302


def test_rule_tests_are_limited_but_saving_is_not(app, client, make_user, make_agency, clock):
    app.config["RATE_RULE_TESTS_PER_MINUTE"] = 2
    water = make_agency(slug="water")
    login(client, make_user(role="manager", agency=water))
    token = csrf_token(client, "/rules/new")

    def post(action, name="قطعی آب"):
        return client.post("/rules/new", data={"csrf_token": token, "name": name, "query": "قطعی آب",
                                               "last": "200", "is_active": "y", "action": action})

    assert [post("test").status_code for _ in range(3)] == [200, 200, 429]
    assert "آزمودن قاعده" in post("test").get_data(as_text=True)
    assert post("save").status_code == 302
    assert db.session.scalar(select(func.count(RoutingRule.id))) == 1
    assert client.get("/rules/new").status_code == 200  # reading the form is not a test


def test_zero_means_no_limit(app, client, make_user, clock):
    app.config["RATE_SEARCHES_PER_MINUTE"] = 0
    login(client, make_user(role="viewer"))
    assert {_search(client).status_code for _ in range(40)} == {200}
