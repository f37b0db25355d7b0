"""The prototype against the Python readings on the property tests' random Persian text
(tests/strategies.py's ``persian_text``): ``read_field`` (with and without a lead), the token list,
``text_tokens`` and the starter model's features.  .venv/bin/python bench/speedups/random_text.py [EXAMPLES]"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(REPO), str(HERE)]
import fused  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from app.learning import features as F  # noqa: E402
from app.rules.analysis import analyze_item, read_field  # noqa: E402
from app.services.learning import ActiveModel, starter_model  # noqa: E402
from search_index.persian import token_tuples  # noqa: E402
from search_index.tantivy_backend import fields  # noqa: E402
from tests.strategies import persian_text  # noqa: E402

plain_text_tokens = fields.text_tokens
plain_known = F._known_features
MODEL = ActiveModel(None, starter_model()).model


@settings(max_examples=int(sys.argv[1]) if len(sys.argv) > 1 else 2000, deadline=None, database=None)
@given(persian_text, persian_text, st.integers(-1, 40))
def same(title, text, lead):
    a, b = read_field(text, lead), fused.read_field(text, lead)
    assert repr(a) == repr(b) and list(a.index) == list(b.index), text
    assert list(token_tuples(text)) == fused.token_list(text), text
    plain = plain_text_tokens(title, text)
    fields.token_tuples = fused.token_list
    try:
        assert fields.text_tokens(title, text) == plain
    finally:
        fields.token_tuples = token_tuples
    read = [F.item_features(analyze_item(title, text), ngrams=False, keep=MODEL.keep)]
    F._known_features = fused.known_features
    try:
        read.append(F.item_features(analyze_item(title, text), ngrams=False, keep=MODEL.keep))
    finally:
        F._known_features = plain_known
    assert [(list(f.counts.items()), list(f.words.items())) for f in read[:1]] == \
        [(list(f.counts.items()), list(f.words.items())) for f in read[1:]]


same()
print("same")
