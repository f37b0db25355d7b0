"""What the learning page reads (issue 15): the classifier's stored versions (without their
arrays), whether an admin's request to retrain waits for the worker, learning per agency and the
drift report. Read-only; the actions are ``learning.set_learning`` and
``learning_training.request_training``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import defer

from app.extensions import db
from app.learning.model import AGENCY_PREFIX, QUESTION
from app.services.agencies import agencies_for_admin
from app.services.learning_drift import drift_report
from app.services.learning_training import training_requested
from models import Agency, ClassifierModel


@dataclass(frozen=True)
class LabelCount:
    label: str  # "question" or "agency:<slug>"
    agency: Agency | None  # the agency of an agency label (None: the question label, or unknown)
    positive: int
    negative: int


@dataclass(frozen=True)
class Version:
    model: ClassifierModel
    labels: list[LabelCount]
    positives: int
    negatives: int


@dataclass(frozen=True)
class LearningOverview:
    enabled: bool  # the LEARNING setting
    retrain_hours: int
    versions: list[Version]
    requested: dict | None  # {"by", "at" (datetime)}: an admin asked for a training the worker has not run yet
    agencies: list[Agency]
    weeks: list[dict]  # drift_report's weeks, each with "day": the week's first local day (date)
    warnings: list[dict]  # drift_report's warnings, each with "day" too


def _labels(counts: dict, agencies: dict[str, Agency]) -> list[LabelCount]:
    rows = []
    for label, count in (counts or {}).items():
        agency = agencies.get(label[len(AGENCY_PREFIX):]) if label.startswith(AGENCY_PREFIX) else None
        rows.append(LabelCount(label, agency, int(count.get("positive", 0)), int(count.get("negative", 0))))
    # The question label first, then the agencies by most positive labels.
    return sorted(rows, key=lambda r: (r.label != QUESTION, -r.positive, r.label))


def learning_overview(weeks: int = 8) -> LearningOverview:
    """Everything the learning page shows, newest version first."""
    agencies = agencies_for_admin()
    by_slug = {agency.slug: agency for agency in agencies}
    models = db.session.scalars(select(ClassifierModel).options(defer(ClassifierModel.payload))
                                .order_by(ClassifierModel.id.desc())).all()
    versions = []
    for model in models:
        labels = _labels(model.label_counts, by_slug)
        versions.append(Version(model, labels, sum(r.positive for r in labels), sum(r.negative for r in labels)))
    requested = training_requested()
    if requested:
        requested = {"by": requested.get("by") or "", "at": _when(requested.get("at"))}
    report = drift_report(weeks)
    for week in report["weeks"] + report["warnings"]:
        week["day"] = date.fromisoformat(week["week"])
    return LearningOverview(current_app.config["LEARNING"], current_app.config["LEARNING_RETRAIN_HOURS"], versions,
                            requested or None, [a for a in agencies if a.is_active], report["weeks"],
                            report["warnings"])


def _when(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
