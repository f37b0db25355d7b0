"""A live server (waitress in a thread) and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import re
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


# The top menu groups its pages under Bootstrap dropdowns: a link inside a closed group is hidden
# until its toggle is clicked. Tests reach menu pages through these helpers, as a person would.
MENU_LINKS = "#main-nav > ul:first-child a"


def _label_pattern(label: str) -> re.Pattern:
    """The link's whole text is the label, optionally followed by its badge (digits, then a hidden
    «مورد تازه»): «پیشخوان» must not match «پیشخوان استان»."""
    return re.compile(rf"^\s*{re.escape(label)}(\s+[۰-۹0-9].*)?\s*$", re.DOTALL)


def menu_link(page, label: str | None = None, href: str | None = None):
    """The menu's link to a page, by its label or its href (visible or not)."""
    if href is not None:
        return page.locator(f"{MENU_LINKS}[href='{href}']")
    return page.locator(MENU_LINKS).filter(has_text=_label_pattern(label))


def open_menu_group_of(page, link) -> None:
    """Open the dropdown holding this menu link, if it is in a closed one."""
    if link.is_visible():
        return
    toggle = link.evaluate("a => a.closest('.dropdown').querySelector('[data-bs-toggle=dropdown]').id")
    page.click(f"#{toggle}")
    link.wait_for(state="visible")


def click_menu(page, label: str | None = None, href: str | None = None) -> None:
    """Click a menu entry as a person would: open its group first when it is in one."""
    link = menu_link(page, label, href)
    open_menu_group_of(page, link)
    link.click()


def menu_labels(page) -> list[str]:
    """Every page the menu offers, open or not (the text of each link, badges aside)."""
    return page.eval_on_selector_all(
        MENU_LINKS, "els => els.map(a => [...a.childNodes].filter(n => n.nodeType === 3)"
                    ".map(n => n.textContent).join('').trim())")


def account_text(page) -> str:
    """The account menu's text (name, role, agency), opening it."""
    page.click("#nav-account")
    page.locator("#account-menu .dropdown-menu").wait_for(state="visible")
    return page.inner_text("#account-menu")


def log_out(page) -> None:
    """«خروج», in the account menu."""
    page.click("#nav-account")
    page.click("#logout-form button[type=submit]")


def after_the_pages_timers(page, ms: int) -> None:
    """Wait ``ms`` on the page's own clock: every timer the page set before, due sooner, has run
    (the browser runs timers in the order they fall due). A wait on the test's clock raced them:
    on a loaded machine the page's timer had not run yet (the date picker's, one Tab in five with
    the CPU slowed fourfold)."""
    page.evaluate("ms => new Promise(done => setTimeout(done, ms))", ms)
