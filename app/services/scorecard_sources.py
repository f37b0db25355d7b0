"""Where clauses 10 and 1–8, 13, 14 get their figures: the portal's freshness and the evidence
register. Each returns, per agency id, per clause, a (figures, records) pair; an empty dict when
there is nothing to read (the clause is then ``no_data``)."""
from __future__ import annotations

from datetime import date


def portal_sources(first: date, last: date, agency_ids: list[int], today: date) -> dict[int, tuple[dict, dict]]:
    """agency id → (clause 10's figures, records): not yet connected to the portal's freshness."""
    return {}


def evidence_sources(first: date, last: date, agency_ids: list[int]) -> dict[int, dict[int, tuple[dict, dict]]]:
    """agency id → clause → (figures, records): not yet connected to the evidence register."""
    return {}
