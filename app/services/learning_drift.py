"""The drift check of routing (issue 15): the share of new items routed to an agency, week by
week, and a warning when it moves sharply from one week to the next — a feed that changed its
format, a rule switched off, a model that learnt something odd.

Weeks are seven local days ending today (the newest may be partial: it is compared too, the
reader sees its count). A move is sharp when both weeks hold at least ``MIN_ITEMS`` items and
the share moves by at least ``MIN_POINTS`` percentage points and by half of the earlier share.
"""
from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select

from app.clock import local_midnight, local_today
from app.extensions import db
from app.i18n import digit_style
from models import Item, ItemRoute
from search_index.persian import to_persian_digits

MIN_ITEMS = 20
MIN_POINTS = 10


def drift_report(weeks: int = 8) -> dict:
    """``weeks``: oldest first, each {"week" (first local day, ISO), "items", "routed",
    "by_model", "routed_share", "model_share"}; ``warnings``: [{"week", "from", "to", "message"}]."""
    today = local_today()
    first_day = today - timedelta(days=7 * weeks - 1)
    out = []
    for n in range(weeks):
        start_day = first_day + timedelta(days=7 * n)
        start, end = local_midnight(start_day), local_midnight(start_day + timedelta(days=7))
        routed = select(ItemRoute.item_id).where(ItemRoute.agency_id.is_not(None))
        by_model = routed.where(ItemRoute.model_id.is_not(None))
        items, routed_count, model_count = db.session.execute(select(
            func.count(Item.id),
            func.count(case((Item.id.in_(routed), Item.id))),
            func.count(case((Item.id.in_(by_model), Item.id))),
        ).where(and_(Item.fetched_at >= start, Item.fetched_at < end)).execution_options(unscoped=True)).one()
        out.append({"week": start_day.isoformat(), "items": items, "routed": routed_count, "by_model": model_count,
                    "routed_share": routed_count / items if items else 0.0,
                    "model_share": model_count / items if items else 0.0})
    return {"weeks": out, "warnings": _warnings(out)}


def _percent(value: float) -> str:
    text = f"{round(value * 100)}٪" if digit_style() == "fa" else f"{round(value * 100)}%"
    return to_persian_digits(text) if digit_style() == "fa" else text


def _warnings(weeks: list[dict]) -> list[dict]:
    """A sharp move of the routed share (``kind`` "routed"), and of the share the model routed
    (``kind`` "model"): a model that sent 42 % of the news to one agency, where rules had routed
    nearly every item already, moved the routed share by nothing (a review of routing, session 28)."""
    warnings = []
    for before, after in pairwise(weeks):
        if before["items"] < MIN_ITEMS or after["items"] < MIN_ITEMS:
            continue
        for kind, share in (("routed", "routed_share"), ("model", "model_share")):
            moved = after[share] - before[share]
            if abs(moved) * 100 < MIN_POINTS or abs(moved) < before[share] / 2:
                continue
            values = {"before": _percent(before[share]), "after": _percent(after[share])}
            message = (_("سهم خبرهای ارجاع‌شده از %(before)s به %(after)s رسید؛ خوراک‌ها، قاعده‌ها و مدل را بررسی کنید.",
                         **values) if kind == "routed" else
                       _("سهم خبرهایی که مدل ارجاع داد از %(before)s به %(after)s رسید؛ نسخهٔ مدل و تصمیم‌های میز را "
                         "بررسی کنید.", **values))
            warnings.append({"week": after["week"], "kind": kind, "from": round(before[share], 3),
                             "to": round(after[share], 3), "message": message})
    return warnings
