"""The feed form's «try» over a real local server: a CDN's browser check in place of the feed is said as one (hostile
feeds, round 19), with 403 («the server refuses this feed, perhaps the worker's address» before) and with 200
(«an HTML page in place of the feed» before)."""
from __future__ import annotations

import html

import pytest

from app.extensions import db
from app.services.feed_pipeline import poll_feeds
from models import Feed
from tests.conftest import csrf_token
from tests.monitor.feed_server import feed_server, feed_server_session  # noqa: F401 - fixtures
from tests.monitor.test_cdn_challenge import CLOUDFLARE, _raw


@pytest.fixture
def admin(make_user, login_as):
    login_as(user := make_user(role="admin"))
    return user


@pytest.mark.parametrize("status", ["403 Forbidden", "200 OK"])
def test_trying_a_feed_behind_a_browser_check_says_so(app, client, admin, feed_server, status):
    app.config["FEED_ALLOW_PRIVATE"] = "127.0.0.1/32"
    feed_server.raw["check"] = _raw(status, CLOUDFLARE, "Server: cloudflare")
    form = {"csrf_token": csrf_token(client, "/feeds/new"), "url": feed_server.url("/raw/check"), "title": "",
            "outlet": "", "agency": "", "poll_interval_minutes": "30", "encoding_override": "", "is_active": "y",
            "action": "try"}
    page = client.post("/feeds/new", data=form).get_data(as_text=True)
    assert "«بررسی مرورگر» Cloudflare" in page and "معاف کند" in page and "نشانی کارگزار" not in page


def test_a_feed_polled_behind_a_browser_check_says_so_on_its_page_in_persian_and_english(app, client, admin, feed_server):
    """The worker's poll stores the failure; the feed's page says it in the reader's language."""
    app.config.update(FEED_ALLOW_PRIVATE="127.0.0.1/32", FEED_TOTAL_TIMEOUT=10)
    feed_server.raw["check"] = _raw("403 Forbidden", CLOUDFLARE, "Server: cloudflare", "cf-mitigated: challenge")
    feed = Feed(url=feed_server.url("/raw/check"), title="خوراک پشت سپر")
    db.session.add(feed)
    db.session.commit()
    assert poll_feeds(app.config, feed_id=feed.id).failed == 1
    assert "«بررسی مرورگر» Cloudflare" in client.get(f"/feeds/{feed.id}").get_data(as_text=True)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/")})
    page = html.unescape(client.get(f"/feeds/{feed.id}").get_data(as_text=True))
    assert "Cloudflare's “checking your browser” page" in page and "بررسی مرورگر" not in page
