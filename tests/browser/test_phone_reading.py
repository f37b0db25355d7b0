"""Pages read on a phone (375 px) and in English (session 43's walk): the agency ranking, a search
result's link, a Latin rule's words, a refused form's focus, a case's timeline."""
from __future__ import annotations

import pytest

from tests.browser.test_case_flow import log_in
from tests.browser.test_phone_pages import _SHOWN, PHONE
from tests.services import case_fixtures

desk = case_fixtures.desk  # the shared fixture, by name

pytestmark = pytest.mark.browser


def test_the_agency_ranking_reads_on_a_phone_each_agency_a_card_with_every_clause_in_sight(page, live_server, make_agency, make_user):
    """At 375 px the ranking was a 17-column table in a sideways-scrolling box: clauses 1 to 6 in
    sight, 7 to 14 past the edge with nothing to say they were there, and an agency's name broken
    into four lines of one word. Each agency is now a card: its rank, name and score on a line, then
    every clause's badge under its number."""
    for n in range(3):
        make_agency(slug=f"agency-{n}", name_fa=f"اداره‌کل راه و شهرسازی و حمل‌ونقل جاده‌ای استان {n}")
    page.set_viewport_size(PHONE)
    log_in(page, live_server, make_user("supervisor"))
    page.goto(f"{live_server}/scorecard/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    card = page.locator("#scorecard-ranking tbody tr").first
    boxes = card.locator("td.scorecard-clause").evaluate_all(
        f"tds => tds.map(td => ({{...({_SHOWN})(td), number: getComputedStyle(td, '::before').content}}))")
    assert len(boxes) == 14
    for box in boxes:
        assert box["shownLeft"] <= box["left"] and box["right"] <= box["shownRight"], box  # nothing past an edge
    assert [box["number"] for box in boxes][::13] == ['"۱"', '"۱۴"']  # each badge under its clause's number
    name = card.locator("td.scorecard-name")
    assert name.evaluate("td => td.getBoundingClientRect().width") > PHONE["width"] / 2  # a name on a line or two
    score = card.locator("td.scorecard-score")
    assert score.evaluate("td => getComputedStyle(td, '::before').content") == '"امتیاز: "'
    # At a desktop's width the clauses head their columns, each number an <abbr> holding the
    # clause's title: its dotted underline put a dot under each Persian digit, «۱۱» read «۱۰۱۰».
    page.set_viewport_size({"width": 1280, "height": 800})
    heads = page.locator("#scorecard-ranking thead abbr").evaluate_all(
        "els => els.map(e => [e.innerText, getComputedStyle(e).textDecorationLine, e.title])")
    assert len(heads) == 14 and all(line == "none" and title for _, line, title in heads), heads
    assert page.console_errors == []


@pytest.mark.parametrize("locale", ["fa", "en"])
def test_a_search_results_link_to_the_outlets_site_is_kept_whole_on_a_phone(page, live_server, make_agency, make_user, locale):
    """At 375 px a result's «Text on the outlet's site» broke after «Text on», the rest at the
    start of the next line, where it read as part of the snippet (session 43's walk); on a Persian
    page the link was laid out left to right. The link is one piece, in the page's direction."""
    from app.services.indexing import drain
    from tests.search_index.item_factory import ItemFactory

    factory = ItemFactory()
    names = ("ایرنا", "همدان پیام", "خبرگزاری نمونهٔ استان", "هفته‌نامهٔ نمونهٔ استان", "خبرگزاری جمهوری اسلامی",
             "روزنامهٔ سراسری نمونه")  # outlets of several lengths: the link comes at several places of the line
    for n, name in enumerate(names):
        factory.make(f"مسابقات شنای آب‌های آزاد در محلهٔ {n} برگزار شد", "بهداشت کوی گلستان از نوبت تازهٔ واکسیناسیون خبر داد",
                     outlet=factory.outlet(name))
    drain()
    page.set_viewport_size(PHONE)
    log_in(page, live_server, make_user("staff", make_agency()))
    if locale == "en":
        page.click("form[action*='/language/en'] button")
        page.wait_for_load_state()
    page.goto(f"{live_server}/search/?q=شنا")
    links = page.locator("main .search-result a[target=_blank]").evaluate_all(
        f"links => links.map(a => ({{...({_SHOWN})(a), text: a.innerText, lines: a.getClientRects().length, "
        "direction: getComputedStyle(a).direction}))")
    assert len(links) == len(names)
    for link in links:
        assert link["lines"] == 1, link  # on one line
        assert link["shownLeft"] <= link["left"] and link["right"] <= link["shownRight"], link
        assert link["direction"] == ("rtl" if locale == "fa" else "ltr"), link
    assert page.console_errors == []


# Where each character of an element's text is drawn: [char, left] in the order they are stored.
_DRAWN = """e => { const t = e.firstChild, out = [];
  for (let i = 0; i < t.length; i++) { const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + 1);
    out.push([t.nodeValue[i], r.getBoundingClientRect().left]); } return out; }"""


def test_a_latin_rules_and_saved_searchs_words_read_left_to_right_on_an_english_page(page, live_server, make_agency, make_user):
    """A rule's words are laid out right to left (session 41: «"IRNA" یا ایرنا -تهران»), a Latin
    query too: «-leak water» read «leak water-» and «"power cut" -test» read «power cut" -test"» on
    an English page (session 43's walk). A query with no Persian letter reads left to right; a
    Persian one still right to left. One of numbers alone too: «1404 -1403» read «1403- 1404»
    (session 43's review)."""
    from app.extensions import db
    from app.services.alerts import create_saved_search
    from models import RoutingRule

    water = make_agency(slug="water")
    db.session.add_all([RoutingRule(agency_id=water.id, name="Leaks", query="-leak water", scopes=[], outlet_ids=[]),
                        RoutingRule(agency_id=water.id, name="برق", query='"IRNA" یا ایرنا -تهران', scopes=[], outlet_ids=[]),
                        RoutingRule(agency_id=water.id, name="Years", query="1404 -1403", scopes=[], outlet_ids=[])])
    db.session.commit()
    manager = make_user("manager", water)
    create_saved_search(manager, "Power", '"power cut" -test')
    log_in(page, live_server, manager)
    page.click("form[action*='/language/en'] button")
    page.wait_for_load_state()
    for path, selector, query in (("/rules/", "code.rule-query bdi", "-leak water"), ("/rules/", "code.rule-query bdi", "1404 -1403"),
                                  ("/alerts/saved", "bdi.saved-query", '"power cut" -test')):
        if not page.url.endswith(path):
            page.goto(f"{live_server}{path}")
        drawn = page.locator(selector, has_text=query).evaluate(_DRAWN)
        lefts = [left for char, left in drawn if char != " "]
        assert lefts == sorted(lefts), (path, [char for char, _ in sorted(drawn, key=lambda c: c[1])])  # in order, left to right
        if path == "/rules/":
            assert page.locator(selector, has_text="ایرنا").evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.console_errors == []


def test_a_refused_form_puts_the_focus_on_the_first_field_to_correct(page, live_server, make_agency, make_user):
    """A rule, a saved search or a conference sent with a field missing came back with its errors
    and the focus on <body>: a keyboard user was at the top of the page, the error below out of
    hearing (session 43's walk). The contact form focused its journalist field whatever the error.
    The first field marked wrong has the focus."""
    from app.extensions import db
    from models import Journalist

    db.session.add(Journalist(name="مریم احمدی"))
    db.session.commit()
    page.set_viewport_size(PHONE)
    log_in(page, live_server, make_user("manager", make_agency()))
    page.goto(f"{live_server}/rules/new")  # a saved search's and a conference's forms are the same case
    page.click("main form button[value=save]")
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "name"
    assert "is-invalid" in page.get_attribute("#name", "class")
    page.goto(f"{live_server}/contacts/new")
    page.select_option("#journalist", index=1)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "topic"
    # A date field first marked wrong was only scrolled to, the focus left on <body> (the focus
    # opened its calendar over the error: session 43's note). It has the focus, the calendar
    # closed; a tap on the field opens it.
    page.context.clear_cookies()  # logged out
    log_in(page, live_server, make_user("admin"))
    page.goto(f"{live_server}/admin/calendar/deadline?start=" + "۱۴۰۵/۱۳/۴۰&days=5")
    assert page.evaluate("document.activeElement.id") == "start" and "is-invalid" in page.get_attribute("#start", "class")
    page.wait_for_timeout(400)  # the picker's own 300 ms of showing
    assert not page.locator("jdp-container").is_visible()
    page.click("#start")
    page.locator("jdp-container").wait_for(state="visible")
    assert [e for e in page.console_errors if "status of 400" not in e] == []  # a refused form is a 400


def test_a_cases_timeline_keeps_each_events_date_and_time_together_on_a_phone(page, live_server, desk):
    """At 375 px a timeline entry's «کارشناس روابط عمومی آب و فاضلاب، ۱۶ آذر ۱۴۰۵، ۱۳:۴۵» broke
    inside the date or between the date and its time, «۱۳:۴۵» alone on the next line (session 43's
    walk). The date and time are one piece."""
    from app.extensions import db

    for user in (desk.admin, desk.manager):  # the ones who open, accept and assign it
        user.display_name = "کارشناس روابط عمومی آب و فاضلاب"
    db.session.commit()
    case = desk.open("assigned")
    page.set_viewport_size(PHONE)
    log_in(page, live_server, desk.staff)
    page.goto(f"{live_server}/cases/{case.ref}")
    lines = page.locator("main .case-event time").evaluate_all(  # the lines it is drawn on (a rect per bidi run)
        "els => els.map(e => [e.innerText, new Set([...e.getClientRects()].map(r => Math.round(r.top))).size])")
    assert lines and all(count == 1 for _, count in lines), lines
    # A refused note (no text) was said at the top, the focus on <body> (session 43's note): the
    # note's field has it, and its message is what describes it.
    page.click("#notes button[type=submit]")
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "note-text"
    assert page.evaluate("document.getElementById(document.activeElement.getAttribute('aria-describedby')).innerText") \
        == "متن یادداشت را بنویسید."
    # The note typed there, sent with a stale token (a login again in another tab): the way back
    # went to the refused page's address, the note's POST («روش درخواست نادرست», the note lost);
    # it is the case's page, with the note in its field (a review of session 44's restore)
    page.fill("#note-text", "یادداشت پس از رد")
    page.evaluate("document.querySelectorAll('main form input[name=csrf_token]').forEach(i => i.value = 'stale')")
    page.click("#notes button[type=submit]")
    page.click("main a#back-to-form")
    page.wait_for_url(f"{live_server}/cases/{case.ref}")
    assert page.input_value("#note-text") == "یادداشت پس از رد"


def test_the_first_tab_offers_a_skip_past_the_menu_to_the_page(page, live_server, make_agency, make_user):
    """A keyboard user went through the brand, eight menu groups, the account menu and «English» (eleven
    Tabs) before the page's first field, on every page (session 43's walk). The first Tab shows
    «پرش به محتوای صفحه»; Enter on it takes the focus to the page itself."""
    log_in(page, live_server, make_user("manager", make_agency()))
    page.goto(f"{live_server}/contacts/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "پرش به محتوای صفحه" and skip.is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')"), page.evaluate("document.activeElement.outerHTML")


# Each separator's middle dot and the character stored before it: [dot's top, previous one's top].
_DOTS = """els => els.flatMap(el => { const chars = [], walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); let n;
  while ((n = walk.nextNode())) for (let i = 0; i < n.nodeValue.length; i++) if (n.nodeValue[i].trim()) chars.push([n, i]);
  const top = ([t, i]) => { const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + 1); return Math.round(r.getBoundingClientRect().top); };
  return chars.flatMap(([t, i], k) => k && t.nodeValue[i] === '·' ? [[top(chars[k]), top(chars[k - 1]), el.innerText]] : []); })"""


def test_an_english_lines_middle_dot_never_begins_a_line_on_a_phone(page, live_server, make_agency, make_user):
    """At 375 px an English contact's line «رضا حسینی · هفته‌نامهٔ … · logged by کارشناس … · Edit»
    broke before a « · », the dot alone at the start of the next line with «Edit» (session 43's
    review): the space before the dot was a place to break. The dot stays with the part before it."""
    from datetime import timedelta

    from app.clock import utcnow
    from app.extensions import db
    from models import Contact, Journalist, Outlet

    water = make_agency(slug="water")
    manager = make_user("manager", water)
    manager.display_name = "کارشناس روابط عمومی آب و فاضلاب"
    words = ("رضا", "حسینی", "هفته‌نامهٔ", "ندای", "شهرستان", "خبرگزاری", "نمونهٔ", "استان", "پایگاه", "خبری", "جاده")
    for n in range(12):  # names of every length: the line breaks at every place
        journalist, outlet = Journalist(name=" ".join(words[:2 + n % 5])), Outlet(name=" ".join(words[2:3 + n % 8]) + f" {n}", scope="local")
        db.session.add_all([journalist, outlet])
        db.session.flush()
        db.session.add(Contact(agency_id=water.id, journalist_id=journalist.id, outlet_id=outlet.id, topic="کم‌آبی",
                               happened_at=utcnow() - timedelta(hours=n + 1), logged_by_id=manager.id))
    db.session.commit()
    page.set_viewport_size(PHONE)
    log_in(page, live_server, manager)
    page.click("form[action*='/language/en'] button")
    page.wait_for_load_state()
    page.goto(f"{live_server}/contacts/")
    dots = page.locator("main .contact-row .small.text-secondary").evaluate_all(_DOTS)
    assert len(dots) >= 36
    assert [line for dot, before, line in dots if dot > before] == []  # no dot on a line below the word before it
