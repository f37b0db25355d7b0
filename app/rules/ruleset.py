"""Many compiled rules matched against one item (percolator style): candidates by one required
term of each rule, then the full check; with each rule's limits (outlet scopes and outlets)."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import NamedTuple

from app.rules.analysis import AnalyzedItem, has_arabic_script
from app.rules.matcher import SCOPES, CompiledRule, Match, explain, matches
from app.rules.places import foreign_title, holdable
from search_index.persian import is_stopword


@dataclass(frozen=True)
class Limits:
    """Optional limits of a rule: outlet scopes (local/provincial/national) and outlet ids."""

    scopes: frozenset[str] = frozenset()
    outlet_ids: frozenset = frozenset()

    def __post_init__(self):
        if not self.scopes <= SCOPES:
            raise ValueError(f"unknown outlet scope: {sorted(self.scopes - SCOPES)}")

    def allow(self, scope: str | None, outlet_id: Hashable | None) -> bool:
        return ((not self.scopes or scope in self.scopes)
                and (not self.outlet_ids or outlet_id in self.outlet_ids))


NO_LIMITS = Limits()


class Routed(NamedTuple):
    """``RuleSet.route``'s answer: the matches that route, those held back because the title is about
    a foreign place (``places.foreign_title``: not routed), and that place as written."""

    routes: list[tuple[Hashable, Match]]
    held: list[tuple[Hashable, Match]]
    abroad: str | None


def default_frequency(term: str) -> float:
    """A guess of how common a term is when no corpus counts are given: short words are common."""
    return 1000.0 if is_stopword(term) or len(term) <= 2 else 100.0 / len(term)


class RuleSet:
    """Many compiled rules matched against one item: candidates by one required term, then verify.

    Each rule is indexed under the rarest term of each spelling of its cheapest required slot
    (``frequency`` gives a term's corpus frequency; ``default_frequency`` guesses), so only rules
    that can match are verified. Title-only rules are indexed against title terms only (those that
    also read the lead against all: the lead is the body's beginning).
    """

    def __init__(self, frequency: Callable[[str], float] = default_frequency):
        self._frequency = frequency
        self._rules: list[tuple[Hashable, CompiledRule, Limits]] = []
        self._holdable: set[int] = set()  # title-only rules naming no foreign place: held on a foreign title
        self._by_term: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        self._other_script_keys = 0  # keys without an Arabic-script letter (e.g. «CNG», «115»)

    def __len__(self) -> int:
        return len(self._rules)

    def add(self, key: Hashable, rule: CompiledRule, limits: Limits | None = None) -> None:
        index = len(self._rules)
        self._rules.append((key, rule, limits or NO_LIMITS))
        if holdable(rule):
            self._holdable.add(index)
        by_term = self._by_term[0 if rule.title_only and not rule.lead else 1]  # the lead's terms are the body's
        for term in self._keys(rule):
            by_term.setdefault(term, []).append(index)
            self._other_script_keys += not has_arabic_script(term)

    def _keys(self, rule: CompiledRule) -> set[str]:
        freq = self._frequency
        best: tuple[float, set[str]] | None = None
        for slot in rule.slots:
            keys = {min(seq, key=freq) for option in slot for seq in option.seqs}
            cost = sum(freq(k) for k in keys)
            if best is None or cost < best[0]:
                best = (cost, keys)
        return best[1] if best else set()

    def reads(self, item: AnalyzedItem) -> bool:
        """Whether matching ``item`` reads its terms (tokenizes it): not when no key can be among them."""
        return self._other_script_keys > 0 or item.has_arabic_script

    def candidates(self, item: AnalyzedItem) -> list[int]:
        if not self.reads(item):
            return []  # no key can be among the item's terms: skip tokenizing it
        found: set[int] = set()
        for by_term, terms in zip(self._by_term, (item.fields["title"].keys(), item.terms)):
            for term in by_term.keys() & terms:  # met in C: the item's terms walked, or the fewer keys
                found.update(by_term[term])
        return sorted(found)

    def _verified(self, item: AnalyzedItem, scope: str | None, outlet_id: Hashable | None):
        rules = self._rules
        return [i for i in self.candidates(item)
                if rules[i][2].allow(scope, outlet_id) and matches(rules[i][1], item)]

    def matching(self, item: AnalyzedItem, *, outlet_scope: str | None = None,
                 outlet_id: Hashable | None = None) -> list[Hashable]:
        """Keys of the rules that match ``item`` (within their limits), in the order added."""
        return [self._rules[i][0] for i in self._verified(item, outlet_scope, outlet_id)]

    def match(self, item: AnalyzedItem, *, outlet_scope: str | None = None,
              outlet_id: Hashable | None = None) -> list[tuple[Hashable, Match]]:
        """(key, Match) for every matching rule, with the words and offsets that matched."""
        return [(self._rules[i][0], explain(self._rules[i][1], item))
                for i in self._verified(item, outlet_scope, outlet_id)]

    def route(self, item: AnalyzedItem, *, outlet_scope: str | None = None,
              outlet_id: Hashable | None = None) -> Routed:
        """``match``, with the title-only matches set apart (held) when the title is about a foreign place
        and names no Iranian one: «استاندار بیروت», America's «بیکاری» (the labelling rules give other
        countries' news to no agency). A body rule's match, or a rule naming the place, still routes."""
        found = self._verified(item, outlet_scope, outlet_id)
        abroad = foreign_title(item) if self._holdable.intersection(found) else None
        routes, held = [], []
        for i in found:
            (held if abroad is not None and i in self._holdable else routes).append(
                (self._rules[i][0], explain(self._rules[i][1], item)))
        return Routed(routes, held, abroad)
