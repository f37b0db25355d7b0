"""The learning page (the administrator's) and the inbox's suggestions and model reasons (issue 15)."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.services.learning_training import register_starter_model, training_requested
from models import AuditEntry, ClassifierModel, ItemRoute, RouteSuggestion
from tests.conftest import csrf_token, login
from tests.search_index.item_factory import ItemFactory


def test_the_admin_sees_versions_switches_and_drift(app, client, make_agency, make_user):
    water = make_agency(slug="water", name_fa="آب و فاضلاب")
    register_starter_model()
    login(client, make_user(role="admin"))
    html = client.get("/learning/").get_data(as_text=True)
    assert "نسخه‌های مدل" in html and 'id="version-1"' in html
    assert "فعال" in html and "مدل آغازین (همراه سامانه)" in html
    # who trained it: «starter» was shown as typed (a walk through the pages), then as «همراه سامانه»
    # under «مدل آغازین (همراه سامانه)»: said twice in one cell. The source says it, once.
    row = re.search(r'<tr id="version-1">.*?</tr>', html, re.DOTALL).group(0)
    assert row.count("همراه سامانه") == 1 and "starter" not in row, row
    assert 'id="learning-water"' in html and "خاموش کردن یادگیری" in html
    assert 'id="drift"' in html and "۰٪" in html  # the weeks' shares in Persian digits
    # Each table scrolls in its own box on a phone, as the scorecard's grids (session 41's walk: the
    # switches and the weeks had none: a long agency name or a large count widened the page).
    tables = re.findall(r'(<div class="table-responsive">\s*)?<table[^>]*id="([\w-]+)"', html)
    assert [name for box, name in tables if not box] == [] and len(tables) == 3
    assert "/learning/" in client.get("/").get_data(as_text=True)  # the menu links it

    token = csrf_token(client, "/learning/")
    response = client.post("/learning/switch", data={"csrf_token": token, "agency_id": water.id, "state": "off"})
    assert response.status_code == 302
    html = client.get("/learning/").get_data(as_text=True)
    assert "یادگیری برای آب و فاضلاب خاموش شد" in html and "روشن کردن یادگیری" in html
    db.session.expire_all()
    assert not water.learning_enabled
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "agency.learning_changed"))

    # «F1 ۸۷٪» read «۸۷٪ F1» in the right-to-left line: each figure is isolated (session 42's walk)
    shown = {"routing": {"precision": .91, "recall": .84, "f1": .87}, "question": {"precision": .8, "recall": .7, "f1": .75},
             "labels": 1200, "examples": 900}
    db.session.add(ClassifierModel(source="desk", status="candidate", trained_by="worker", label_counts={}, figures=shown,
                                   payload=b""))
    db.session.commit()
    assert "F1 <bdi>۸۷٪</bdi>" in client.get("/learning/").get_data(as_text=True)
    response = client.post("/learning/train", data={"csrf_token": token})
    assert response.status_code == 302
    assert training_requested()["by"]
    assert 'id="training-requested"' in client.get("/learning/").get_data(as_text=True)


def test_others_get_403(app, make_user):
    for role in ("supervisor", "manager", "staff", "viewer"):
        client = app.test_client()
        login(client, make_user(role=role))
        assert client.get("/learning/").status_code == 403, role
        token = csrf_token(client, "/")
        assert client.post("/learning/train", data={"csrf_token": token}).status_code == 403, role
        assert "/learning/" not in client.get("/").get_data(as_text=True), role
    assert training_requested() is None


def test_inbox_shows_suggestions_and_model_reasons(app, client, make_agency, make_user):
    water = make_agency(slug="water", name_fa="آب و فاضلاب")
    staff = make_user(role="staff", agency=water)
    routed = ItemFactory().make("مردم کوی بهاران با سطل آب می‌برند", "آب قطع است.")
    suggested = ItemFactory().make("مخزن آب و گرمای تابستان", "مصرف آب بالا رفت.")
    db.session.add(ItemRoute(item_id=routed.id, agency_id=water.id, rule_ids=[], matched=[], status="new",
                             is_question=True, model_id=None, model_probability=0.91, model_words=["سطل", "مسجد"],
                             question_reasons=[{"code": "model", "text": "پیشنهاد سامانه", "snippet": "مردم، سطل",
                                                "probability": 0.87}]))
    suggestion = RouteSuggestion(item_id=suggested.id, agency_id=water.id, probability=0.42, words=["مخزن", "مصرف"])
    db.session.add(suggestion)
    db.session.commit()
    login(client, staff)
    html = client.get("/inbox/").get_data(as_text=True)
    assert "پیشنهادهای سامانه" in html and "مخزن آب و گرمای تابستان" in html and "۴۲٪" in html
    assert "مصرف" in html
    assert "پیشنهاد سامانه" in html and "۹۱٪" in html and "۸۷٪" in html and "مردم، سطل" in html
    assert "ارجاع دستی از سازمان دیگر" not in html  # the model sent it, not a person
    page = client.get(f"/items/{routed.id}").get_data(as_text=True)
    assert "route-model-reason" in page and "۹۱٪" in page and "question-model-reason" in page

    token = csrf_token(client, "/inbox/")
    response = client.post("/inbox/suggestion", data={"csrf_token": token, "suggestion_id": suggestion.id,
                                                      "decision": "accept"})
    assert response.status_code == 302
    html = client.get("/inbox/").get_data(as_text=True)
    assert "پیشنهاد پذیرفته شد" in html and 'id="suggestions"' not in html
    response = client.post("/inbox/suggestion", data={"csrf_token": token, "suggestion_id": suggestion.id,
                                                      "decision": "dismiss"})
    assert "پیش‌تر پذیرفته شده است" in client.get("/inbox/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(RouteSuggestion, suggestion.id).status == "accepted"


def test_cues_against_a_question_are_shown_apart_from_those_for_it(app, client, make_agency, make_user):
    """«خبر یا گزارش یک مسئول» (weighed against the flag) stood in one list with «علامت پرسش»
    under the question's badge, as if it made the flag (a review of routing, session 28)."""
    water = make_agency(slug="water", name_fa="آب و فاضلاب")
    staff = make_user(role="staff", agency=water)
    item = ItemFactory().make("آیا مدارس استان فردا تعطیل است؟", "مدیرکل آموزش و پرورش اعلام کرد مدارس باز است.")
    db.session.add(ItemRoute(item_id=item.id, agency_id=water.id, rule_ids=[], matched=[], status="new",
                             is_question=True, question_reasons=[
                                 {"code": "question_mark", "text": "علامت پرسش", "snippet": "تعطیل است؟"},
                                 {"code": "announcement", "text": "خبر یا گزارش یک مسئول", "snippet": "اعلام کرد"}]))
    db.session.commit()
    login(client, staff)
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    against = page.index("به‌ضرر پرسش بودن")
    assert page.index("علامت پرسش") < against < page.index("خبر یا گزارش یک مسئول")
