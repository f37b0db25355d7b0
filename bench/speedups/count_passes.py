"""For callgrind: one warm-up pass, then N passes of one reading over the 1,500 articles (N=1 less
N=0 is one warm pass's instructions).
    valgrind --tool=callgrind python bench/speedups/count_passes.py text_tokens|text_tokens_fused|read_field|read_field_fused N"""
import sys

import corpus
import fused

from app.rules.analysis import read_field
from search_index.tantivy_backend import fields as F

docs = corpus.docs()
what, n = sys.argv[1], int(sys.argv[2])
if what.startswith("text_tokens"):
    if what.endswith("fused"):
        F.token_tuples = fused.token_list
    def one():
        for t, b in docs:
            F.text_tokens(t, b)
else:
    fn = fused.read_field if what.endswith("fused") else read_field
    fields = corpus.routing_fields()
    def one():
        for text, lead in fields:
            fn(text, lead)
for _ in range(n + 1):
    one()
