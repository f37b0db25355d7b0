"""Where clause 10 and the evidence clauses (1–8, 13, 14) get their figures: the portal's
freshness (portal_freshness.py) and the evidence register (evidence.py). Each returns, per agency
id (and clause), a (figures, records) pair for the scorecard.

Clause 10's figures: ``updates`` in the period, ``latest_update`` (ISO day), ``days_since_update``
and ``stale`` as of the period's last day (or today while it runs), ``stale_days`` (the setting),
``watched``/``has_feed``; ``stale`` is None when nobody watches the portal (no data). Records:
``{"feeds": [ids], "portal_changes": [ids]}``.

An evidence clause's figures: ``records`` (how many count in the period: dated in it, or the
standing one carried into it), ``dated`` and ``carried``; records: ``{"evidence": [ids]}``.
"""
from __future__ import annotations

from datetime import date

from app.services.evidence import evidence_in
from app.services.portal_freshness import portal_figures


def portal_sources(first: date, last: date, agency_ids: list[int], today: date) -> dict[int, tuple[dict, dict]]:
    """agency id → (clause 10's figures, records)."""
    result = {}
    for agency_id, f in portal_figures(first, last, agency_ids, today=today).items():
        figures = {"updates": f.updates, "latest_update": f.latest_update.isoformat() if f.latest_update else None,
                   "days_since_update": f.days_since_update, "stale": f.stale if f.watched else None,
                   "stale_days": f.stale_days, "watched": f.watched, "has_feed": f.has_feed}
        result[agency_id] = (figures, {"feeds": list(f.records.get("feeds", [])),
                                       "portal_changes": list(f.records.get("portal_changes", []))})
    return result


def evidence_sources(first: date, last: date, agency_ids: list[int]) -> dict[int, dict[int, tuple[dict, dict]]]:
    """agency id → clause → (figures, records)."""
    result: dict[int, dict[int, tuple[dict, dict]]] = {}
    for agency_id, clauses in evidence_in(first, last, agency_ids).items():
        result[agency_id] = {
            clause: ({"records": len(refs), "dated": sum(1 for r in refs if not r.carried),
                      "carried": sum(1 for r in refs if r.carried)},
                     {"evidence": [r.id for r in refs]})
            for clause, refs in clauses.items()}
    return result
