"""Training from interned rows (FeatureTable), the desk simulation of the bench, the shipped model."""
import sys
from pathlib import Path

import numpy as np

from app.learning.decisions import Decision
from app.learning.features import Features
from app.learning.model import QUESTION, TextModel
from app.learning.training import Example, FeatureTable, train

REPO = Path(__file__).resolve().parents[2]


def _features(words: list[str]) -> Features:
    f = Features()
    for w in words:
        f.add("s:" + w, 1.0, w)
        f.add("c:<" + w[:2], 1.0, w)
    return f


def _examples() -> list[Example]:
    out = []
    for n in range(40):
        water = n % 3 == 0
        words = (["آب", "قطعی", "شرب"] if water else ["مدرسه", "معلم"]) + [f"خبر{n % 7}", "استان"]
        out.append(Example(_features(words), {"agency:water": water, QUESTION: n % 5 == 0}, str(n)))
    return out


def test_rows_and_features_train_the_same_model_and_drop_leaves_ngrams_out():
    examples = _examples()
    plain = train(examples, ["agency:water", QUESTION], seed=0)
    table = FeatureTable()
    rows = [Example(table.row(e.features), e.labels, e.key) for e in examples]
    interned = train(rows, ["agency:water", QUESTION], seed=0, table=table)
    assert plain.vocabulary == interned.vocabulary
    assert not any(name.startswith("c:") for name in plain.vocabulary)  # DROP: character n-grams
    np.testing.assert_allclose(plain.coef, interned.coef, atol=1e-6)
    with_grams = train(examples, ["agency:water", QUESTION], seed=0, drop=())
    assert any(name.startswith("c:") for name in with_grams.vocabulary)
    assert plain.predict(_features(["آب", "قطعی"]), floor=0.5)["agency:water"].words[0] in {"آب", "قطعی", "شرب"}


def test_desk_simulation_of_the_bench():
    sys.path.insert(0, str(REPO / "bench"))
    from eval_learning import desk_decisions

    class Flag:
        def __init__(self, q):
            self.is_question = q

    row = {"agencies": ["water", "roads", "health"], "predicted": ["water", "power"], "question": True,
           "detection": Flag(False)}
    # water accepted; power (wrong) reassigned to health; roads received; the missed question marked
    assert desk_decisions(row) == [Decision("accepted", "water"), Decision("reassigned", "power"),
                                   Decision("received", "health"), Decision("received", "roads"),
                                   Decision("question_marked")]
    row = {"agencies": [], "predicted": ["gas", "water"], "question": False, "detection": Flag(True)}
    assert desk_decisions(row) == [Decision("dismissed", "gas"), Decision("dismissed", "water"),
                                   Decision("question_unmarked")]
    row = {"agencies": ["gas"], "predicted": ["gas"], "question": False, "detection": Flag(False)}
    # a right flag on a handled item is kept: a question negative
    assert desk_decisions(row) == [Decision("accepted", "gas"), Decision("flag_kept", flag=False)]
    row = {"agencies": None, "predicted": ["gas"], "question": False, "detection": Flag(False)}
    assert desk_decisions(row) == []  # round 4: not labelled for routing, the detector was right


def test_shipped_starter_model_is_small_and_says_what_it_was_trained_on():
    path = REPO / "app" / "data" / "starter_model.npz"
    data = path.read_bytes()
    assert len(data) < 3_000_000
    model = TextModel.from_bytes(data)
    assert "dev split" in model.meta["training_set"]["source"] and model.meta["trained"]
    assert model.meta["training_set"]["articles"] == model.meta["examples"]
    assert not any(name.startswith("c:") for name in model.vocabulary)
