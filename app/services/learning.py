"""Triage that learns (issue 15): the classifier beside the rules, at ingest and in the tester.

Rules first, model beside them: a rule's route stands; the active model (``classifier_models``
with status ``active``, else the starter model shipped in ``app/data/starter_model.npz``) adds a
route for an agency whose probability reaches the agency's routing threshold (chosen on
held-back data for precision, app/learning/training.py) and that no rule routed — shown as
«پیشنهاد سامانه» with the item's words that weighed most —, and a suggestion in the agency's
inbox only for a probability between the model's suggestion floor and that threshold. The
question flag is the detector's OR the model's (at the question label's threshold), each with
its reasons. An agency whose learning an admin switched off (``Agency.learning_enabled``) gets
neither model routes nor suggestions, and its desk's decisions do not train the next model.

Items without an Arabic-script letter are not classified (the model reads Persian).
Training, promotion and the worker's job are in ``app.services.learning_training``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.i18n import N_
from app.learning.features import item_features
from app.learning.model import AGENCY_PREFIX, QUESTION, Prediction, TextModel
from app.policy import can_manage_learning
from app.rules.analysis import AnalyzedItem
from app.services import NotAllowed
from app.services.audit import record
from models import Agency, ClassifierModel

STARTER_MODEL = Path(__file__).resolve().parents[1] / "data" / "starter_model.npz"
# The starter set's labels (links and answers; method in bench/routing/README.md).
STARTER_LABELS = Path(__file__).resolve().parents[2] / "bench" / "routing" / "labels.jsonl"
MODEL_REASON = N_("پیشنهاد سامانه")


@dataclass(frozen=True)
class ActiveModel:
    id: int | None  # the stored version; None: the shipped starter model, not registered yet
    model: TextModel
    # The shipped starter model, for the labels ``model`` did not learn: a desk model trained on one
    # agency's decisions took every other agency's model routes away when it became active (a one-desk
    # pilot; a review of routing, session 28). None when the active model is the starter.
    fallback: TextModel | None = None
    inherited: frozenset[str] = frozenset()  # the labels read from ``fallback``
    fallback_id: int | None = None  # the starter model's stored version: the id its routes carry


@dataclass(frozen=True)
class Classification:
    """The model's view of one item: routes at or above an agency's threshold, suggestions below
    it (agency slug → Prediction), and the question label's prediction when it flags."""
    model_id: int | None
    routes: dict[str, Prediction]
    suggested: dict[str, Prediction]
    question: Prediction | None
    # Labels read from the starter model (``ActiveModel.inherited``) and the version they came from:
    # their routes name the starter, not the desk version that did not learn them (session 28's note).
    inherited: frozenset[str] = frozenset()
    inherited_id: int | None = None

    def model_for(self, slug: str) -> int | None:
        """The stored version whose reading routed or suggested the agency ``slug``."""
        return self.inherited_id if AGENCY_PREFIX + slug in self.inherited else self.model_id

    def question_reason(self) -> dict | None:
        """The route's ``question_reasons`` entry for the model's flag (None: it did not flag)."""
        if self.question is None:
            return None
        return {"code": "model", "text": MODEL_REASON, "snippet": "، ".join(self.question.words),
                "probability": round(self.question.probability, 3)}


EMPTY = Classification(None, {}, {}, None)
_cache: dict[tuple, ActiveModel] = {}


def starter_model() -> TextModel:
    return TextModel.from_bytes(STARTER_MODEL.read_bytes())


def active_model() -> ActiveModel:
    """The model that classifies new items (cached per database and version)."""
    row = db.session.execute(select(ClassifierModel.id).where(ClassifierModel.status == "active")
                             .order_by(ClassifierModel.id.desc()).limit(1)).scalar()
    key = (str(db.engine.url), row)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    if row is None:
        active = ActiveModel(None, starter_model())
    else:
        payload, source = db.session.execute(select(ClassifierModel.payload, ClassifierModel.source)
                                             .where(ClassifierModel.id == row)).one()
        model = TextModel.from_bytes(payload)
        fallback = starter_model() if source != "starter" and model.unlearnt else None
        inherited = (model.unlearnt & (set(fallback.labels) - fallback.unlearnt)) if fallback else frozenset()
        # the shipped file's stored version: the last starter registered (``register_starter_model``)
        fallback_id = db.session.scalar(select(ClassifierModel.id).where(ClassifierModel.source == "starter")
                                        .order_by(ClassifierModel.id.desc()).limit(1)) if inherited else None
        active = ActiveModel(row, model, fallback if inherited else None, frozenset(inherited), fallback_id)
    _cache.clear()
    _cache[key] = active
    return active


def learning_agencies() -> dict[str, int]:
    """slug → id of the active agencies whose learning is on (none when LEARNING is off)."""
    if not current_app.config["LEARNING"]:
        return {}
    return dict(db.session.execute(select(Agency.slug, Agency.id).where(
        Agency.is_active, Agency.learning_enabled).execution_options(unscoped=True)).all())


def tester_agencies() -> dict:
    """The agencies the offline tester (``routing test``) lets the model route: those whose
    learning is on; on a database without agencies, every agency the model knows (as the tester
    falls back to the starter pack when there are no rules)."""
    if not current_app.config["LEARNING"]:
        return {}
    if db.session.scalar(select(Agency.id).limit(1).execution_options(unscoped=True)) is None:
        return {label[len(AGENCY_PREFIX):]: None for label in active_model().model.labels
                if label.startswith(AGENCY_PREFIX)}
    return learning_agencies()


def classify(analyzed: AnalyzedItem, slugs, active: ActiveModel | None = None) -> Classification:
    """What the active model says of an analyzed item, for the agencies ``slugs`` (learning on)."""
    return classify_all([analyzed], slugs, active)[0]


def classify_all(items: list[AnalyzedItem], slugs, active: ActiveModel | None = None) -> list[Classification]:
    """``classify`` of each item, stage by stage: every item's features, then every prediction (issue 16:
    the model's code and arrays stay in the CPU's caches from one prediction to the next)."""
    read = [item for item in items if item.has_arabic_script]
    if not read:
        return [EMPTY] * len(items)
    active = active or active_model()
    model, fallback = active.model, active.fallback
    features = [item_features(item, ngrams=model.uses_ngrams, keep=model.keep) for item in read]
    inherited = [item_features(item, ngrams=fallback.uses_ngrams, keep=fallback.keep) for item in read] \
        if fallback is not None else [None] * len(read)
    predicted = [model.predict(f) for f in features]
    from_fallback = [fallback.predict(f) for f in inherited] if fallback is not None else inherited
    found = iter([_classification(p, q, slugs, active) for p, q in zip(predicted, from_fallback)])
    return [next(found) if item.has_arabic_script else EMPTY for item in items]


def _classification(predictions: dict[str, Prediction], inherited: dict[str, Prediction] | None, slugs,
                    active: ActiveModel) -> Classification:
    if inherited is not None:  # the labels the active model did not learn: the starter's reading
        predictions = {label: p for label, p in predictions.items() if label not in active.inherited}
        predictions.update({label: p for label, p in inherited.items() if label in active.inherited})
    # A label none of the item's words speaks for is the model's prior, not a reading of the item:
    # a model trained where one agency took most decisions gave every item to it («بازی فوتبال»
    # to water at 0.82 in the demo). It routes, suggests and flags nothing.
    predictions = {label: p for label, p in predictions.items() if p.words}
    routes, suggested = {}, {}
    for label, prediction in predictions.items():
        if not label.startswith(AGENCY_PREFIX):
            continue
        slug = label[len(AGENCY_PREFIX):]
        if slug in slugs:
            (routes if prediction.routes else suggested)[slug] = prediction
    question = predictions.get(QUESTION)
    return Classification(active.id, routes, suggested, question if question is not None and question.routes else None,
                          active.inherited, active.fallback_id)


def set_learning(agency: Agency, enabled: bool, actor=None, *, actor_label: str = "") -> Agency:
    """An admin (or the command line: no actor) switches the classifier on or off for one agency
    (audited)."""
    if actor is not None and not can_manage_learning(actor):
        raise NotAllowed(_("تنها مدیر سامانه یادگیری را برای سازمان‌ها روشن یا خاموش می‌کند."))
    if agency.learning_enabled != enabled:
        agency.learning_enabled = enabled
        record("agency.learning_changed", actor=actor, actor_label=actor_label, obj=agency, agency_id=agency.id,
               enabled=enabled)
        db.session.commit()
    return agency


def model_versions() -> list[dict]:
    """The stored versions of the classifier, newest first (without their arrays)."""
    rows = db.session.execute(select(
        ClassifierModel.id, ClassifierModel.source, ClassifierModel.status, ClassifierModel.trained_at,
        ClassifierModel.trained_by, ClassifierModel.label_counts, ClassifierModel.figures,
        ClassifierModel.compared_with, ClassifierModel.note, ClassifierModel.activated_at)
        .order_by(ClassifierModel.id.desc())).all()
    return [{"id": r.id, "source": r.source, "status": r.status, "trained_at": r.trained_at.isoformat(),
             "trained_by": r.trained_by, "label_counts": r.label_counts, "figures": r.figures,
             "compared_with": r.compared_with, "note": r.note,
             "activated_at": r.activated_at.isoformat() if r.activated_at else None} for r in rows]
