"""The lists people read in Persian alphabetical order: outlets, journalists and agencies carry
``name_order``, their name's place in that order (search_index/collation.py), and the lists and
pickers sort by it. Sorted by the name itself, the database followed code points: «پ چ ژ ک گ»
came after «ی», and «ه» before «و».

Every row gets its key when it is stored or renamed, whichever service stores it (the directory,
the feeds, the import, the agencies, the demo): mapper hooks, installed when this module is
imported (app/factory.py does)."""
from __future__ import annotations

from sqlalchemy import event

from models import Agency, Journalist, Outlet
from search_index.collation import sort_key

# The column each model is sorted by (the Persian name: an agency's English one is its second).
NAMED = {Outlet: "name", Journalist: "name", Agency: "name_fa"}


def name_order(name: str) -> bytes:
    """``name`` in Persian alphabetical order as bytes that sort as they are: three bytes a letter,
    big-endian. Bytes, so that SQLite (memcmp) and PostgreSQL (bytea) order them alike whatever
    the database's collation: PostgreSQL's own follows the server's locale or code points."""
    ranks, _text = sort_key(name)
    return b"".join(rank.to_bytes(3, "big") for rank in ranks)


def _fill(_mapper, _connection, target) -> None:
    target.name_order = name_order(getattr(target, NAMED[type(target)]))


for _model in NAMED:
    event.listen(_model, "before_insert", _fill)
    event.listen(_model, "before_update", _fill)
