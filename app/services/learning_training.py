"""Training the classifier from the desk's decisions; keeping a new version only when it scores
at least as well as the active one (issue 15).

The decisions are read from where the desk keeps them (routes' statuses and reassignments, the
inbox's suggestions, question corrections, cases opened from items) and turned into labels by
``app.learning.decisions``. One item in ``HELD_BACK`` (a stable hash of its id) never trains
any model: that slice compares the new model with the active one (F1 of routing and of the
question flag, each at its thresholds). The new model becomes active only when it is at least as
good on both and the slice holds at least ``MIN_HELD_BACK_LABELS`` labels; else it is kept as
``rejected`` with the reason, and the active one stays. The first training registers the
shipped starter model as a version, so the comparison and the history start from it.

The worker's job ``learning-train`` trains when an admin asked for it (the learning page, or
``flask learning train``), or when the last training is older than ``LEARNING_RETRAIN_HOURS``
and the desk decided something since. One trainer at a time (the lease ``learning.lease``).
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.i18n import digit_style
from app.learning.decisions import Decision, labels_from_decisions
from app.learning.evaluation import at_least_as_good, evaluate_many
from app.learning.features import Example, item_features
from app.learning.model import QUESTION, TextModel, agency_label
from app.learning.starter_set import StarterSetError, starter_examples
from app.leases import claim_lease, new_owner, release_lease
from app.policy import can_manage_learning
from app.rules.analysis import analyze_item
from app.services import NotAllowed
from app.services.audit import record
from app.services.learning import STARTER_LABELS, STARTER_MODEL, learning_agencies
from app.services.routing import item_body
from app.services.settings import get_setting, set_setting
from models import (
    Agency,
    CaseSource,
    ClassifierModel,
    Item,
    ItemRoute,
    QuestionLabel,
    RouteSuggestion,
    utcnow,
)
from search_index.persian import to_persian_digits

log = logging.getLogger("hamzaban.learning")

HELD_BACK = 5  # one item in five is the comparison slice
# The news no desk decided about and no agency was routed or suggested, as negatives of every agency
# (the most recent, at most BACKGROUND_PER_DECIDED per decided item, between BACKGROUND_MIN and
# BACKGROUND_MAX): one desk's decisions alone are all about that desk's own candidates, and a model
# learnt from them alone weighed the words of any news («خبر», «مردم», «گزارش») and sent 1,054 of the
# 1,500 articles — world news and sport among them — to the water agency after seed-demo's month of
# the water desk (a review of routing, session 28).
BACKGROUND_PER_DECIDED, BACKGROUND_MIN, BACKGROUND_MAX = 4, 200, 2_000
MIN_HELD_BACK_LABELS = 10
LEASE, LEASE_SECONDS = "learning.lease", 1800
REQUEST, LAST_RUN = "learning.train_requested", "learning.last_run"
BATCH = 500


@dataclass(frozen=True)
class TrainingResult:
    status: str  # active (kept and now classifying), rejected, nothing (too few decisions to train)
    model_id: int | None
    note: str
    figures: dict
    compared_with: dict
    label_counts: dict

    def as_dict(self) -> dict:
        return {"status": self.status, "model_id": self.model_id, "note": self.note, "figures": self.figures,
                "compared_with": self.compared_with, "label_counts": self.label_counts}


def _unscoped(stmt):
    return stmt.execution_options(unscoped=True)


def held_back(item_id: int) -> bool:
    """Whether an item belongs to the comparison slice (never trained on, by any version)."""
    return hashlib.sha1(f"item:{item_id}".encode()).digest()[0] % HELD_BACK == 0


def desk_decisions() -> dict[int, list[Decision]]:
    """item id → the desk's decisions about it, oldest first (every agency's: the worker reads
    unscoped)."""
    slugs = dict(db.session.execute(_unscoped(select(Agency.id, Agency.slug))).all())
    found: dict[int, list[tuple]] = {}

    def add(item_id, when, decision):
        found.setdefault(item_id, []).append((when, len(found.get(item_id, ())), decision))

    routes = db.session.execute(_unscoped(select(
        ItemRoute.item_id, ItemRoute.agency_id, ItemRoute.status, ItemRoute.received_from_agency_id,
        ItemRoute.is_question, ItemRoute.status_changed_at, ItemRoute.received_at, ItemRoute.created_at))).all()
    for item_id, agency_id, status, received_from, is_question, changed, received, created in routes:
        slug = slugs.get(agency_id)
        when = changed or received or created
        if status in ("accepted", "dismissed", "reassigned"):
            if slug is not None:
                add(item_id, when, Decision(status, slug))
            add(item_id, when, Decision("flag_kept", flag=bool(is_question)))
        elif received is not None and slug is not None:  # sent here by a supervisor, not decided yet
            add(item_id, received, Decision("received", slug))
        elif slug is not None:
            add(item_id, when, Decision("pending", slug))
    for item_id, agency_id, status, decided, created in db.session.execute(_unscoped(select(
            RouteSuggestion.item_id, RouteSuggestion.agency_id, RouteSuggestion.status, RouteSuggestion.decided_at,
            RouteSuggestion.created_at))):
        slug = slugs.get(agency_id)
        if slug is not None:
            kind = {"accepted": "suggestion_accepted", "dismissed": "suggestion_dismissed"}.get(status, "pending")
            add(item_id, decided or created, Decision(kind, slug))
    for item_id, flagged, created in db.session.execute(_unscoped(select(
            QuestionLabel.item_id, QuestionLabel.is_flagged, QuestionLabel.created_at))):
        add(item_id, created, Decision("question_marked" if flagged else "question_unmarked"))
    for item_id, in db.session.execute(select(CaseSource.item_id).where(CaseSource.item_id.is_not(None))):
        add(item_id, None, Decision("case_opened"))
    far = utcnow() - timedelta(days=365 * 100)
    return {item_id: [d for _, _, d in sorted(rows, key=lambda r: (r[0] or far, r[1]))]
            for item_id, rows in found.items()}


def desk_labels(agencies: dict[str, int] | None = None) -> dict[int, dict[str, bool]]:
    """item id → the labels its desk decisions give (items whose decisions give none left out)."""
    agencies = learning_agencies() if agencies is None else agencies
    return {item_id: labels for item_id, decisions in desk_decisions().items()
            if (labels := labels_from_decisions(decisions, agencies))}


def background_labels(labelled: dict, agencies: dict[str, int], wanted: int) -> dict[int, dict[str, bool]]:
    """item id → False for every agency the item was neither routed nor suggested to, for the
    ``wanted`` most recent items that no decision labelled and the comparison slice does not hold."""
    found: dict[int, dict[str, bool]] = {}
    last = None
    batches = max(4, 4 * wanted // BATCH)  # at most ~4 ids read for one wanted: a database where few
    while len(found) < wanted and batches:  # qualify is not read whole (1,000,000 items: 2,000 batches)
        batches -= 1
        stmt = select(Item.id).order_by(Item.id.desc()).limit(BATCH)
        if last is not None:
            stmt = stmt.where(Item.id < last)
        ids = list(db.session.scalars(_unscoped(stmt)))
        if not ids:
            break
        last = ids[-1]
        taken: dict[int, set[int]] = {}
        for model in (ItemRoute, RouteSuggestion):
            for item_id, agency_id in db.session.execute(_unscoped(select(model.item_id, model.agency_id)
                                                                   .where(model.item_id.in_(ids)))):
                taken.setdefault(item_id, set()).add(agency_id)
        for item_id in ids:
            if item_id in labelled or held_back(item_id) or len(found) >= wanted:
                continue
            given = taken.get(item_id, set())
            labels = {agency_label(slug): False for slug, agency_id in agencies.items() if agency_id not in given}
            if labels:
                found[item_id] = labels
    return found


def read_features(ids: list[int], *, ngrams: bool = True):
    """(item id, Features) of the items ``ids``, read as routing reads them, in batches."""
    for start in range(0, len(ids), BATCH):
        rows = db.session.execute(select(Item.id, Item.title, Item.text, Item.summary_html)  # rows, not
                                  .where(Item.id.in_(ids[start:start + BATCH]))).all()  # objects kept
        for row in rows:
            yield row.id, item_features(analyze_item(row.title, item_body(row)), ngrams=ngrams)


def desk_examples(agencies: dict[str, int] | None = None) -> list[tuple[int, Example]]:
    """The labelled examples of the desk: (item id, Example) for every item whose decisions give
    a label (features as ``Features``: for a few items; training compacts them as it reads)."""
    labelled = desk_labels(agencies)
    return [(item_id, Example(features, labelled[item_id], key=str(item_id)))
            for item_id, features in read_features(sorted(labelled))]


def register_starter_model() -> ClassifierModel:
    """The shipped starter model as a stored version: idempotent. A new version when the shipped
    file is not the one stored last (a release's retrained starter model: registered once, the
    first stayed in force for good; the review of session 29); it is the active one when no version
    is, or when the active one is an earlier starter (a desk-trained version stays active)."""
    payload = STARTER_MODEL.read_bytes()
    row = db.session.scalar(select(ClassifierModel).where(ClassifierModel.source == "starter")
                            .order_by(ClassifierModel.id.desc()).limit(1))
    if row is not None and row.payload == payload:
        return row
    meta = TextModel.from_bytes(payload).meta
    active = db.session.scalar(select(ClassifierModel).where(ClassifierModel.status == "active")
                               .order_by(ClassifierModel.id.desc()).limit(1))
    takes_over = active is None or active.source == "starter"
    if takes_over and active is not None:
        active.status = "retired"
    row = ClassifierModel(source="starter", status="active" if takes_over else "retired", trained_by="starter",
                          label_counts=meta.get("label_counts", {}), figures=meta.get("figures", {}),
                          note=meta.get("trained_on", ""), payload=payload,
                          activated_at=utcnow() if takes_over else None)
    db.session.add(row)
    db.session.flush()
    record("classifier.starter_registered", actor_label="system", obj=row)
    db.session.commit()
    return row


def train_model(actor_label: str = "worker") -> TrainingResult:
    """Train a new version from the desk's decisions and keep it if it does at least as well as
    the active one on the held-back slice (see the module's doc). Commits."""
    # scikit-learn: imported by the trainer only
    from app.learning.training import FeatureTable, train

    register_starter_model()
    agencies = learning_agencies()
    labelled = desk_labels(agencies)
    labels = [agency_label(slug) for slug in sorted(agencies)] + [QUESTION]
    table = FeatureTable()  # each item's features interned as it is read: 20,000 items in ~0.2 GB
    ngrams = not any("c:".startswith(prefix) for prefix in table.drop)
    training = [Example(table.row(features), labelled[item_id], key=str(item_id)) for item_id, features
                in read_features(sorted(i for i in labelled if not held_back(i)), ngrams=ngrams)]
    decided = len(training)
    if training and agencies:
        wanted = min(BACKGROUND_MAX, max(BACKGROUND_MIN, BACKGROUND_PER_DECIDED * len(training)))
        background = background_labels(labelled, agencies, wanted)
        training += [Example(table.row(features), background[item_id], key=str(item_id)) for item_id, features
                     in read_features(sorted(background), ngrams=ngrams)]
    comparison_ids = sorted(i for i in labelled if held_back(i))
    starter, starter_note = _starter_set(agencies, table, ngrams)
    if starter_note and not starter:
        log.info("starter set: %s", starter_note)
    counts = _label_counts(training + starter)
    set_setting(REQUEST, None)
    set_setting(LAST_RUN, utcnow().isoformat())
    if not any(c["positive"] >= 3 and c["negative"] >= 3 for c in counts.values()):
        db.session.commit()
        return TrainingResult("nothing", None, _("تصمیم‌های میز هنوز برای آموزش کافی نیست: دست‌کم سه نمونهٔ "
                                                 "مثبت و سه نمونهٔ منفی برای یک سازمان یا پرسش مردمی لازم است."),
                              {}, {}, counts)
    sizes = {"desk": decided, "background": len(training) - decided, "held": len(comparison_ids),
             "starter": len(starter)}
    candidate = train(training + starter, labels, table=table, consume=True)
    del training, starter, table
    active = db.session.scalar(select(ClassifierModel).where(ClassifierModel.status == "active")
                               .order_by(ClassifierModel.id.desc()))
    models = [candidate] + ([TextModel.from_bytes(active.payload)] if active is not None else [])
    held = (Example(features, labelled[item_id]) for item_id, features
            in read_features(comparison_ids, ngrams=any(m.uses_ngrams for m in models)))
    figures, *old = evaluate_many(models, held)
    old = old[0] if old else {}
    now = utcnow()
    candidate.meta.update(trained_at=now.isoformat(timespec="seconds"), held_back=figures,
                          trained_on=f"desk decisions: {sizes['desk']} items ({sizes['held']} held back); "
                                     f"background (no decision, no route): {sizes['background']} items; "
                                     f"starter set: {starter_note}")
    if active is None:
        keep, note = True, _("نخستین نسخه.")
    elif figures["labels"] < MIN_HELD_BACK_LABELS:
        keep, note = False, _("برش کنارگذاشته تنها %(n)s برچسب دارد (دست‌کم %(min)s لازم است)؛ نسخهٔ فعال "
                              "سر جای خود ماند.", n=_n(figures["labels"]), min=_n(MIN_HELD_BACK_LABELS))
    elif at_least_as_good(figures, old):
        keep, note = True, _("روی برش کنارگذاشته دست‌کم به خوبی نسخهٔ فعال بود و جای آن را گرفت.")
    else:
        keep, note = False, _("روی برش کنارگذاشته از نسخهٔ فعال بدتر بود؛ نسخهٔ فعال سر جای خود ماند.")
    note += " " + _("آموخته از %(desk)s خبرِ میز (%(held)s خبر برای سنجش کنار ماند) و %(starter)s خبر از مجموعهٔ "
                    "برچسب‌خوردهٔ آغازین.", desk=_n(sizes["desk"]), held=_n(sizes["held"]), starter=_n(sizes["starter"]))
    row = ClassifierModel(source="desk", status="active" if keep else "rejected", trained_at=now,
                          trained_by=actor_label, label_counts=counts, figures=figures, compared_with=old, note=note,
                          payload=candidate.to_bytes(), activated_at=now if keep else None)
    if keep and active is not None:
        active.status = "retired"
    db.session.add(row)
    db.session.flush()
    record("classifier.trained", actor_label=actor_label, obj=row, status=row.status, figures=figures,
           compared_with=old, label_counts=counts)
    db.session.commit()
    log.info("classifier version %s: %s (%s)", row.id, row.status, note)
    return TrainingResult(row.status, row.id, note, figures, old, counts)


def _n(number: int) -> str:
    """A count in the reader's digits (the note is stored as written)."""
    return to_persian_digits(number) if digit_style() == "fa" else str(number)


def _starter_set(agencies, table, ngrams: bool) -> tuple[list, str]:
    """The starter set's examples (compacted into ``table``) when LEARNING_STARTER_CORPUS names
    its articles' folder."""
    corpus = current_app.config["LEARNING_STARTER_CORPUS"]
    if not corpus:
        return [], "not used (LEARNING_STARTER_CORPUS not set)"
    try:
        examples = starter_examples(Path(corpus), STARTER_LABELS, sorted(agencies), compact=table.row,
                                    ngrams=ngrams)
    except (OSError, ValueError, StarterSetError) as error:
        log.warning("starter set not used: %s", error)
        return [], f"not used ({error})"
    return examples, f"{len(examples)} articles"


def _label_counts(examples) -> dict:
    counts: dict[str, dict] = {}
    for example in examples:
        for label, value in example.labels.items():
            entry = counts.setdefault(label, {"positive": 0, "negative": 0})
            entry["positive" if value else "negative"] += 1
    return counts


def request_training(actor) -> None:
    """An admin asks for a training now: the worker's next run does it."""
    if not can_manage_learning(actor):
        raise NotAllowed(_("تنها مدیر سامانه آموزش دوبارهٔ مدل را درخواست می‌کند."))
    set_setting(REQUEST, {"by": getattr(actor, "username", ""), "at": utcnow().isoformat()})
    record("classifier.training_requested", actor=actor)
    db.session.commit()


def training_requested() -> dict | None:
    return get_setting(REQUEST)


def _due() -> bool:
    """The last training (or attempt) is older than LEARNING_RETRAIN_HOURS and the desk decided
    something since."""
    last_run = get_setting(LAST_RUN)
    if last_run is None:
        return True
    last = datetime.fromisoformat(last_run)
    if utcnow() - last < timedelta(hours=current_app.config["LEARNING_RETRAIN_HOURS"]):
        return False
    changed = [db.session.scalar(_unscoped(select(func.max(column)))) for column in
               (ItemRoute.status_changed_at, ItemRoute.received_at, RouteSuggestion.decided_at,
                QuestionLabel.created_at)]
    return any(when is not None and when > last for when in changed)


def learning_job(app: Flask) -> str:
    """The worker's "learning-train" job."""
    if not app.config["LEARNING"]:
        return "learning off"
    requested = training_requested()
    if not requested and not _due():
        return "nothing to do"
    owner = new_owner()
    if not claim_lease(LEASE, owner, LEASE_SECONDS):
        return "another worker is training"
    try:
        result = train_model(actor_label=(requested or {}).get("by") or "worker")
    finally:
        release_lease(LEASE, owner)
    return f"classifier: {result.status} (version {result.model_id})"


def register_jobs(app: Flask) -> None:
    """Add the "learning-train" job (every 60 s: an admin's request waits at most a minute)."""
    app.extensions.setdefault("hamzaban_jobs", []).append(("learning-train", 60, learning_job))
