"""The scorecard's rules form (the governorate): one text field per rule; the service checks the
numbers (app/services/scorecard_rules.py) and says what is wrong in Persian."""
from __future__ import annotations

from app.services.scorecard_rules import FIELDS, field_label
from app.web.forms import BaseForm
from app.web.forms.fields import DigitsTextField


class ScorecardRulesForm(BaseForm):
    """Built from scorecard_rules.FIELDS; labels are set per request (they are translated)."""

    def label_fields(self) -> None:
        for rule in FIELDS:
            self[rule.key].label.text = field_label(rule)

    def values(self) -> dict[str, str]:
        return {rule.key: self[rule.key].data or "" for rule in FIELDS}


for _rule in FIELDS:
    setattr(ScorecardRulesForm, _rule.key, DigitsTextField(_rule.key))
