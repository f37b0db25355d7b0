"""A live server (waitress in a thread) and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def live_server(app):
    """Serve the test app on an ephemeral 127.0.0.1 port; yields the base URL."""
    with serving(app, threads=4) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not shutil.which("chromium") and not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page that records every request it makes."""
    context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran")
    page = context.new_page()
    page.requests_made = []
    page.on("request", lambda request: page.requests_made.append(request.url))
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()
