"""``matches`` reads each rule through its plan (app/rules/matcher.py ``CompiledRule.plan``: the
spellings merged per field, sequences grouped by their first term), ``explain`` through its
options grouped by first term (``CompiledRule.options``); here the plain reading,
option by option and sequence by sequence, kept as the reference: the same answer for the
starter pack and for rules of every shape (phrases, OR, exclusions, title-only, ``title:``) on
the 1,491 real articles (skipped when absent) and on hypothesis text."""
from __future__ import annotations

import json

from hypothesis import given

from app.rules.analysis import analyze_item
from app.rules.matcher import (
    Hit,
    MatchedClause,
    _seq_in,
    _seq_spans,
    compile_rule,
    explain,
    matches,
)
from app.rules.starter_rules import load_starter_rules
from tests.conftest import shared_data
from tests.strategies import persian_text

SHAPES = ["آب شرب", '"قطعی آب" یا خاموشی', "بیمارستان -تهران", 'عنوان:"راه روستایی" جاده', "می شود",
          "آبرسانی", "روابط‌عمومی استانداری", '-"قطع برق" برق', "مدرسه یا دانشگاه یا حوزه", "تانکرها"]


def plain_matches(rule, item) -> bool:
    fields = item.fields
    indexes = {f: fields[f] for f in rule.fields}

    def option_in(option):
        return any(_seq_in(seq, index) for name, index in indexes.items()
                   if option.fields is None or name in option.fields for seq in option.seqs)

    return (all(any(option_in(o) for o in slot) for slot in rule.slots)
            and not any(option_in(o) for o in rule.negatives))


def plain_clauses(rule, item) -> tuple:
    clauses = []
    fields = item.fields
    indexes = [(f, fields[f]) for f in rule.fields]
    for option in (o for slot in rule.slots for o in slot):
        hits = sorted({Hit(f, s, e) for f, index in indexes if option.fields is None or f in option.fields
                       for seq in option.seqs if seq[0] in index for s, e in _seq_spans(seq, index)},
                      key=lambda h: (h.field != "title", h.start, h.end))
        if hits:
            first = hits[0]
            clauses.append(MatchedClause(option.label, item.texts[first.field][first.start:first.end],
                                         tuple(hits)))
    return tuple(clauses)


RULES = [compile_rule(r.query, title_only=r.title_only) for r in load_starter_rules()] + [
    compile_rule(q, title_only=t) for q in SHAPES for t in (False, True)]


def same(title: str, body: str) -> int:
    item = analyze_item(title, body)
    found = 0
    for rule in RULES:
        expected = plain_matches(rule, item)
        assert matches(rule, item) == expected, (rule.query, title)
        if expected:
            assert explain(rule, item).clauses == plain_clauses(rule, item), (rule.query, title)
        found += expected
    return found


@given(persian_text, persian_text)
def test_random_text(title, body):
    same(title, body)


def test_real_articles():
    folder = shared_data("persian-news")
    n = found = 0
    for path in sorted(folder.glob("*.json")):
        for article in json.loads(path.read_text(encoding="utf-8")):
            found += same(article.get("title") or "",
                          "\n".join([article.get("abstract") or "", *article.get("paragraphs", [])]))
            n += 1
    assert n > 1000 and found > 500
