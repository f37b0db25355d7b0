"""A title holding only some of a search's words no longer outranks an article holding them all side by side
(session 46's open item: «روز خبرنگار», «حادثه رانندگی»; round 47's dev: «رییس مجلس» ranked «… رئیس کمیسیون
کشاورزی مجلس شد» and «نوبت عصر جلسه علنی مجلس…» above a lead naming «رئیس مجلس»). Such a title gets half the
title bonus (``title_bonus.PARTIAL_SHARE``), a title holding every word the whole. On both engines."""
from __future__ import annotations

import pytest

from search_index.backend import IndexDoc, SearchRequest
from search_index.tantivy_backend import TantivyBackend
from search_index.whoosh_backend import WhooshBackend

FILLER = " ".join(["گزارش جلسه امروز در شهر برگزار شد و مردم حضور داشتند"] * 4)
OTHERS = [(f"item:{n}", f"خبر شماره {n} استان", f"بازدید از طرح عمرانی شماره {n} در روستا. {FILLER}") for n in range(5, 13)]
DOCS = OTHERS + [
    ("item:1", "پایان کار مجلس", f"در جلسه امروز رئیس کمیسیون بودجه سخن گفت. {FILLER}"),  # one word in the title
    ("item:2", "بررسی لایحه بودجه", f"رئیس مجلس گفت لایحه بودجه امروز بررسی شد. {FILLER} {FILLER}"),  # side by side
    ("item:3", "رئیس مجلس: لایحه بودجه امروز بررسی شد", f"لایحه بودجه امروز بررسی شد. {FILLER}"),  # both in the title
    ("item:4", "نشست کمیسیون", f"رئیس کمیسیون گفت نمایندگان مجلس حاضر بودند. {FILLER}"),  # both apart in the body
]


@pytest.fixture(params=[WhooshBackend, TantivyBackend], ids=["whoosh", "tantivy"])
def backend(request, tmp_path):
    built = request.param(str(tmp_path), writable=True)
    built.rebuild([IndexDoc(key=k, doc_type="item", title=t, body=b) for k, t, b in DOCS], fresh=True)
    return built


def keys(backend, text: str) -> list[str]:
    return [hit.key for hit in backend.search(SearchRequest(text, per_page=10)).hits]


def test_both_words_side_by_side_rank_above_a_title_with_one(backend):
    assert keys(backend, "رئیس مجلس") == ["item:3", "item:2", "item:1", "item:4"]


def test_a_search_of_one_word_keeps_the_whole_title_bonus(backend):
    found = keys(backend, "مجلس")
    assert set(found[:2]) == {"item:1", "item:3"} and set(found) == {"item:1", "item:2", "item:3", "item:4"}
