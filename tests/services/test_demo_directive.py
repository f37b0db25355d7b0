"""The directive's demo: the portal page shows fresh and stale portals with a monthly history,
the register shows records for several clauses (one with its PDF); running it again adds nothing."""
from __future__ import annotations

from sqlalchemy import select

from app.clock import local_today
from app.extensions import db
from app.jalali import jalali_month_range, to_jalali
from app.services.agencies import ensure_standard_agencies
from app.services.demo_directive import seed_demo_directive
from app.services.evidence import evidence_in
from app.services.portal_checks import pages_to_check
from app.services.portal_freshness import portal_figures
from models import Agency


def test_demo_portals_and_evidence(app, make_user):
    ensure_standard_agencies(actor_label="test")
    agencies = {a.slug: a for a in db.session.scalars(select(Agency))}
    for username, role, slug in (("water.manager", "manager", "water"), ("water.staff", "staff", "water"),
                                 ("power.staff", "staff", "power")):
        make_user(role, agencies[slug], username=username)
    first = seed_demo_directive()
    assert first["evidence_records"] == 13 and first["portal_changes"] > 50
    today = to_jalali(local_today())
    figures = portal_figures(*jalali_month_range(today.year, today.month), None)
    stale = {slug for slug, a in agencies.items() if figures[a.id].stale}
    assert stale == {"gas", "health"}
    assert not figures[agencies["water"].id].stale and figures[agencies["water"].id].watched
    assert pages_to_check() == []  # demo addresses are not fetched
    water = evidence_in(*jalali_month_range(today.year, today.month), [agencies["water"].id])[agencies["water"].id]
    assert water[1] and water[1][0].has_file and water[13]  # standing records carried into this month
    assert seed_demo_directive() == {"portal_changes": 0, "evidence_records": 0}
