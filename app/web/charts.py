"""Charts for the pages: the data a chart draws, as a plain dict the template writes into the
canvas's ``data-chart`` attribute (JSON) and into its table fallback.

static/js/charts.js reads the attribute and draws it with the bundled Chart.js (the CSP allows no
inline script). The labels are already in the reader's language and digits (Jalali month names,
Persian digits); the numbers stay numbers, and the script writes them with Persian digits on the
axes and in the tooltips. The table under each chart is built from the same dict, so it holds
exactly the numbers drawn, readable without JavaScript.
"""
from __future__ import annotations

from flask import Flask

from app.web.filters import jmonth


def month_chart(months, series, *, kind: str = "line", stacked: bool = False) -> dict:
    """A chart over Jalali months: ``series`` is [(label, [value per month]), …]."""
    return {"type": kind, "stacked": stacked, "horizontal": False, "labels": [jmonth(m) for m in months],
            "datasets": [{"label": str(label), "data": [int(v) for v in values]} for label, values in series]}


def volume_chart(rows, label) -> dict:
    """A horizontal bar per row (``label``, ``count``): coverage by outlet or by topic."""
    return {"type": "bar", "stacked": False, "horizontal": True, "labels": [r.label for r in rows],
            "datasets": [{"label": str(label), "data": [int(r.count) for r in rows]}]}


def chart_rows(spec: dict) -> list[tuple[str, list[int]]]:
    """The table fallback: one row per label, one number per dataset."""
    return [(label, [d["data"][i] for d in spec["datasets"]]) for i, label in enumerate(spec["labels"])]


def register_chart_globals(app: Flask) -> None:
    app.jinja_env.globals.update(month_chart=month_chart, volume_chart=volume_chart, chart_rows=chart_rows)
