"""A form sent from a tab whose session has ended: what was typed waits in the tab for the login."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.clock import utcnow
from app.extensions import db
from models import Holiday, Outlet, UserSession
from tests.browser.conftest import log_out
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

FORM = "/admin/calendar/holidays/new"


@pytest.mark.parametrize("ended", ["logged out in another tab", "idle"])
def test_a_form_sent_after_the_session_ended_is_given_back_after_the_login(page, live_server, make_user, ended):
    """The login said «آنچه فرستادید ذخیره نشد» and went home: the text typed was lost (session 44's
    note). After the login the tab is on the form again, with what was typed in it, and a word."""
    admin = make_user("admin")
    # What a screen reader hears: the changes inside a live region it already knows. The notice was
    # in the page from the start, hidden, with its words: unhiding it said nothing (session 44's note).
    # Watched from the end of the parsing (readyState «interactive»), before the deferred scripts
    # run: forms.js's 100 ms timer could fill the region before DOMContentLoaded, which waits for
    # app.js (app.js held back 0.4 s: the record was empty).
    page.add_init_script("""document.addEventListener('readystatechange', () => {
        const region = document.getElementById('form-restored');
        window.announced = [];
        new MutationObserver(changes => changes.forEach(c => c.type === 'childList' && !region.hidden &&
            region.matches('[role=status],[aria-live=polite]') && window.announced.push(region.textContent)))
          .observe(region, {childList: true, subtree: true, characterData: true});
    }, {once: true});""")
    page.goto(f"{live_server}/login")
    page.fill("#username", admin.username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}{FORM}")
    page.fill("#name", "روز نوشته‌شده پیش از پایان نشست")
    if ended == "idle":  # the session's last request long ago: the server ends it (the cookie's token stays)
        db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
    else:
        other = page.context.new_page()
        other.goto(f"{live_server}/")
        log_out(other)
        other.wait_for_url(f"{live_server}/login")
        other.close()
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/login**")
    page.fill("#username", admin.username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}{FORM}")
    assert page.input_value("#name") == "روز نوشته‌شده پیش از پایان نشست"
    page.wait_for_selector("#form-restored.alert")  # its words come once the page is shown
    assert "دوباره در آن گذاشته شد" in " ".join(page.evaluate("window.announced"))
    assert db.session.scalar(select(Holiday).where(Holiday.name.like("روز نوشته‌شده%"))) is None
    assert page.console_errors == []


def test_another_users_login_in_the_tab_does_not_get_the_text(page, live_server, make_user):
    """A shared computer: the tab's session ended and someone else logs in in it. They land where
    their login leads, and the first one's text is nowhere."""
    first, second = make_user("admin"), make_user("admin")
    page.goto(f"{live_server}/login")
    page.fill("#username", first.username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}{FORM}")
    page.fill("#name", "یادداشت کاربر نخست")
    page.context.clear_cookies()
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/login**")
    page.fill("#username", second.username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}{FORM}")
    assert page.input_value("#name") == "" and not page.locator("#form-restored").is_visible()
    assert page.evaluate("sessionStorage.getItem('hamzaban-sent-form')") is None


def test_a_form_of_a_page_shown_as_a_refused_posts_answer_comes_back_to_that_page(page, live_server, make_user,
                                                                                  make_agency):
    """A refused note shows the outlet's page again at the note's address, which takes POST only:
    the next note sent from it after the session ended went, after the login, to that address (a
    405 page) and what was typed was lost. The login goes back to the outlet's page, the note in it."""
    staff = make_user("staff", make_agency())
    outlet = Outlet(name="روزنامهٔ پس از یادداشت رد شده")
    db.session.add(outlet)
    db.session.commit()
    page.goto(f"{live_server}/login")
    page.fill("#username", staff.username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/directory/outlets/{outlet.id}")
    page.click("#notes form button[type=submit]")  # empty: refused, the page again at the POST's address
    page.wait_for_url(f"{live_server}/directory/outlets/{outlet.id}/notes")
    page.fill("#notes textarea", "یادداشتی پس از پایان نشست")
    page.context.clear_cookies()  # the session ended (logged out elsewhere, idle)
    page.click("#notes form button[type=submit]")
    page.wait_for_url(f"{live_server}/login**")
    page.fill("#username", staff.username)
    page.fill("#password", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/directory/outlets/{outlet.id}")
    assert page.input_value("#notes textarea") == "یادداشتی پس از پایان نشست"
    assert all("status of 400" in error for error in page.console_errors)  # the refused note's, only
