"""The routing-rule pages: writing a rule with its tester, refusals with the position, versions,
read-only views for staff, isolation between agencies, and the backfill request."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services.routing import create_rule, update_rule
from app.services.rule_tester import run_backfills
from models import ItemRoute, RoutingRule, RuleBackfill
from tests.conftest import csrf_token
from tests.search_index.item_factory import ItemFactory


@pytest.fixture
def water(make_agency):
    return make_agency(slug="water", name_fa="شرکت آب و فاضلاب")


@pytest.fixture
def manager(make_user, water):
    return make_user(role="manager", agency=water, username="water-manager")


def _form(client, path, **fields):
    data = {"csrf_token": csrf_token(client, path), "name": "", "query": "", "last": "200", "is_active": "y",
            **fields}
    return client.post(path, data=data)


def test_manager_tests_then_saves_a_rule(client, login_as, manager, water):
    items = ItemFactory()
    items.make("قطعی آب شرب در سه روستا", "اهالی گلايه دارند")
    items.make("افتتاح نمایشگاه کتاب", "فرهنگ")
    login_as(manager)
    page = _form(client, "/rules/new", name="قطعی آب", query="«قطعی آب» -برق", action="test")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "نتیجهٔ آزمون: ۱ خبر از ۲ خبر آخر" in html
    assert "<mark>قطعی آب</mark>" in html and "نمایشگاه" not in html
    assert db.session.scalar(select(func.count(RoutingRule.id))) == 0  # testing saves nothing
    saved = _form(client, "/rules/new", name="قطعی آب", query="«قطعی آب» -برق", action="save")
    assert saved.status_code == 302
    rule = db.session.scalar(select(RoutingRule))
    assert rule.agency_id == water.id and rule.author_id == manager.id and rule.query == "«قطعی آب» -برق"
    detail = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "افزودن قاعدهٔ ارجاع" in detail and "نسخهٔ ۱" in detail
    assert "قطعی آب" in client.get("/rules/").get_data(as_text=True)


def test_an_or_between_two_runs_of_words_is_said_when_testing_and_saving(client, login_as, manager, water):
    """«قطعی آب یا افت فشار» reads «قطعی» and «آب» or «افت» and «فشار»: the rule matched nothing,
    silently (a review of routing, round 7). It is saved as written, and the form says how «یا»
    reads; «قطعی آب یا برق» reads as meant and is said nothing."""
    ItemFactory().make("افت فشار آب در شهر", "گلایه اهالی")
    login_as(manager)
    says = "«یا» تنها دو واژهٔ کنار خود را گزینهٔ یکدیگر می‌کند"
    tested = _form(client, "/rules/new", name="فشار", query="قطعی آب یا افت فشار", action="test")
    assert tested.status_code == 200 and says in tested.get_data(as_text=True)
    saved = _form(client, "/rules/new", name="فشار", query="قطعی آب یا افت فشار", action="save")
    assert saved.status_code == 302 and says in client.get(saved.headers["Location"]).get_data(as_text=True)
    tested = _form(client, "/rules/new", name="قطعی", query="قطعی آب یا برق", action="test")
    assert tested.status_code == 200 and says not in tested.get_data(as_text=True)


def test_broken_rule_is_refused_with_position_and_kept_as_typed(client, login_as, manager):
    login_as(manager)
    page = _form(client, "/rules/new", name="ناقص", query='آب "قطعی', action="save")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "گیومه‌ای که در نویسهٔ ۴ آمده جفت ندارد" in html
    assert "آب &#34;قطعی" in html or "آب &quot;قطعی" in html  # what was typed stays in the box
    assert db.session.scalar(select(func.count(RoutingRule.id))) == 0
    empty = _form(client, "/rules/new", name="خالی", query="", action="save")
    assert empty.status_code == 400 and "قاعده خالی است" in empty.get_data(as_text=True)


def test_editing_makes_versions_shown_in_the_history(client, login_as, manager, water):
    rule = create_rule(water, "چاه", "چاه", actor_label="test")
    login_as(manager)
    path = f"/rules/{rule.id}"
    assert _form(client, path, name="چاه", query="چاه یا قنات", action="save").status_code == 302
    html = client.get(path).get_data(as_text=True)
    db.session.refresh(rule)
    assert rule.version == 2
    assert "نسخهٔ ۲" in html and "ویرایش قاعدهٔ ارجاع" in html
    assert "چاه یا قنات" in html and "پیش از این:" in html


def test_staff_read_and_test_rules_but_do_not_save(client, login_as, make_user, water):
    rule = create_rule(water, "چاه", "چاه", actor_label="test")
    staff = make_user(role="staff", agency=water)
    login_as(staff)
    assert client.get("/rules/new").status_code == 403
    page = client.get(f"/rules/{rule.id}").get_data(as_text=True)
    assert "فقط می‌بینید و می‌آزمایید" in page and 'value="save"' not in page
    assert _form(client, f"/rules/{rule.id}", name="چاه", query="قنات", action="test").status_code == 200
    assert _form(client, f"/rules/{rule.id}", name="چاه", query="قنات", action="save").status_code == 403
    db.session.refresh(rule)
    assert rule.query == "چاه" and rule.version == 1


def test_another_agencys_rules_are_invisible(client, login_as, manager, make_agency):
    power = make_agency(slug="power", name_fa="شرکت توزیع برق")
    rule = create_rule(power, "خاموشی برق", "خاموشی", actor_label="test")
    login_as(manager)
    assert client.get(f"/rules/{rule.id}").status_code == 404
    assert _form(client, f"/rules/{rule.id}", name="x", query="y", action="save").status_code == 404
    assert "خاموشی برق" not in client.get("/rules/").get_data(as_text=True)


def test_supervisor_picks_the_agency_of_a_new_rule(client, login_as, make_user, water, make_agency):
    power = make_agency(slug="power", name_fa="شرکت توزیع برق")
    login_as(make_user(role="supervisor"))
    response = _form(client, "/rules/new", agency=str(power.id), name="خاموشی", query="خاموشی", action="save")
    assert response.status_code == 302
    assert db.session.scalar(select(RoutingRule.agency_id)) == power.id


def test_backfill_from_the_rule_page(client, login_as, manager, water):
    ItemFactory().make("قطعی آب شرب", "")
    rule = create_rule(water, "قطعی آب", "قطعی آب", actor_label="test")
    login_as(manager)
    token = csrf_token(client, f"/rules/{rule.id}")
    response = client.post(f"/rules/{rule.id}/backfill", data={"csrf_token": token, "days": "all"})
    assert response.status_code == 302
    assert "در نوبت است" in client.get(f"/rules/{rule.id}").get_data(as_text=True)
    run_backfills()
    page = client.get(f"/rules/{rule.id}").get_data(as_text=True)
    assert "پایان یافت؛ ۱ خبر بررسی و ۱ خبر تازه ارجاع شد" in page and "دوباره شمرده نمی‌شود" in page
    assert db.session.scalar(select(func.count(ItemRoute.id))) == 1
    bad = client.post(f"/rules/{rule.id}/backfill", data={"csrf_token": token, "days": "12"})
    assert bad.status_code == 302 and db.session.scalar(select(func.count(RuleBackfill.id))) == 1


def test_inactive_rule_routes_nothing(client, login_as, manager, water):
    from app.services.routing import route_items

    rule = create_rule(water, "قطعی آب", "قطعی آب", actor_label="test")
    update_rule(rule, name=rule.name, query=rule.query, is_active=False, actor_label="test")
    item = ItemFactory().make("قطعی آب شرب در سه روستا", "")
    assert route_items(db.session, [item]) == 0
    login_as(manager)
    assert "غیرفعال" in client.get("/rules/").get_data(as_text=True)


def test_refusal_and_search_warning_in_the_english_interface(client, login_as, manager, water):
    login_as(manager)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/")})
    page = _form(client, "/rules/new", name="x", query='آب "قطعی', action="save").get_data(as_text=True)
    assert "The quotation mark at character 4 has no partner." in page
    from app.services.indexing import drain

    ItemFactory().make("قطعی آب", "")
    drain()
    search = client.get("/search/", query_string={"q": 'آب "قطعی'}).get_data(as_text=True)
    assert "The quotation marks did not pair up" in search


def test_a_title_rule_that_reads_the_lead_is_tested_and_saved_from_the_form(client, login_as, manager, water):
    """«و در آغاز متن خبر (لید)» beside «فقط در عنوان خبر»: the tester and the saved rule read the
    title and the text's first characters; the rules list says «عنوان و لید»."""
    items = ItemFactory()
    items.make("سفر هیئت دولت", "استاندار در نشست خبری از سفر هیئت دولت گفت.")
    items.make("سفر هیئت دولت", "سفر هیئت دولت هفته آینده است. " * 8 + "استاندار هم آمد.")
    login_as(manager)
    title_only = _form(client, "/rules/new", name="استاندار", query="استاندار", title_only="y", action="test")
    assert "نتیجهٔ آزمون: ۰ خبر از ۲ خبر آخر" in title_only.get_data(as_text=True)
    with_lead = _form(client, "/rules/new", name="استاندار", query="استاندار", title_only="y", lead="y",
                      action="test")
    assert "نتیجهٔ آزمون: ۱ خبر از ۲ خبر آخر" in with_lead.get_data(as_text=True)
    saved = _form(client, "/rules/new", name="استاندار", query="استاندار", title_only="y", lead="y", action="save")
    assert saved.status_code == 302
    rule = db.session.scalar(select(RoutingRule))
    assert (rule.is_title_only, rule.reads_lead) == (True, True)
    assert "عنوان و لید" in client.get("/rules/").get_data(as_text=True)
    # a version that changes where the rule reads says so in the history (it showed nothing changed)
    assert _form(client, f"/rules/{rule.id}", name="استاندار", query="استاندار", title_only="y",
                 action="save").status_code == 302
    assert "خواندن: عنوان و لید ← فقط عنوان" in client.get(f"/rules/{rule.id}").get_data(as_text=True)
    alone = _form(client, f"/rules/{rule.id}", name="استاندار", query="استاندار", lead="y", action="save")
    assert alone.status_code == 400 and "«فقط در عنوان خبر» است" in alone.get_data(as_text=True)  # not ignored unsaid
    _form(client, f"/rules/{rule.id}", name="استاندار", query="استاندار", title_only="y", lead="y", action="save")
    edit = client.get(f"/rules/{rule.id}").get_data(as_text=True)
    assert re.search(r'<input[^>]*\bchecked\b[^>]*name="lead"|<input[^>]*name="lead"[^>]*\bchecked\b', edit)


def test_the_tester_says_a_foreign_title_is_not_routed(client, login_as, manager, water):
    """A title-only rule's match on a title about another country routes nothing (app/rules/places.py):
    the tester lists it with the place, so the rule's writer is not left wondering."""
    items = ItemFactory()
    items.make("قطعی آب در بیروت ادامه دارد", "")
    items.make("قطعی آب در سه روستای استان", "")
    login_as(manager)
    html = _form(client, "/rules/new", name="قطعی", query="قطعی", title_only="y", action="test").get_data(as_text=True)
    assert "نتیجهٔ آزمون: ۲ خبر از ۲ خبر آخر" in html
    assert html.count("خبر کشور دیگر («بیروت»): ارجاع نمی‌شود") == 1


def test_words_are_tried_before_the_rule_has_a_name(client, login_as, manager, water):
    """Session 41's walk: «آزمودن (بدون ذخیره)» on a new rule with its words and no name yet was
    refused «نام قاعده را بنویسید.» and showed no matches; the name is asked for when saving."""
    ItemFactory().make("تانکرهای آب به روستا رسید", "آب شرب")
    login_as(manager)
    page = _form(client, "/rules/new", query="تانکر", action="test")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "نتیجهٔ آزمون: ۱ خبر از ۱ خبر آخر" in html and "نام قاعده را بنویسید." not in html
    saved = _form(client, "/rules/new", query="تانکر", action="save")
    assert saved.status_code == 400 and "نام قاعده را بنویسید." in saved.get_data(as_text=True)
    assert db.session.scalar(select(func.count(RoutingRule.id))) == 0


def test_a_rules_words_read_right_to_left_whatever_their_first_letter(client, login_as, manager, water):
    """The list and the history showed a query in <code dir="auto">, whose <bdi> took the direction
    of its first letter: «title:تانکر یا برق -آب» (or one beginning with «"IRNA"») was laid out left
    to right, its «-» and «یا» read in the wrong order by a Persian reader (session 41's walk)."""
    query = "title:تانکر یا برق -آب"
    rule = create_rule(water, "تانکر", query, actor_label="test")
    login_as(manager)
    shown = f'<code class="rule-query"><bdi dir="rtl">{query}</bdi>'
    assert shown in client.get("/rules/").get_data(as_text=True)
    assert shown in client.get(f"/rules/{rule.id}").get_data(as_text=True)
