"""An office and its holder (``spelling_families.office_holder``) in the ranking of words typed side by side
(the code review of session 43)."""
from __future__ import annotations

import pytest

from search_index.backend import IndexDoc, SearchRequest
from search_index.tantivy_backend import TantivyBackend
from search_index.whoosh_backend import WhooshBackend


@pytest.mark.parametrize("engine", [WhooshBackend, TantivyBackend])
def test_words_typed_free_rank_their_own_spellings_before_the_holders_office(tmp_path, engine):
    """«معاون استاندار» typed free finds «معاونین استانداری» (forms), below the words' own spellings: the bonus of
    words side by side takes no holder's office (with it, round 43's dev «معاون استاندار» fell 0.672 → 0.531 on
    tantivy, body mentions of «معاونین استانداری» first). Quoted, the phrase takes it (tests/routing/test_matcher.py)."""
    texts = {"item:1": "سخنان معاون فرماندار درباره استاندار", "item:2": "معاونین استانداری در جلسه"}
    backend = engine(str(tmp_path), writable=True)
    backend.rebuild([IndexDoc(key=k, doc_type="item", title="عنوان", body=v) for k, v in texts.items()], fresh=True)
    assert [hit.key for hit in backend.search(SearchRequest("معاون استاندار", per_page=10)).hits] == ["item:1", "item:2"]
