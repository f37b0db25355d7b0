"""``matcher.explain`` meets each field's terms with the first terms of all the rule's spellings once
(``CompiledRule.firsts``), then each option's first terms with those few (session 47: it met every
option's with the field's terms, and the detector explains cues of many options). Its matches are those
of the plain reading, option by option, for every starter rule and cue the routing of an item reads, on
every real article of ../shared/data/persian-news, and for every rule on the first articles."""
from app.rules.analysis import LEAD, analyze_item
from app.rules.detector import _compiled, _cue_keys, _rules_found
from app.rules.matcher import FIELDS, Hit, Match, MatchedClause, _seq_spans, compile_rule, explain
from app.rules.ruleset import RuleSet
from app.rules.starter_rules import load_starter_rules
from tests.conftest import analyzed_articles


def plain_explain(rule, item) -> Match:
    """Session 46's ``explain``: option by option, each option's first terms met with each field's terms."""
    clauses = []
    indexes = [(f, item.fields[f]) for f in rule.fields]
    for option, firsts, by_first in rule.options:
        found = set()
        for f, index in indexes:
            if option.fields is None or f in option.fields:
                for first in index.keys() & firsts:
                    shown = FIELDS[1] if f == LEAD else f
                    for seq in by_first[first]:
                        found.update(Hit(shown, s, e) for s, e in _seq_spans(seq, index))
        hits = sorted(found, key=lambda h: (h.field != "title", h.start, h.end))
        if hits:
            first = hits[0]
            clauses.append(MatchedClause(option.label, item.texts[first.field][first.start:first.end], tuple(hits)))
    return Match(rule, tuple(clauses))


def starter_rules() -> tuple[RuleSet, list]:
    ruleset, rules = RuleSet(), []
    for n, starter in enumerate(load_starter_rules()):
        rule = compile_rule(starter.query, title_only=starter.title_only, lead=starter.lead)
        ruleset.add(n, rule)
        rules.append(rule)
    return ruleset, rules


def same(rule, item) -> int:
    fast = explain(rule, item)
    assert fast == plain_explain(rule, item), rule.query
    assert all(type(hit) is Hit for clause in fast.clauses for hit in clause.hits)
    return len(fast.clauses)


def read(item, ruleset, rules) -> int:
    """The rules routing explains (the candidates), and the cues the detector may find."""
    clauses = sum(same(rules[i], item) for i in ruleset.candidates(item))
    terms = item.terms
    keys = terms & _cue_keys()
    for _cue, cue_rules, by_key in _compiled():
        clauses += sum(same(cue_rules[i], item) for i in _rules_found(by_key, terms, keys))
    return clauses


def test_constructed_items():
    ruleset, rules = starter_rules()
    assert read(analyze_item("قطعی آب در روستای احمدآباد", "اهالی روستا از قطعی مکرر آب شرب گلایه دارند؟"),
                ruleset, rules)
    rule = compile_rule('قطعی "آب شرب" یا برق -تعمیرات', title_only=True, lead=True)
    assert same(rule, analyze_item("قطعی برق", "آب شرب روستا قطع شد و قطعی برق ادامه دارد")) == 3
    assert same(rule, analyze_item("", "")) == 0


def test_real_articles():
    ruleset, rules = starter_rules()
    cues = [rule for _cue, cue_rules, _by_key in _compiled() for rule in cue_rules]
    items = analyzed_articles()
    assert len(items) > 1000
    assert sum(read(item, ruleset, rules) for item in items) > 5000
    for item in items[:40]:  # every rule and cue, found or not
        for rule in rules + cues:
            same(rule, item)
