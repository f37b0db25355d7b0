"""The prototype's Reading against read_field's on the 1,500 articles (title; abstract + paragraphs
cut as routing cuts the body), cold then warm; and CPU of both, alternating, warm."""
import sys
import time

import corpus
import fused

from app.rules.analysis import read_field

fields = corpus.routing_fields()


def same():
    bad = 0
    for text, lead in fields:
        a, b = read_field(text, lead), fused.read_field(text, lead)
        if repr(a) != repr(b) or list(a.index) != list(b.index):
            bad += 1
    return bad

mode = sys.argv[1] if len(sys.argv) > 1 else "check"
if mode == "check":
    print("cold differ", same()); print("warm differ", same())
elif mode == "time":
    same()
    for _ in range(int(sys.argv[2]) if len(sys.argv) > 2 else 3):
        for name, fn in (("python", read_field), ("fused", fused.read_field)):
            t = time.process_time()
            for text, lead in fields:
                fn(text, lead)
            print(name, round(time.process_time() - t, 3))

if mode == "features":
    from app.learning import features as F
    from app.rules.analysis import analyze_item
    from app.services.learning import ActiveModel, starter_model
    model = ActiveModel(None, starter_model()).model
    keep = model.keep
    items = [analyze_item(title, body) for title, body in corpus.docs()]
    python = F._known_features
    def run(fn):
        F._known_features = fn
        return [F.item_features(item, ngrams=model.uses_ngrams, keep=keep) for item in items]
    for label in ("cold", "warm"):
        keep.terms.clear(); keep.bases.clear()
        a = run(python); keep.terms.clear(); keep.bases.clear(); b = run(fused.known_features)
        bad = sum(1 for x, y in zip(a, b) if list(x.counts.items()) != list(y.counts.items())
                  or list(x.words.items()) != list(y.words.items())
                  or [repr(v) for v in x.counts.values()] != [repr(v) for v in y.counts.values()])
        print(label, "features differ", bad, "of", len(a), "features", sum(len(x.counts) for x in a))
    for _ in range(3):
        for name, fn in (("python", python), ("fused", fused.known_features)):
            t = time.process_time(); run(fn); print(name, round(time.process_time() - t, 3))
