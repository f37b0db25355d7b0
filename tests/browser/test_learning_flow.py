"""Triage that learns (issue 15), in a real browser: staff mark a question the detector missed;
the administrator asks for a training on the learning page and the worker's job runs it (the new
version replaces the starter model only because the held-back slice shows it is at least as
good); a similar item that comes in afterwards is flagged as a public question with the reason
«پیشنهاد سامانه» and the words that weighed most, on its page."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.rules.detector import detect_public_question
from app.services.learning_training import learning_job
from app.services.routing import item_body
from models import ClassifierModel, ItemRoute, QuestionLabel
from tests.browser.conftest import log_out
from tests.conftest import TEST_PASSWORD
from tests.services.learning_fixtures import (
    build_desk_world,
    ingest_new_question,
    route_of,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(app, make_agency, make_user):
    app.config["LEARNING"] = True
    water = make_agency(slug="water", name_fa="آب و فاضلاب")
    staff = make_user(role="staff", agency=water, username="water-desk")
    world = build_desk_world(staff, water)
    return {"world": world, "staff": staff, "admin": make_user(role="admin", username="learning-admin")}


def _log_in(page, live_server, user) -> None:
    page.goto(f"{live_server}/login")
    page.fill("#username", user.username)
    page.fill("#password", TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/")


def test_a_marked_question_teaches_the_next_model(page, live_server, desk, app):
    world = desk["world"]
    missed = route_of(world.unmarked, world.agency.id)
    assert not missed.is_question  # the detector's cues did not catch it

    # Staff mark the missed question on its inbox row.
    _log_in(page, live_server, desk["staff"])
    page.goto(f"{live_server}/inbox/")
    row = page.locator(f"#route-{missed.id}")
    with page.expect_navigation():
        row.get_by_role("button", name="پرسش مردمی است").click()
    assert "پرسش یا گلایهٔ مردمی نشان خورد" in page.locator("main .alert-success").inner_text()
    assert db.session.scalar(select(QuestionLabel.is_flagged).where(QuestionLabel.item_id == world.unmarked)) is True
    log_out(page)

    # The administrator asks for a training now; the worker's job (every minute) runs it.
    _log_in(page, live_server, desk["admin"])
    page.goto(f"{live_server}/learning/")
    with page.expect_navigation():
        page.click("#train-now")
    assert page.locator("#training-requested").is_visible()
    assert learning_job(app).startswith("classifier: active")
    db.session.expire_all()
    active = db.session.scalar(select(ClassifierModel).where(ClassifierModel.status == "active"))
    assert active.source == "desk" and active.figures["labels"] >= 10
    assert active.figures["question"]["f1"] >= active.compared_with["question"]["f1"]
    page.goto(f"{live_server}/learning/")
    assert page.locator("#training-requested").count() == 0
    version = page.locator(f"#version-{active.id}")
    assert "فعال" in version.inner_text() and "تصمیم‌های میز" in version.inner_text()
    assert "کنارگذاشته" in page.locator("#versions").inner_text()  # the starter model, retired
    log_out(page)

    # A similar item comes in: no cue word for the detector, the model flags it, with its words.
    item = ingest_new_question()
    assert not detect_public_question(item.title, item_body(item)).is_question
    route = db.session.scalar(select(ItemRoute).where(ItemRoute.item_id == item.id))
    reason = next(r for r in route.question_reasons if r["code"] == "model")
    assert route.is_question and reason["snippet"]
    _log_in(page, live_server, desk["staff"])
    page.goto(f"{live_server}/items/{item.id}")
    shown = page.locator(".question-model-reason")
    assert shown.count() == 1
    text = shown.inner_text()
    assert "پیشنهاد سامانه" in text and reason["snippet"].split("، ")[0] in text
    assert "پرسش یا گلایهٔ مردمی" in page.locator("#routes-title + ul").inner_text()
    assert page.console_errors == []
