"""Hypothesis strategies shared by the property tests (issue 14, item 8), and their settings.

Text is drawn mostly from what Persian users and feeds really carry: Persian and Arabic letters
with their variants (ي ك ة ۀ…), diacritics, tatweel, ZWNJ and the other joiners and bidi
controls, Persian, Arabic-Indic and ASCII digits, Latin letters, punctuation and the query
syntax's characters; now and then any Unicode character at all.
"""
from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# A few hundred examples per property keep each file to seconds; `slow` tests take more.
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآأإؤئءة"
VARIANTS = "يىےۓكڪګڬڭڮۀہۂۃەھٱ"
MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640\u0610\u06d6"
JOINERS = "\u200c\u200d\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2069\ufeff\u00ad\u061c"
DIGITS = "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
PUNCTUATION = " \t\n.,:;!?؟،؛«»\"'“”„()-−|&/٫٬٪"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZİıßﬁ"
SYNTAX_WORDS = ("OR", "AND", "یا", "|", "||", "&&", "-", "title:", "عنوان:", "TITLE:", '"', "«", "»", "“", "”")

PERSIAN_ALPHABET = PERSIAN_LETTERS + VARIANTS + MARKS + JOINERS + DIGITS + PUNCTUATION + LATIN

persian_text = st.one_of(
    st.text(alphabet=PERSIAN_ALPHABET, max_size=80),
    st.text(max_size=40),  # anything Unicode has
)

persian_word = st.text(alphabet=PERSIAN_LETTERS + VARIANTS + MARKS + "\u200c", min_size=1, max_size=14)

# Query text: words of the alphabet above glued with the syntax's own pieces.
query_text = st.lists(
    st.one_of(persian_word, st.sampled_from(SYNTAX_WORDS), st.text(alphabet=PERSIAN_ALPHABET, max_size=6)),
    max_size=14,
).flatmap(lambda parts: st.sampled_from([" ".join(parts), "".join(parts)]))
