"""The case workflow: every move, legal and illegal, by each role; what each move needs."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services import NotAllowed, ServiceError
from app.services.cases import case_as_dict, move, timeline
from models import AuditEntry, CaseEvent
from tests.services.case_fixtures import LINK, desk, make_item  # noqa: F401


def test_happy_path_from_new_to_closed(desk):
    case = desk.open("new")
    assert case.ref.endswith("-000001") and case.status == "new"
    for to, actor, kwargs in (
        ("accepted", desk.staff, {}),
        ("assigned", desk.manager, {"assignee": desk.staff}),
        ("drafted", desk.staff, {"answer": "پاسخ"}),
        ("approved", desk.manager, {}),
        ("published", desk.staff, {"link": LINK}),
        ("closed", desk.staff, {}),
    ):
        move(case, to, actor, **kwargs)
        assert case.status == to
    data = case_as_dict(case)
    assert data["links"] == [{"kind": "portal", "url": LINK, "label": ""}]
    kinds = [(e.kind, e.from_status, e.to_status, e.actor_label) for e in timeline(case)]
    assert kinds[0] == ("opened", None, "new", "admin")
    assert kinds[-1] == ("moved", "published", "closed", "water.staff")
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action.like("case.%"))) == 7
