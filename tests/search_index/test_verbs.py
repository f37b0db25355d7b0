"""A query word that is a conjugated verb asks for the verb's other simple forms
(search_index/verbs.py), and a word that is also another kind of word does not."""
from __future__ import annotations

import pytest

from search_index.verbs import verb_forms


def test_a_verb_form_gives_its_verbs_other_forms():
    forms = set(verb_forms("می‌پذیرد"))
    assert {"بپذیرد", "نمیپذیرد", "میپذیرند", "پذیرفت", "پذیرفتند", "نپذیرفت", "میپذیرفت"} <= forms
    assert "میپذیرد" not in forms  # the word itself is asked as typed
    assert set(verb_forms("پذیرفتند")) >= {"میپذیرد", "بپذیرد"}


@pytest.mark.parametrize("word", [
    "رسید",  # a receipt too: the lexicon knows it as a noun
    "پرداخت",  # a payment
    "نشست",  # a meeting
    "برگزار", "شهرداری", "بیمارستان",  # no verb
    "گفت",  # under four letters: everywhere
    "می‌شود", "شدند", "کردند", "می‌کند",  # auxiliaries and light verbs
])
def test_a_word_that_is_another_kind_of_word_or_an_auxiliary_gives_no_verb_forms(word):
    assert verb_forms(word) == []


def test_forms_that_are_words_of_another_kind_are_not_asked_for():
    """«پذیرفته» (also an adjective), «نبرد» (a battle) from «می‌برد»: left out; «می» forms kept."""
    assert "پذیرفته" not in verb_forms("می‌پذیرد")
    assert "نبرد" not in verb_forms("می‌برد") and "میبرند" in verb_forms("می‌برد")
