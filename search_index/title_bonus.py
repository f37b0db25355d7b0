"""The title bonus's words: which terms of a search stand for which of its required words, so that a title
holding every word can be told from one holding some (``word_groups``), on both engines alike.

``PARTIAL_SHARE`` is the share of the title bonus a title holding only some of the words gets; a title holding
every word gets the whole (the terms' share plus a clause of all the words). It was 1.0 (every title term alike):
«رییس مجلس» ranked «… رئیس کمیسیون کشاورزی مجلس شد» and «نوبت عصر جلسه علنی مجلس…» above a lead naming «رئیس
مجلس» (round 47's dev), «روز خبرنگار» titles of «روز» alone (round 46). Measured on the dev halves of rounds 41–47
(bench/README.md, session 47), nDCG@10 Whoosh / tantivy, 1.0 → 0.75 / 0.5 / 0.25: the mean over the seven rounds
0.905 / 0.905 → 0.910 / 0.914, 0.918 / 0.912, 0.921 / 0.913 (0.5 taken: 0.25 differs from it by a query or two and
leaves a title with one of two words a quarter of its weight); 0.5 loses round 44 on both engines (0.979 / 0.978 →
0.967 / 0.969) and round 41 on tantivy (0.904 → 0.876), gains round 46 most (0.832 / 0.852 → 0.881 / 0.905). A search
of one word, or with a word no title of the index holds, keeps the bonus as it was.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from whoosh import query as wq

from search_index.form_matching import AnyOf
from search_index.spellings import Spellings

PARTIAL_SHARE = 0.5


def word_groups(tree: wq.Query, expand: Callable[[Spellings], Iterable[tuple[str, ...]]]) -> list[frozenset[str]]:
    """The terms of each required word (or «یا» slot) of ``parse_user_query``'s tree, its exclusions and the bonus
    of words side by side left out; ``expand`` gives a ``Spellings``' sequences as the engine reads them."""
    node = tree
    if isinstance(node, wq.AndNot):
        node = node.a
    if isinstance(node, wq.AndMaybe):
        node = node.a
    children = list(node.children()) if isinstance(node, wq.And) else [node]

    def terms(child: wq.Query) -> frozenset[str]:
        if isinstance(child, Spellings):
            return frozenset(t for seq in expand(child) for t in seq)
        if child.is_leaf():
            return frozenset()
        return frozenset().union(*map(terms, child.children()))
    return [terms(child) for child in children]


def whoosh_bonus(titled: list[str], groups: list[frozenset[str]]) -> wq.Query:
    """The title bonus: every title term of the search alike, or (``title_bonus.PARTIAL_SHARE`` below 1) a title
    holding only some of the search's words gets that share of it, one holding them all the whole."""
    share = PARTIAL_SHARE
    groups = [g.intersection(titled) for g in groups]
    if share >= 1.0 or len(groups) < 2 or not all(groups):
        bonus = [wq.Term("title", term) for term in titled]
        return bonus[0] if len(bonus) == 1 else AnyOf(bonus, total=True)
    some = AnyOf([wq.Term("title", term, boost=share) for term in titled], total=True)
    every = wq.And([wq.Or([wq.Term("title", term, boost=1.0 - share) for term in sorted(g)]) for g in groups])
    return wq.Or([some, every])
