"""The rebuild's analysis per document (``fields.text_tokens``) with the prototype's token list against
the plain one: the same packed bytes on the 1,500 articles; CPU of both, alternating, warm."""
import sys
import time

import corpus
import fused

from search_index.tantivy_backend import fields as F

docs = corpus.docs()
plain = F.token_tuples
def run(fn):
    F.token_tuples = fn
    return [F.text_tokens(t, b) for t, b in docs]
for label in ("cold", "warm"):
    a = run(plain); b = run(fused.token_list)
    print(label, "differ", sum(1 for x, y in zip(a, b) if x != y), "of", len(a))
for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
    for name, fn in (("python", plain), ("fused", fused.token_list)):
        t = time.process_time(); run(fn); print(name, round((time.process_time() - t) / len(docs) * 1000, 3), "ms/doc")
